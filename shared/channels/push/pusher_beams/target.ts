import { z } from 'zod';

export const target = z
  .object({
    /** Authenticated Beams user ids (at most 164 characters each). */
    users: z.array(z.string().min(1).max(164)).min(1).max(100),
  })
  .strict();

export type PusherBeamsTarget = z.infer<typeof target>;
