import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startReceiver, type Receiver } from '../support/receiver.js';
import { startTestHerald, type TestHerald } from '../support/herald.js';

/*
 * DynamoDB refuses an item over 400 KB, and so does dynalite. An event's record once held
 * the event and every delivery of it with every attempt: an event for a few hundred long
 * receiver URLs, or deliveries retried many times with a long error, made ingest or an
 * outcome write fail. These tests pass that size the way a user can, and check what the
 * user sees.
 */

let herald: TestHerald;
let receiver: Receiver;
/** The webhooks' receivers: 16 of them, as a function instance sends 16 at once to one host (services/destination-load.ts). */
let hosts: Receiver[];
let key: string;

/** A receiver URL of about 2,000 characters (a webhook URL may be 2,048), one per notifier. */
const longUrl = (base: string, i: number) => `${base}/hook/${i}?${'k'.repeat(20)}=${'v'.repeat(1950)}`;

/** 250 such webhooks: each delivery holds its URL, so the deliveries alone are about 500 KB. */
const NOTIFIERS = 250;

/**
 * A URL whose masked form (as errors name it) is long: each one-character path segment is
 * shown as `****`, so 1,000 of them make an error of about 5 KB at every attempt.
 */
const failingUrl = (base: string, i: number) => `${base}/down/${i}${'/x'.repeat(1000)}`;

/** Ten receivers that always fail, ten attempts each (retries without a wait): 100 errors of 5 KB in one event. */
const FAILING = 10;
const RETRIES = 9;

beforeAll(async () => {
  receiver = await startReceiver();
  receiver.respond((req) => ({ status: req.path.startsWith('/down') ? 503 : 200 }));
  hosts = await Promise.all(Array.from({ length: 16 }, () => startReceiver()));
  herald = await startTestHerald({ retrySchedule: Array.from({ length: RETRIES }, () => 0) });
  key = await herald.createApp('wide', {
    limits: { deliveriesPerEvent: 1000 },
    notifiers: [
      ...Array.from({ length: NOTIFIERS }, (_, i) => ({
        name: `hook ${i}`,
        channel: 'webhook',
        target: { url: longUrl((hosts[i % hosts.length] as Receiver).url, i) },
        events: ['release_out'],
      })),
      ...Array.from({ length: FAILING }, (_, i) => ({
        name: `down ${i}`,
        channel: 'webhook',
        target: { url: failingUrl(receiver.url, i) },
        events: ['outage'],
      })),
    ],
  });
  herald.startDelivering();
}, 120_000);
afterAll(async () => {
  await herald.stop();
  await Promise.all([receiver, ...hosts].map((r) => r.close()));
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
        const paths = new Set(hosts.flatMap((h) => h.requests.map((r) => r.path.split('?')[0])));
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

describe('deliveries that fail many times with a long error', () => {
  it('end dead after every attempt, recorded; a resend tries again, and the log keeps its first and latest attempts', async () => {
    const posted = await herald.call('POST', '/v1/events', { key, body: { type: 'outage' } });
    expect(posted.status).toBe(202);
    expect(posted.body.deliveries).toBe(FAILING);
    const requests = () => receiver.requests.filter((r) => r.path.startsWith('/down/')).length;

    const dead = await eventually(
      async () => {
        const log = await logOf(posted.body.eventId);
        return log.length === FAILING && log.every((d) => d.status === 'dead') && log;
      },
      120_000,
      'every delivery dead',
    );
    expect(requests()).toBe(FAILING * (RETRIES + 1));
    for (const d of dead) {
      expect(d.attemptCount).toBe(RETRIES + 1);
      expect(d.reason).toMatch(/^gave up after 10 attempts: POST /);
      expect(d.lastAttempt).toMatchObject({ n: RETRIES + 1, outcome: 'failed', statusCode: 503 });
      // The error as kept: its start and its end (what answered), within 512 bytes.
      expect(d.lastAttempt.error).toMatch(/^POST http:\/\/127\.0\.0\.1:\d+\/d\*{4}\/.*….*HTTP 503$/);
      expect(Buffer.byteLength(d.lastAttempt.error)).toBeLessThanOrEqual(512);
    }
    // The dead view reads the markers an outcome writes after the record: found once they are.
    const ids = dead.map((d) => d.id).sort();
    await eventually(
      async () => {
        const view = await herald.call('GET', '/v1/apps/wide/deliveries?status=dead&limit=100', { key: herald.adminKey });
        return JSON.stringify(view.body.deliveries.map((d: any) => d.id).sort()) === JSON.stringify(ids);
      },
      10_000,
      'the dead view listing them',
    );

    // A resend makes a second round: twenty attempts, the first two and the latest eight shown.
    const [again] = dead;
    const resent = await herald.call('POST', `/v1/apps/wide/deliveries/${again.id}/resend`, { key: herald.adminKey });
    expect(resent.status).toBe(202);
    const twice = await eventually(
      async () => {
        const { body } = await herald.call('GET', `/v1/apps/wide/deliveries/${again.id}`, { key: herald.adminKey });
        return body.delivery.status === 'dead' && body.delivery.attemptCount === 2 * (RETRIES + 1) && body.delivery;
      },
      60_000,
      'the resent delivery dead again',
    );
    expect(requests()).toBe((FAILING + 1) * (RETRIES + 1));
    expect(twice.attempts.map((a: any) => a.n)).toEqual([1, 2, 13, 14, 15, 16, 17, 18, 19, 20]);
  }, 200_000);
});
