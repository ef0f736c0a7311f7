import { z } from 'zod';

/** libphonenumber-js (120 KiB with its metadata), loaded at the first phone number checked, not at the api's cold start. */
let phoneNumbers: Promise<typeof import('./phone-check.js')> | undefined;
const loaded = () =>
  (phoneNumbers ??= import('./phone-check.js').catch((err: unknown) => {
    phoneNumbers = undefined; // the next check tries again
    throw err;
  }));
const isValidPhoneNumber = async (n: string) => (await loaded()).isValidPhoneNumber(n);

const e164 = z
  .string()
  .regex(/^\+[1-9]\d{6,14}$/, { error: 'must be an E.164 number such as +4915112345678' })
  .refine(isValidPhoneNumber, { error: 'is not a valid phone number' });

/** Phone numbers, E.164: the target of every channel of the sms family. */
export const target = z.object({ to: z.array(e164).min(1).max(20) }).strict();

export type SmsTarget = z.infer<typeof target>;
