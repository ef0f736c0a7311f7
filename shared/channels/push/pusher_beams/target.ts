import { z } from 'zod';

export const target = z.strictObject({
  /** Authenticated Beams user ids (at most 164 characters each). */
  users: z.array(z.string().min(1).max(164)).min(1).max(100),
});

export type PusherBeamsTarget = z.infer<typeof target>;
