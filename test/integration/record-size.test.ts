import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startReceiver, type Receiver } from '../support/receiver.js';
import { startTestHerald, type TestHerald } from '../support/herald.js';

/*
 * DynamoDB refuses an item over 400 KB, and so does dynalite. An event's record once held
 * the event and every delivery of it with every attempt: an event for a few hundred long
 * receiver URLs, or a delivery retried many times with a long error, made ingest or an
 * outcome write fail. These tests pass that size the way a user can, and check what the
 * user sees.
 */

let herald: TestHerald;
let receiver: Receiver;
let key: string;

/** A receiver URL of about 2,000 characters (a webhook URL may be 2,048), one per notifier. */
const longUrl = (base: string, i: number) => `${base}/hook/${i}?${'k'.repeat(20)}=${'v'.repeat(1950)}`;

/** 250 such webhooks: each delivery holds its URL, so the deliveries alone are about 500 KB. */
const NOTIFIERS = 250;

/**
 * A URL whose masked form (as errors name it) is long: each one-character path segment is
 * shown as `****`, so 1,000 of them make an error of about 5 KB at every attempt.
 */
const failingUrl = (base: string) => `${base}/down${'/x'.repeat(1000)}`;

/** 100 attempts of one delivery (retries without a wait), each with a 5 KB error: about 500 KB of attempts. */
const RETRIES = 99;

beforeAll(async () => {
  receiver = await startReceiver();
  receiver.respond((req) => ({ status: req.path.startsWith('/down') ? 503 : 200 }));
  herald = await startTestHerald({ retrySchedule: Array.from({ length: RETRIES }, () => 0) });
  key = await herald.createApp('wide', {
    limits: { deliveriesPerEvent: 1000 },
    notifiers: [
      ...Array.from({ length: NOTIFIERS }, (_, i) => ({
        name: `hook ${i}`,
        channel: 'webhook',
        target: { url: longUrl(receiver.url, i) },
        events: ['release_out'],
      })),
      { name: 'down', channel: 'webhook', target: { url: failingUrl(receiver.url) }, events: ['outage'] },
    ],
  });
  herald.startDelivering();
}, 120_000);
afterAll(async () => {
  await herald.stop();
  await receiver.close();
});

/** Every delivery the log lists for the event, page by page. */
async function logOf(eventId: string): Promise<any[]> {
  const all: any[] = [];
  let cursor = '';
  do {
    const page = await herald.call('GET', `/v1/apps/wide/deliveries?eventId=${eventId}&limit=100${cursor}`, { key: herald.adminKey });
    expect(page.status).toBe(200);
    all.push(...page.body.deliveries);
    cursor = page.body.nextCursor ? `&cursor=${page.body.nextCursor}` : '';
  } while (cursor);
  return all;
}

describe('an event whose deliveries pass 400 KB', () => {
  it('is accepted with every delivery planned, every receiver gets its request, and the log lists them sent', async () => {
    const posted = await herald.call('POST', '/v1/events', { key, body: { type: 'release_out', title: 'Release 8' } });
    expect(posted.status).toBe(202);
    expect(posted.body.deliveries).toBe(NOTIFIERS);

    const hooks = await eventually(
      async () => {
        const paths = new Set(receiver.requests.filter((r) => r.path.startsWith('/hook/')).map((r) => r.path.split('?')[0]));
        return paths.size === NOTIFIERS && paths;
      },
      90_000,
      `${NOTIFIERS} webhooks`,
    );
    expect([...hooks].sort()).toEqual(Array.from({ length: NOTIFIERS }, (_, i) => `/hook/${i}`).sort());

    const listed = await eventually(
      async () => {
        const log = await logOf(posted.body.eventId);
        return log.length === NOTIFIERS && log.every((d) => d.status === 'sent') && log;
      },
      30_000,
      'every delivery listed as sent',
    );
    expect(new Set(listed.map((d) => d.id)).size).toBe(NOTIFIERS);

    // The event's page shows it with all its deliveries, and a repeat of its idempotency answer counts them all.
    const event = await herald.call('GET', `/v1/apps/wide/events/${posted.body.eventId}`, { key: herald.adminKey });
    expect(event.status).toBe(200);
    expect(event.body.deliveries).toHaveLength(NOTIFIERS);
    const one = await herald.call('GET', `/v1/apps/wide/deliveries/${listed[0].id}`, { key: herald.adminKey });
    expect(one.status).toBe(200);
    expect(one.body.delivery).toMatchObject({ id: listed[0].id, status: 'sent', attemptCount: 1 });
  }, 150_000);
});

describe('a delivery that fails many times with a long error', () => {
  it('ends dead after every attempt, recorded: the log shows it dead, its first and latest attempts, and how many it had', async () => {
    const posted = await herald.call('POST', '/v1/events', { key, body: { type: 'outage' } });
    expect(posted.status).toBe(202);
    expect(posted.body.deliveries).toBe(1);

    const dead = await eventually(
      async () => {
        const [d] = await logOf(posted.body.eventId);
        return d?.status === 'dead' && d;
      },
      120_000,
      'the delivery dead',
    );
    expect(receiver.requests.filter((r) => r.path.startsWith('/down')).length).toBe(RETRIES + 1);
    expect(dead.attemptCount).toBe(RETRIES + 1);
    expect(dead.reason).toMatch(/^gave up after 100 attempts: POST /);
    expect(dead.attempts[0]).toMatchObject({ n: 1, outcome: 'retrying', statusCode: 503 });
    expect(dead.lastAttempt).toMatchObject({ n: RETRIES + 1, outcome: 'failed', statusCode: 503 });
    expect(dead.lastAttempt.error).toMatch(/HTTP 503/);

    // The failed view and the dead letters find it too.
    const failed = await herald.call('GET', '/v1/apps/wide/deliveries?status=dead', { key: herald.adminKey });
    expect(failed.body.deliveries.map((d: any) => d.id)).toContain(dead.id);
  }, 150_000);
});
