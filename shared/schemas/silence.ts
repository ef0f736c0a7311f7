import { z } from '@hono/zod-openapi';
import { EVENT_FIELDS, MATCHER_OPS } from '../core/silences.js';
import { Timestamp } from './common.js';

export const SilenceMatcher = z
  .strictObject({
    field: z
      .string()
      .min(1)
      .max(128)
      .openapi({ description: `${EVENT_FIELDS.join(', ')}, or data.<path> or source.<path>`, example: 'check' }),
    op: z
      .enum(MATCHER_OPS)
      .default('=')
      .openapi({ description: '= and != compare the text; =~ and !~ match a regular expression against all of it' }),
    value: z.string().max(1024),
  })
  .openapi('SilenceMatcher');

export const SilenceInput = z
  .strictObject({
    matchers: z.array(SilenceMatcher).min(1).max(20),
    startsAt: Timestamp.optional().openapi({ description: 'default: now' }),
    endsAt: Timestamp,
    comment: z.string().min(1).max(500),
    by: z.string().min(1).max(200).optional().openapi({ description: 'who: free text such as an e-mail (default: the key that asks)' }),
  })
  .openapi('SilenceInput', {
    example: {
      matchers: [{ field: 'data.cluster', op: '=', value: 'eu-1' }],
      endsAt: '2026-11-30T12:00:00Z',
      comment: 'database maintenance',
      by: 'ops@shop.example',
    },
  });
export type SilenceInputBody = z.infer<typeof SilenceInput>;

export const Silence = z
  .object({
    id: z.string(),
    appId: z.string().openapi({ description: 'the app, or * for a global silence' }),
    matchers: z.array(SilenceMatcher),
    startsAt: Timestamp,
    endsAt: Timestamp,
    comment: z.string(),
    createdBy: z.string(),
    createdAt: Timestamp,
    expiredAt: Timestamp.optional().openapi({ description: 'when it was ended early (DELETE)' }),
    state: z.enum(['pending', 'active', 'expired']),
    silenced: z.int().openapi({ description: 'events it silenced (counted every few seconds by each ingest instance: a floor)' }),
  })
  .openapi('Silence');

export const SilencePreview = z
  .object({
    events: z.array(
      z
        .object({ id: z.string(), type: z.string(), title: z.string().optional(), severity: z.string(), receivedAt: Timestamp })
        .openapi('SilencedEvent'),
    ),
    scanned: z.int().openapi({ description: 'how many of the latest events were read' }),
  })
  .openapi('SilencePreview');
