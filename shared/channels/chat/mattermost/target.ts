import { z } from 'zod';
import { httpUrl, webhookUrl } from '../../http-url.js';

export const target = z.strictObject({
  url: webhookUrl(/^(\/.*)?\/hooks\/[a-z0-9]{26}$/, 'https://chat.example.com/hooks/<26-character id>'),
  /** A channel name (`town-square`) or `@username`, instead of the webhook's own channel. */
  channel: z
    .string()
    .regex(/^@?[a-z0-9._-]{1,64}$/, { error: 'must be a channel name or @username' })
    .optional(),
  username: z.string().min(1).max(64).optional(),
  iconUrl: httpUrl.optional(),
  iconEmoji: z
    .string()
    .regex(/^[a-z0-9_+-]{1,64}$/, { error: 'must be an emoji name without colons' })
    .optional(),
});

export type MattermostTarget = z.infer<typeof target>;
