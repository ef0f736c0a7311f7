import { z } from 'zod';
import { httpUrl, webhookUrl } from '../../http-url.js';

export const target = z.strictObject({
  url: webhookUrl(/^(\/.*)?\/api\/webhooks\/\d{1,20}\/[\w-]{1,100}\/?$/, 'https://discord.com/api/webhooks/<id>/<token>'),
  /** Who the message says it is from; default the webhook's name. */
  username: z.string().min(1).max(80).optional(),
  avatarUrl: httpUrl.optional(),
  /** Post into this thread of a forum or text channel. */
  threadId: z
    .string()
    .regex(/^\d{1,20}$/, { error: 'must be a thread id (digits)' })
    .optional(),
});

export type DiscordTarget = z.infer<typeof target>;
