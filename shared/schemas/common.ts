import { z } from '@hono/zod-openapi';
import { SEVERITIES } from '../core/types.js';

/** Building blocks of the API's schemas (docs/concepts.md, "Vocabulary", and docs/http-api.md). */

export const AppId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: 'must be a slug: a-z, 0-9 and -, at most 63 characters' })
  .openapi({ example: 'shop' });

export const EventType = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.:-]{0,127}$/, { error: 'must match ^[a-z0-9][a-z0-9_.:-]{0,127}$' })
  .openapi({ example: 'app_deployed' });

export const Severity = z.enum(SEVERITIES).openapi('Severity');

export const Timestamp = z.iso.datetime({ offset: true }).openapi({ example: '2026-11-24T10:00:00Z' });

/** What went wrong: the fields at fault, when to try again (429). */
export const ErrorDetail = z.object({
  code: z.string(),
  message: z.string(),
  details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  retryAfterSeconds: z.int().optional().openapi({ description: "429 and 503: the Retry-After header's seconds" }),
});

export const ErrorResponse = z.object({ error: ErrorDetail }).openapi('Error');

export const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).optional().openapi({ description: '1 to 100 (default 20); larger values are clamped' }),
  cursor: z.string().max(2048).optional().openapi({ description: 'the nextCursor of the previous page' }),
});

export const NextCursor = z.string().nullable().openapi({ description: 'pass it back as cursor; null on the last page' });

export function pageOf(query: z.infer<typeof ListQuery>): { limit: number; cursor?: string } {
  return { limit: Math.min(query.limit ?? 20, 100), ...(query.cursor ? { cursor: query.cursor } : {}) };
}

/** Plain JSON values, for `data`, `source` and `metadata`. */
export const JsonObject = z.record(z.string(), z.unknown());
