import { describe, expect, it } from 'vitest';
import { Engine } from '../../infra/local/engine/engine.js';
import { embeddedStores } from '../../infra/local/engine/wiring.js';
import { appId, delivery, event, ref } from '../contract/fixtures.js';

const DAY = 86_400_000;

/**
 * Local mode treats a record past its retention as gone before the minute's sweep deletes
 * it, as Herald does on DynamoDB (retention.test.ts): on a clock moved ahead, the store as it is.
 */
describe('retention in local mode', () => {
  it('no longer counts a dead letter whose retention has ended', async () => {
    let now = Date.now();
    const engine = await Engine.open({ now: () => now });
    const { events, deliveries } = embeddedStores(engine, { retentionDays: 30 }, () => new Date(now));
    const e = event(appId());
    const d = delivery(e, 'https://dead.example', 'slack');
    await events.save(e, [d], { unchanged: false });
    await deliveries.claim([ref(d)], new Date(now), e);
    await deliveries.record([{ delivery: ref(d), outcome: { status: 'dead', reason: 'gave up' } }]);
    expect(await deliveries.countDead('slack')).toBe(1);

    now += 29 * DAY;
    expect(await deliveries.countDead('slack')).toBe(1);
    now += 2 * DAY;
    // What GET /v1/dlq shows: none, as the list and a redrive see none.
    expect((await deliveries.listDead('slack', { limit: 10 })).items).toEqual([]);
    expect(await deliveries.countDead('slack')).toBe(0);
    await engine.close();
  });
});
