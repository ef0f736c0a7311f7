import { z } from 'zod';
import { besideBundle } from '../../../lazy-module.js';

/**
 * libphonenumber-js (120 KiB with its metadata), loaded at the first phone number checked, not at the api's cold start;
 * in the api's bundle a file of its own beside it (shared/lazy-module.ts).
 */
const phoneCheck = (): Promise<typeof import('./phone-check.js')> =>
  process.env['HERALD_LAZY_MODULES'] === 'beside' ? besideBundle('phone-check') : import('./phone-check.js');
const isValidPhoneNumber = async (n: string) => (await phoneCheck()).isValidPhoneNumber(n);

const e164 = z
  .string()
  .regex(/^\+[1-9]\d{6,14}$/, { error: 'must be an E.164 number such as +4915112345678' })
  .refine(isValidPhoneNumber, { error: 'is not a valid phone number' });

/** Phone numbers, E.164: the target of every channel of the sms family. */
export const target = z.strictObject({ to: z.array(e164).min(1).max(20) });

export type SmsTarget = z.infer<typeof target>;
