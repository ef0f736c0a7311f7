import { logger } from '../telemetry.js';
import type { EventInputBody } from '../schemas/event.js';
import { ingestEvent, type IngestDeps } from './ingest.js';

/**
 * Herald's own lifecycle events (`app_created`, `notifier_added`, ...) go through the
 * pipeline like any other. The change they announce is already made: a lost announcement
 * is logged, never turned into an error for the caller.
 */
export async function announce(deps: IngestDeps, appId: string, event: Omit<EventInputBody, 'app'>): Promise<void> {
  try {
    await ingestEvent(deps, appId, event);
  } catch (err) {
    logger.error('lifecycle event not accepted', { appId, eventType: event.type, error: err as Error });
  }
}
