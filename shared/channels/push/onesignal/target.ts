import { z } from 'zod';

export const target = z.strictObject({
  /** Your users' ids as your app logs them in to OneSignal (`OneSignal.login(externalId)`). */
  externalIds: z.array(z.string().min(1).max(128)).min(1).max(100),
});

export type OnesignalTarget = z.infer<typeof target>;
