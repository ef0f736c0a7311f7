import { describe, expect, it } from 'vitest';
import { planDeliveries } from '../../../shared/core/routing.js';
import type { HeraldEvent, Notifier } from '../../../shared/core/types.js';

const base = { enabled: true, minSeverity: 'info' as const, default: false, createdAt: '', updatedAt: '', appId: 'shop' };
const notifiers: Notifier[] = [
  {
    ...base,
    id: 'ntf_mail',
    name: 'mail',
    channel: 'email',
    target: { to: ['a@example.com', 'b@example.com', 'a@example.com'] },
    events: ['*'],
  },
  {
    ...base,
    id: 'ntf_hook',
    name: 'hook',
    channel: 'webhook',
    target: { url: 'https://r.example/h', secret: 'whsec_x' },
    events: ['monitor.*'],
  },
  { ...base, id: 'ntf_off', name: 'off', channel: 'slack', target: { url: 'https://hooks.slack.com/x' }, events: ['*'], enabled: false },
];
const event: HeraldEvent = {
  id: 'evt_1',
  appId: 'shop',
  type: 'app_deployed',
  severity: 'info',
  title: 'v42',
  occurredAt: 't',
  receivedAt: 't',
};

describe('routing an event', () => {
  let n = 0;
  const plan = (e: HeraldEvent) =>
    planDeliveries({
      event: e,
      app: { id: 'shop', name: 'Shop' },
      notifiers,
      recipientsOf: (x) => (x.target?.['to'] as string[] | undefined) ?? [x.target?.['url'] as string],
      deliveryId: (notifierId, recipient) => `dlv_${notifierId}_${recipient}_${++n}`,
      now: 'now',
    });

  it('makes one queued delivery per distinct recipient of each matching notifier', () => {
    const planned = plan(event);
    expect(planned.map((p) => [p.delivery.notifierId, p.delivery.recipient, p.delivery.status])).toEqual([
      ['ntf_mail', 'a@example.com', 'queued'],
      ['ntf_mail', 'b@example.com', 'queued'],
    ]);
    expect(new Set(planned.map((p) => p.delivery.id)).size).toBe(2);
  });

  it('puts in each message all a channel function needs: event, app, target', () => {
    const [hook] = plan({ ...event, type: 'monitor.down' }).filter((p) => p.delivery.channel === 'webhook');
    expect(hook?.message).toMatchObject({
      v: 1,
      delivery: { eventId: 'evt_1', notifierId: 'ntf_hook', recipient: 'https://r.example/h' },
      event: { type: 'monitor.down', title: 'v42' },
      app: { id: 'shop', name: 'Shop' },
      notifier: { id: 'ntf_hook', target: { secret: 'whsec_x' } },
    });
  });

  it('leaves out the notifiers whose selection does not match', () => {
    expect(plan({ ...event, severity: 'info', type: 'x' }).every((p) => p.delivery.notifierId === 'ntf_mail')).toBe(true);
  });
});
