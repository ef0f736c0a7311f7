import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS, type Backend } from './backends.js';
import { appId, delivery, event, message } from './fixtures.js';
import type { GroupTimer, Timer } from '../../shared/core/ports.js';

const idsOf = (taken: { messages: { delivery: { id: string } }[] }[]) => taken.map((t) => t.messages.map((m) => m.delivery.id).sort());

/**
 * DeliveryQueue, ReceivedMessage and DeadLetterQueues behave alike on SQS (fauxqs) and in
 * the embedded engine, whose clock is a fake one (the emulator's waits are real: short).
 */
describe.each(BACKENDS)('the queues on the %s', (_name, open) => {
  let backend: Backend;
  beforeEach(async () => {
    backend = await open();
  });
  afterEach(() => backend.close());

  it("carries an event's deliveries on one family's queue in one message, each family its own", async () => {
    const e = event(appId());
    const hooks = [delivery(e, 'https://a.example'), delivery(e, 'https://b.example'), delivery(e, 'https://c.example')];
    const mail = delivery(e, 'ops@shop.example', 'email');
    expect(await backend.stores.queue.enqueue([...hooks, mail].map((d) => message(e, d)))).toEqual([]);
    const taken = await backend.take('webhook');
    expect(idsOf(taken)).toEqual([hooks.map((d) => d.id).sort()]);
    expect(taken[0]!.messages[0]!.event).toEqual(e); // the emoji in its title too
    expect(idsOf(await backend.take('email'))).toEqual([[mail.id]]);
    expect(await backend.take('webhook')).toEqual([]); // hidden while taken
  });

  it('refuses for good a delivery whose message is over 256 KiB, and queues the others', async () => {
    const e = event(appId());
    const big = event(e.appId, { data: { blob: 'x'.repeat(300 * 1024) } });
    const small = delivery(e);
    const refused = await backend.stores.queue.enqueue([message(e, small), message(big, delivery(big))]);
    expect(refused).toEqual([{ deliveryId: delivery(big).id, reason: expect.stringContaining('256 KiB'), permanent: true }]);
    expect(idsOf(await backend.take('webhook'))).toEqual([[small.id]]);
  });

  it('offers a message again once the time given to retryIn has passed, not before', async () => {
    const e = event(appId());
    await backend.stores.queue.enqueue([message(e, delivery(e))]);
    const [taken] = await backend.take('webhook');
    await taken!.received.retryIn(2);
    expect(await backend.take('webhook')).toEqual([]);
    await backend.pass(2.5);
    expect(idsOf(await backend.take('webhook'))).toEqual([[delivery(e).id]]);
  });

  it('sets deliveries aside as a new message, shown after the delay; the message itself stays held', async () => {
    const e = event(appId());
    const [a, b] = [delivery(e, 'https://a.example'), delivery(e, 'https://b.example')];
    await backend.stores.queue.enqueue([message(e, a), message(e, b)]);
    const [taken] = await backend.take('webhook');
    await taken!.received.setAside(2, [message(e, b)]);
    expect(await backend.take('webhook')).toEqual([]);
    await backend.pass(2.5);
    expect(idsOf(await backend.take('webhook'))).toEqual([[b.id]]);
  });

  it('puts a copy of a message in its DLQ, which a drain hands over and empties', async () => {
    const { deadLetters } = backend.stores;
    const e = event(appId());
    const d = delivery(e, 'https://hooks.example/dead', 'slack');
    await backend.stores.queue.enqueue([message(e, d)]);
    const [taken] = await backend.take('slack');
    await taken!.received.deadLetter();
    const handed: string[] = [];
    const drained = await deadLetters.drain('slack', { max: 100, deadline: Date.now() + 5000 }, async (messages) => {
      handed.push(...messages.map((m) => m.delivery.id));
    });
    expect(drained).toBe(1);
    expect(handed).toEqual([d.id]);
    expect(await deadLetters.drain('slack', { max: 100, deadline: Date.now() + 5000 }, async () => {})).toBe(0);
  });

  describe('the timer queue', () => {
    const timer = (group: string): Timer => ({ kind: 'group', appId: appId(), notifierId: 'ops', group, seq: 1 });

    it('hides a timer set for 2 s at 1 s, and shows it at about 2 s, once', async () => {
      const due = new Date(backend.now().getTime() + 2000);
      const db = timer('db');
      await backend.stores.timers.set([{ timer: db, at: due }]);
      await backend.pass(1);
      expect(await backend.takeTimers()).toEqual([]);
      await backend.pass(1.2);
      expect(await backend.takeTimers()).toEqual([{ v: 1, at: due.toISOString(), timer: db }]);
      expect(await backend.takeTimers()).toEqual([]);
    });

    it("sends a timer set for 2,000 s with SQS's longest delay, 900 s (fireTimers sets it again for what is left)", async () => {
      await backend.stores.timers.set([{ timer: timer('far'), at: new Date(backend.now().getTime() + 2000_000) }]);
      const [shows, ...more] = await backend.hiddenTimers();
      expect(more).toEqual([]);
      expect(shows).toBeGreaterThan(898);
      expect(shows).toBeLessThanOrEqual(900);
    });

    it('sets timers in any number (SQS takes ten a call), a group key in any script travelling as it is', async () => {
      const groups = Array.from({ length: 23 }, (_, i) => `cluster=eu-${i} 🚨 ü`);
      const now = backend.now();
      await backend.stores.timers.set(groups.map((g) => ({ timer: timer(g), at: now })));
      await backend.pass(0.1);
      const taken = [...(await backend.takeTimers()), ...(await backend.takeTimers()), ...(await backend.takeTimers())];
      expect(taken.map((m) => (m.timer as GroupTimer).group).sort()).toEqual([...groups].sort());
    });
  });
});
