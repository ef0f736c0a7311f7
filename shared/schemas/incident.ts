import { z } from '@hono/zod-openapi';
import { INCIDENT_STATUSES } from '../core/incidents.js';
import { CHANNEL_NAMES } from '../core/types.js';
import { Severity, Timestamp } from './common.js';

export const IncidentStatus = z.enum(INCIDENT_STATUSES).openapi('IncidentStatus');

export const Incident = z
  .object({
    id: z.string(),
    appId: z.string(),
    check: z.string().openapi({ description: "what failed: the event's data.check, else the state's key (monitor:https://…)" }),
    stateKey: z.string(),
    status: IncidentStatus,
    since: Timestamp.openapi({ description: 'when it opened' }),
    severity: Severity,
    title: z.string(),
    eventId: z.string().openapi({ description: 'the failure that opened it' }),
    lastEventId: z.string().openapi({ description: 'its latest failure' }),
    told: z
      .array(z.object({ notifierId: z.string(), channel: z.enum(CHANNEL_NAMES), recipient: z.string() }))
      .openapi({ description: 'who was told of it (up to 50)' }),
    acknowledgedAt: Timestamp.optional(),
    acknowledgedBy: z.string().optional(),
    note: z.string().optional(),
    resolvedAt: Timestamp.optional(),
    resolvedBy: z.string().optional().openapi({ description: 'who resolved it, or recovery' }),
  })
  .openapi('Incident');

export const IncidentAction = z
  .strictObject({
    by: z.string().min(1).max(200).optional().openapi({ description: 'who: free text such as an e-mail (default: the key that asks)' }),
    note: z.string().min(1).max(500).optional(),
  })
  .openapi('IncidentAction', { example: { by: 'ops@shop.example', note: 'looking into it' } });
export type IncidentActionBody = z.infer<typeof IncidentAction>;
