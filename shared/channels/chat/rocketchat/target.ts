import { z } from 'zod';
import { httpUrl, webhookUrl } from '../../http-url.js';

export const target = z.strictObject({
  url: webhookUrl(/^(\/.*)?\/hooks\/[A-Za-z0-9]{10,40}\/[A-Za-z0-9]{20,80}$/, 'https://chat.example.com/hooks/<id>/<token>'),
  /** `#room` or `@username`, instead of the integration's own channel. */
  channel: z
    .string()
    .regex(/^[#@][\w.-]{1,64}$/, { error: 'must be #room or @username' })
    .optional(),
  /** The name shown instead of the integration's user (Rocket.Chat's alias). */
  username: z.string().min(1).max(64).optional(),
  iconUrl: httpUrl.optional(),
  iconEmoji: z
    .string()
    .regex(/^:[a-z0-9_+-]{1,64}:$/, { error: 'must be an emoji such as :bell:' })
    .optional(),
});

export type RocketchatTarget = z.infer<typeof target>;
