import { describe, expect, it } from 'vitest';
import { QueueConsumer } from '../../../infra/local/engine/consumer.js';
import { Engine } from '../../../infra/local/engine/engine.js';
import { DELIVERY, VISIBILITY_TIMEOUT_SECONDS } from '../../../shared/resources.js';

/** What the SQS emulator cannot show in a test's time: the visibility timeout and maxReceiveCount, on a fake clock. */
describe('the embedded queues', () => {
  it("give a message back when its receiver dies (the visibility timeout ends), and move it to the family's DLQ after maxReceiveCount receives", async () => {
    let now = 0;
    const engine = await Engine.open({ now: () => now });
    engine.queues.send('webhook', 'm1', { v: 2 });
    for (let receive = 1; receive <= DELIVERY.maxReceiveCount; receive++) {
      const [message] = engine.queues.receive('webhook', 10);
      expect(message).toMatchObject({ id: 'm1', receives: receive });
      now += (VISIBILITY_TIMEOUT_SECONDS - 1) * 1000;
      expect(engine.queues.receive('webhook', 10)).toEqual([]);
      now += 1000;
    }
    expect(engine.queues.receive('webhook', 10)).toEqual([]);
    expect(engine.queues.count('webhook')).toBe(0);
    expect(engine.queues.receive('webhook-dlq', 10)).toMatchObject([{ id: 'm1', body: { v: 2 } }]);
  });

  it('keeps a delay to 900 s at most, and ignores a receipt of an earlier receive', async () => {
    let now = 0;
    const engine = await Engine.open({ now: () => now });
    engine.queues.send('email', 'm1', {}, 5000);
    now += 900_000;
    const [first] = engine.queues.receive('email', 1);
    expect(first?.id).toBe('m1');
    now += VISIBILITY_TIMEOUT_SECONDS * 1000;
    const [second] = engine.queues.receive('email', 1);
    engine.queues.delete('m1', first!.receipt);
    expect(engine.queues.count('email')).toBe(1);
    expect(() => engine.queues.changeVisibility('m1', first!.receipt, 10)).toThrow(/not in flight/);
    engine.queues.delete('m1', second!.receipt);
    expect(engine.queues.count('email')).toBe(0);
  });

  it("wake an idle consumer for a message sent with a delay, which it takes when it shows (a group's timer in local mode)", async () => {
    const engine = await Engine.open();
    const taken: { id: string; at: number }[] = [];
    const consumer = new QueueConsumer(engine.queues, 'timers', async (message) => void taken.push({ id: message.id, at: Date.now() }));
    consumer.start();
    await new Promise((resolve) => setTimeout(resolve, 50)); // idle: nothing to take, no timer set
    const sentAt = Date.now();
    engine.queues.send('timers', 't1', { kind: 'group' }, 1);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await consumer.stop();
    expect(taken.map((t) => t.id)).toEqual(['t1']);
    expect(taken[0]!.at - sentAt).toBeGreaterThanOrEqual(1000);
  });
});
