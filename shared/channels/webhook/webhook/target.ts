import { z } from 'zod';
import { httpUrl } from '../../http-url.js';

const RESERVED_HEADERS = /^(host|content-type|content-length|connection|transfer-encoding|user-agent|webhook-.*)$/i;

export const target = (() => {
  const secret = z
    .string()
    .regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/, { error: 'must be whsec_ followed by base64' })
    .refine((s) => Buffer.from(s.slice(6), 'base64').length >= 24 && Buffer.from(s.slice(6), 'base64').length <= 64, {
      error: 'must hold 24 to 64 bytes',
    });
  return z.strictObject({
    url: httpUrl,
    secret: secret.optional(),
    /** Secrets replaced less than 24 h ago: still signed with, so that receivers can switch over. */
    previousSecrets: z
      .array(z.strictObject({ secret, until: z.iso.datetime() }))
      .max(5)
      .optional(),
    headers: z
      .record(
        z
          .string()
          .regex(/^[A-Za-z0-9-]{1,64}$/, { error: 'must be a header name' })
          .refine((h) => !RESERVED_HEADERS.test(h), {
            error: 'is set by Herald',
          }),
        z
          .string()
          .max(1024)
          .regex(/^[^\r\n]*$/, { error: 'must be one line' }),
      )
      .optional(),
  });
})();

export type WebhookTarget = z.infer<typeof target>;
