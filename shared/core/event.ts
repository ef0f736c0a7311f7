import { describeEventType } from './catalog.js';
import { severityOfStatus } from './state-change.js';
import type { HeraldEvent } from './types.js';

/** An event as an app posts it (the API validates it first). */
export interface PostedEvent {
  type: string;
  severity?: HeraldEvent['severity'];
  title?: string;
  message?: string;
  data?: Record<string, unknown>;
  occurredAt?: string;
  fingerprint?: string;
  source?: Record<string, unknown>;
}

/** The event Herald stores and routes: severity from the status it reports, else the catalog, when not given; times normalised. */
export function toHeraldEvent(posted: PostedEvent, ids: { id: string; appId: string }, now: Date): HeraldEvent {
  return {
    id: ids.id,
    appId: ids.appId,
    type: posted.type,
    severity: posted.severity ?? severityOfStatus(posted) ?? describeEventType(posted.type).severity,
    ...(posted.title !== undefined ? { title: posted.title } : {}),
    ...(posted.message !== undefined ? { message: posted.message } : {}),
    ...(posted.data !== undefined ? { data: posted.data } : {}),
    occurredAt: posted.occurredAt ? new Date(posted.occurredAt).toISOString() : now.toISOString(),
    receivedAt: now.toISOString(),
    ...(posted.fingerprint !== undefined ? { fingerprint: posted.fingerprint } : {}),
    ...(posted.source !== undefined ? { source: posted.source } : {}),
  };
}
