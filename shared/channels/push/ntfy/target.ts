import { z } from 'zod';
import { httpUrl } from '../../http-url.js';

export const target = z.strictObject({
  topic: z.string().regex(/^[-_A-Za-z0-9]{1,64}$/, { error: 'must be 1 to 64 letters, digits, - or _' }),
  /** Default: the installation's ntfy server (ntfy.serverUrl), else https://ntfy.sh. */
  serverUrl: httpUrl.optional(),
  /** An access token (tk_…) for a protected topic; default the installation's. */
  token: z
    .string()
    .regex(/^tk_[A-Za-z0-9]{29}$/, { error: 'must be an ntfy access token (tk_…)' })
    .optional(),
});

export type NtfyTarget = z.infer<typeof target>;
