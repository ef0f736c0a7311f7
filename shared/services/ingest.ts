import { createHash } from 'node:crypto';
import { describeEventType } from '../core/catalog.js';
import { planDeliveries } from '../core/routing.js';
import type { HeraldEvent, Notifier } from '../core/types.js';
import { CHANNELS } from '../channels/index.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { newId } from '../ids.js';
import type { EventInputBody } from '../schemas/event.js';
import { logger } from '../telemetry.js';
import type { ApiDeps } from './deps.js';

const IDEMPOTENCY_WINDOW_SECONDS = 24 * 3600;

export interface IngestResult {
  eventId: string;
  deliveries: number;
  duplicate: boolean;
}

export type IngestDeps = Pick<ApiDeps, 'routing' | 'events' | 'queue' | 'clock'>;

const recipientsOf = (notifier: Notifier): string[] => CHANNELS[notifier.channel].recipients(notifier.target as never);

/**
 * Accept one event for an app: route it to the matching notifiers' recipients, store the
 * event and its deliveries (the delivery records are the outbox), then queue one message
 * per delivery. A repeated idempotency key answers the first answer again and delivers
 * nothing; the same key with another body is a conflict.
 */
export async function ingestEvent(
  deps: IngestDeps,
  appId: string,
  input: Omit<EventInputBody, 'app'>,
  idempotencyKey?: string,
): Promise<IngestResult> {
  const view = await deps.routing.view(appId);
  if (!view.app) throw new NotFoundError(`App ${appId}`);
  const now = deps.clock();
  const event: HeraldEvent = {
    id: newId('evt'),
    appId,
    type: input.type,
    severity: input.severity ?? describeEventType(input.type).severity,
    ...(input.title !== undefined ? { title: input.title } : {}),
    ...(input.message !== undefined ? { message: input.message } : {}),
    ...(input.data !== undefined ? { data: input.data } : {}),
    occurredAt: input.occurredAt ? new Date(input.occurredAt).toISOString() : now.toISOString(),
    receivedAt: now.toISOString(),
    ...(input.fingerprint !== undefined ? { fingerprint: input.fingerprint } : {}),
    ...(input.source !== undefined ? { source: input.source } : {}),
  };
  const planned = planDeliveries({
    event,
    app: view.app,
    notifiers: view.notifiers,
    recipientsOf,
    newDeliveryId: () => newId('dlv'),
    now: now.toISOString(),
  });

  const key = idempotencyKey ?? input.id;
  if (key !== undefined) {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const requestHash = hashOf(input);
    const first = await deps.events.claimIdempotencyKey(
      appId,
      key,
      { requestHash, eventId: event.id, deliveries: planned.length, expiresAt: nowSeconds + IDEMPOTENCY_WINDOW_SECONDS },
      nowSeconds,
    );
    if (first) {
      if (first.requestHash !== requestHash) throw new ConflictError('This idempotency key was used with a different event');
      return { eventId: first.eventId, deliveries: first.deliveries, duplicate: true };
    }
  }

  await deps.events.save(
    event,
    planned.map((p) => p.delivery),
  );
  const notQueued = await deps.queue.enqueue(planned.map((p) => p.message));
  logger.info('event accepted', {
    appId,
    eventId: event.id,
    eventType: event.type,
    deliveries: planned.length,
    notQueued: notQueued.length,
  });
  return { eventId: event.id, deliveries: planned.length, duplicate: false };
}

/** The same event posted twice hashes the same, whatever the order of its keys. */
function hashOf(value: unknown): string {
  return createHash('sha256').update(stableJson(value)).digest('hex');
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
