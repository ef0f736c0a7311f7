import { z } from 'zod';

export const target = z
  .object({
    to: z
      .array(z.email({ error: 'must be an email address' }))
      .min(1)
      .max(50),
  })
  .strict();

export type EmailTarget = z.infer<typeof target>;
