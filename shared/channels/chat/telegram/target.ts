import { z } from 'zod';

export const target = z.strictObject({
  /** A chat id (a user, a group: `-100…` for supergroups) or a public `@channelusername`. */
  chatId: z.string().regex(/^(-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{4,31})$/, { error: 'must be a chat id (digits) or @channelusername' }),
  /** A topic of a forum supergroup. */
  threadId: z.int().positive().optional(),
  /** Deliver without sound. */
  silent: z.boolean().optional(),
});

export type TelegramTarget = z.infer<typeof target>;
