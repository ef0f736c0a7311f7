import { expect, it } from 'vitest';
import type { DeliveryMessage } from '../../../shared/core/types.js';
import type { ReceivedMessage } from '../../../shared/core/ports.js';
import { webhook } from '../../../shared/channels/webhook.js';
import { AttemptMetrics } from '../../../shared/services/attempt-metrics.js';
import { deliver, type DeliverDeps } from '../../../shared/services/deliver.js';
import { DestinationLoad } from '../../../shared/services/destination-load.js';

const message = (channel: 'webhook' | 'email', recipient: string): DeliveryMessage => ({
  v: 1,
  delivery: { id: `dlv_${channel}`, eventId: 'evt_1', appId: 'shop', notifierId: `ntf_${channel}`, channel, recipient },
  event: {
    id: 'evt_1',
    appId: 'shop',
    type: 'x',
    severity: 'info',
    occurredAt: '2026-01-01T00:00:00Z',
    receivedAt: '2026-01-01T00:00:00Z',
  },
  app: { id: 'shop', name: 'Shop' },
  notifier: { id: `ntf_${channel}`, name: channel, target: {} },
});

it('takes no destination room for a message it refuses (a delivery of a channel this function does not deliver)', async () => {
  const load = new DestinationLoad({ maxInFlight: 1, maxInFlightWhenSlow: 1, slowAfterMs: 3000, slowForMs: 60_000 }, () => 0);
  const deps = { channels: { webhook }, load } as unknown as DeliverDeps;
  const wrongQueue = [message('webhook', 'https://hooks.example.com/a'), message('email', 'ops@example.com')];
  await expect(deliver(deps, wrongQueue, {} as ReceivedMessage, new AttemptMetrics())).rejects.toThrow(/does not deliver email/);
  // The webhook's destination still has its one room: the message stays on its queue, and holds nothing.
  expect(load.take('hooks.example.com')).toBeDefined();
});
