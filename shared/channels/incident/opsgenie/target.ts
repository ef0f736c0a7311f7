import { z } from 'zod';

export const target = z.strictObject({
  /** The API key of an API integration (Teams → Integrations → API). */
  apiKey: z.uuid({ error: 'must be an Opsgenie API integration key (a UUID)' }),
  /** Where the account lives: api.opsgenie.com (us) or api.eu.opsgenie.com (eu). Default us. */
  region: z.enum(['us', 'eu']).optional(),
  tags: z.array(z.string().min(1).max(50)).max(20).optional(),
});

export type OpsgenieTarget = z.infer<typeof target>;
