import { randomBytes } from 'node:crypto';
import type { DeliveryRef } from '../../shared/core/ports.js';
import type { ApiKey, App, ChannelName, Delivery, DeliveryMessage, HeraldEvent, Notifier } from '../../shared/core/types.js';
import { monotonicFactory } from 'ulid';
import { deliveryIdFor, newId } from '../../shared/ids.js';

/** Ids in the order made, even within a millisecond (the tests list newest first). */
const ulid = monotonicFactory();

/** Fresh things to store, with ids as Herald makes them. */
export const appId = () => `app-${randomBytes(4).toString('hex')}`;

export const app = (id = appId()): App => ({
  id,
  name: 'Shop',
  owner: { email: 'o@shop.example' },
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
});

export const key = (forApp: string): ApiKey => ({
  id: newId('key'),
  appId: forApp,
  prefix: 'hrd_app_xyz',
  createdAt: new Date().toISOString(),
});

export const notifier = (forApp: string, fields: Partial<Notifier> = {}): Notifier => ({
  id: newId('ntf'),
  appId: forApp,
  name: 'Hook',
  enabled: true,
  channel: 'webhook',
  target: { url: 'https://hooks.example/x' },
  events: ['*'],
  minSeverity: 'info',
  default: false,
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
  ...fields,
});

export const event = (forApp: string, fields: Partial<HeraldEvent> = {}): HeraldEvent => ({
  id: `evt_${ulid().toLowerCase()}`,
  appId: forApp,
  type: 'app_deployed',
  severity: 'info',
  title: 'Deployed v42 🚀',
  occurredAt: new Date().toISOString(),
  receivedAt: new Date().toISOString(),
  ...fields,
});

/** A delivery of `e` to `recipient` through a notifier of that channel, as ingest makes it. */
export function delivery(
  e: HeraldEvent,
  recipient = 'https://hooks.example/x',
  channel: ChannelName = 'webhook',
  notifierId = 'ntf_1',
): Delivery {
  return {
    id: deliveryIdFor(e.id)(notifierId, recipient),
    eventId: e.id,
    eventType: e.type,
    appId: e.appId,
    notifierId,
    channel,
    recipient,
    status: 'queued',
    createdAt: e.receivedAt,
    attempts: [],
  };
}

export const ref = (d: Delivery): DeliveryRef => ({
  id: d.id,
  eventId: d.eventId,
  appId: d.appId,
  notifierId: d.notifierId,
  channel: d.channel,
  recipient: d.recipient,
  ...(d.part ? { part: d.part } : {}),
});

export const message = (e: HeraldEvent, d: Delivery): DeliveryMessage => ({
  v: 1,
  delivery: ref(d),
  event: e,
  app: { id: e.appId, name: 'Shop' },
  notifier: { id: d.notifierId, name: 'Hook', target: { url: d.recipient } },
});
