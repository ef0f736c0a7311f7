import { z } from 'zod';

export const target = z.strictObject({
  /** A user or group key (30 characters). */
  userKey: z.string().regex(/^[A-Za-z0-9]{30}$/, { error: 'must be a Pushover user or group key (30 letters and digits)' }),
  /** Only these devices of the user. */
  device: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,25}(,[A-Za-z0-9_-]{1,25})*$/, { error: 'must be device names, comma separated' })
    .optional(),
  sound: z
    .string()
    .regex(/^[a-z0-9_-]{1,32}$/, { error: 'must be a sound name' })
    .optional(),
  /**
   * Critical events at emergency priority: repeated every `retrySeconds` (≥ 30) until
   * acknowledged or `expireSeconds` (≤ 10800) have passed.
   */
  emergency: z.strictObject({ retrySeconds: z.int().min(30).max(10800), expireSeconds: z.int().min(30).max(10800) }).optional(),
});

export type PushoverTarget = z.infer<typeof target>;
