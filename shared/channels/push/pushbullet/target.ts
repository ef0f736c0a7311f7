import { z } from 'zod';

export const target = z.strictObject({
  /** The user's access token (Settings → Access Tokens): the pushes go to their devices. */
  accessToken: z.string().regex(/^o\.[A-Za-z0-9]{32}$/, { error: 'must be a Pushbullet access token (o.…)' }),
  /** Only this device of theirs. */
  deviceIden: z
    .string()
    .regex(/^[A-Za-z0-9]{1,64}$/, { error: 'must be a device iden' })
    .optional(),
  /** Or a channel they own, to everyone subscribed. */
  channelTag: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,32}$/, { error: 'must be a channel tag' })
    .optional(),
});

export type PushbulletTarget = z.infer<typeof target>;
