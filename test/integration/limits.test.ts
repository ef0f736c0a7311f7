import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHerald, type TestHerald } from '../support/herald.js';

let herald: TestHerald;

beforeAll(async () => {
  herald = await startTestHerald();
});
afterAll(() => herald.stop());

const newApp = async (id: string, limits: object) => {
  const res = await herald.call('POST', '/v1/apps', {
    key: herald.adminKey,
    body: { id, name: id, owner: { email: `o@${id}.example` }, limits },
  });
  expect(res.status).toBe(201);
  return res.body.apiKey as string;
};
const deliveriesOf = async (appId: string, eventId: string) =>
  (await herald.call('GET', `/v1/apps/${appId}/events/${eventId}`, { key: herald.adminKey })).body.deliveries as any[];

describe('rate and spend limits', () => {
  it("answers 429 with Retry-After past the app's events per minute, and stores nothing", async () => {
    // app_created, the welcome, counts as the first event of the minute.
    const key = await newApp('quota', { eventsPerMinute: 4 });
    const statuses: number[] = [];
    let refused: any;
    // 12 posts: even if a new minute starts midway, one of the two minutes goes over.
    for (let i = 0; i < 12; i++) {
      const res = await herald.call('POST', '/v1/events', { key, body: { type: 'x' } });
      statuses.push(res.status);
      if (res.status === 429) refused = res;
    }
    expect(statuses.filter((s) => s === 202).length).toBeLessThanOrEqual(7);
    expect(statuses).toContain(429);
    expect(refused.body.error.code).toBe('rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    const events = (await herald.call('GET', '/v1/apps/quota/events?limit=100', { key: herald.adminKey })).body.events;
    expect(events.filter((e: any) => e.type === 'x')).toHaveLength(statuses.filter((s) => s === 202).length);
  });

  it("suppresses SMS past the app's daily cap, saying why", async () => {
    const key = await newApp('texts', { smsPerDay: 2 });
    await herald.call('POST', '/v1/apps/texts/notifiers', {
      key: herald.adminKey,
      body: { name: 'sms', channel: 'sms', target: { to: ['+4915112345678'] }, events: ['x'] },
    });
    const results = [];
    for (let i = 0; i < 3; i++)
      results.push((await herald.call('POST', '/v1/events', { key, body: { type: 'x', title: `n${i}` } })).body.eventId);
    const statuses = [];
    for (const id of results) statuses.push((await deliveriesOf('texts', id))[0]);
    expect(statuses.map((d) => d.status === 'suppressed')).toEqual([false, false, true]);
    expect(statuses[2].reason).toBe("the app's daily SMS cap of 2 is reached");
  });

  it('suppresses the deliveries of an event past the cap', async () => {
    const key = await newApp('wide', { deliveriesPerEvent: 2 });
    await herald.call('POST', '/v1/apps/wide/notifiers', {
      key: herald.adminKey,
      body: { name: 'many', channel: 'email', target: { to: ['a@example.com', 'b@example.com', 'c@example.com'] }, events: ['x'] },
    });
    const posted = await herald.call('POST', '/v1/events', { key, body: { type: 'x' } });
    expect(posted.body.deliveries).toBe(3);
    const deliveries = await deliveriesOf('wide', posted.body.eventId);
    expect(deliveries.filter((d) => d.status === 'suppressed').map((d) => d.reason)).toEqual(['over the cap of 2 deliveries per event']);
  });
});
