import { z } from 'zod';
import { urlOf, webhookUrl } from '../../http-url.js';

export const target = z.strictObject({
  url: webhookUrl(
    /^(\/.*)?\/v1\/spaces\/[\w-]{1,64}\/messages$/,
    'https://chat.googleapis.com/v1/spaces/<space>/messages?key=...&token=...',
  ).refine(
    (raw) => {
      const query = urlOf(raw)?.searchParams;
      return !!query?.has('key') && query.has('token');
    },
    { error: 'must carry the key and token of the webhook (…/messages?key=...&token=...)' },
  ),
  /** `card` (default): a card with a header and the body; `text`: plain text. */
  format: z.enum(['card', 'text']).optional(),
  /** Messages with the same key go into one thread. */
  threadKey: z.string().min(1).max(64).optional(),
});

export type GoogleChatTarget = z.infer<typeof target>;
