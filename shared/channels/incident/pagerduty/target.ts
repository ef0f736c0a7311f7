import { z } from 'zod';

export const target = z.strictObject({
  /** The integration key of an Events API v2 integration on a PagerDuty service. */
  routingKey: z.string().regex(/^[A-Za-z0-9]{32}$/, { error: 'must be an Events API v2 integration key (32 characters)' }),
});

export type PagerdutyTarget = z.infer<typeof target>;
