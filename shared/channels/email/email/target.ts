import { z } from 'zod';

export const target = z.strictObject({
  to: z
    .array(z.email({ error: 'must be an email address' }))
    .min(1)
    .max(50),
});

export type EmailTarget = z.infer<typeof target>;
