import { isValidPhoneNumber } from 'libphonenumber-js';
import { z } from 'zod';

const e164 = z
  .string()
  .regex(/^\+[1-9]\d{6,14}$/, { error: 'must be an E.164 number such as +4915112345678' })
  .refine((n) => isValidPhoneNumber(n), { error: 'is not a valid phone number' });

/** Phone numbers, E.164: the target of every channel of the sms family. */
export const target = z.object({ to: z.array(e164).min(1).max(20) }).strict();

export type SmsTarget = z.infer<typeof target>;
