// First: the tests below read the metrics published.
import { snsVerifier } from '../../../shared/services/inbound/sns-verifier.js';
import '../../support/metrics-on.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { quietDecision } from '../../../shared/core/quiet-hours.js';
import { occurrenceDecision, throttleDecision } from '../../../shared/core/repeats.js';
import { Authenticator } from '../../../shared/services/auth.js';
import { IngestVolume, suppressedKindOf } from '../../../shared/services/ingest-metrics.js';
import { createHttpApi } from '../../../functions/api/http-api.js';
import { ingestRoutes } from '../../../functions/api/ingest-routes.js';
import { app, key, notifier } from '../../contract/fixtures.js';
import { memoryHerald, type MemoryHerald } from '../../support/fakes.js';

/**
 * What CloudWatch gets from an ingest request (POST /v1/events, /v1/events/batch), served
 * by the ingest routes on in-memory stores: the EMF documents it prints, one a line.
 */

const ADMIN_KEY = 'hrd_admin_metrics-test';
const ALL_DAY = { timeZone: 'UTC', windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], from: '00:00', to: '00:00' }] };

let herald: MemoryHerald;
let lines: string[];
/** Each test a minute after the one before: the instance was quiet, and publishes a request's volume when it ends. */
let minute = Date.UTC(2026, 10, 30, 12);

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime((minute += 60_000));
  herald = await memoryHerald();
  lines = [];
  vi.spyOn(console, 'log').mockImplementation((line: unknown) => void lines.push(String(line)));
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

async function post(path: string, body: unknown): Promise<Response> {
  const deps = {
    ...herald,
    auth: new Authenticator(ADMIN_KEY, herald.keys),
    providers: {},
    sns: snsVerifier({ outbound: { allowPrivate: true } }),
  };
  const api = createHttpApi(deps, (routes) => ingestRoutes(routes, deps));
  return api.request(path, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** The documents printed, each with its metric names and dimensions as CloudWatch reads them. */
const documents = () => lines.filter((l) => l.includes('"_aws"')).map((l) => JSON.parse(l));
const dimensionsOf = (d: any): string[][] => d._aws.CloudWatchMetrics[0].Dimensions;

describe('ingest metrics', () => {
  it('an event accepted with two deliveries: one document, EventsAccepted 1 and DeliveriesPlanned 2, under the service dimension', async () => {
    await herald.apps.create(app('shop'), key('shop'), 'hash', notifier('shop', { default: true }));
    await herald.notifiers.put(notifier('shop', { name: 'Second hook', target: { url: 'https://hooks.example/second' } }));
    const res = await post('/v1/events', { app: 'shop', type: 'app_deployed', severity: 'info', title: 'Deployed v42' });
    expect(res.status).toBe(202);
    expect(documents()).toEqual([expect.objectContaining({ service: 'herald', EventsAccepted: 1, DeliveriesPlanned: 2 })]);
    expect(documents()[0]._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'Herald', Dimensions: [['service']] });
  });

  it('a batch with one event rate limited and one suppressed by quiet hours: the counts, and a document per reason', async () => {
    await herald.apps.create(
      { ...app('shop'), limits: { eventsPerMinute: 1 } },
      key('shop'),
      'hash',
      notifier('shop', { default: true, quietHours: { ...ALL_DAY, during: 'suppress', criticalBypass: false } as never }),
    );
    const event = { app: 'shop', type: 'app_deployed', severity: 'info', title: 'Deployed' };
    const res = await post('/v1/events/batch', { events: [event, { ...event, title: 'Deployed again' }] });
    expect(res.status).toBe(207);

    const printed = documents();
    expect(printed).toHaveLength(3);
    expect(printed).toContainEqual(expect.objectContaining({ EventsAccepted: 1, DeliveriesPlanned: 1 }));
    expect(printed).toContainEqual(expect.objectContaining({ service: 'herald', reason: 'rate_limited', EventsRefused: 1 }));
    expect(printed).toContainEqual(expect.objectContaining({ service: 'herald', reason: 'quiet_hours', DeliveriesSuppressed: 1 }));
    for (const d of printed.filter((p) => 'reason' in p)) expect(dimensionsOf(d)).toEqual([['service', 'reason']]);
  });

  it('counts a refusal before the route too: a body that does not parse is EventsRefused, reason invalid_json', async () => {
    const res = await post('/v1/events', '{"app": "shop", ');
    expect(res.status).toBe(400);
    expect(documents()).toEqual([expect.objectContaining({ reason: 'invalid_json', EventsRefused: 1 })]);
  });

  it('sums the volume of a busy instance over 10 s, timestamped when the sum began, and publishes what a burst left when the next request comes', () => {
    let now = Date.UTC(2026, 10, 30, 9);
    const start = now;
    const volume = new IngestVolume(() => now);
    const at = (seconds: number, accepted: number, planned: number) => {
      now = start + seconds * 1000;
      volume.add(accepted, planned);
    };
    const published = () => documents().map((d) => [d._aws.Timestamp - start, d.EventsAccepted, d.DeliveriesPlanned]);

    at(0, 1, 2); // a quiet instance: at once
    expect(published()).toEqual([[0, 1, 2]]);
    at(1, 1, 2); // busy from here: summed
    at(5, 1, 2);
    at(9.9, 0, 0); // a refusal adds nothing, and is not the sum's end
    expect(published()).toHaveLength(1);
    at(11, 1, 2); // 10 s since the sum began
    expect(published()).toEqual([
      [0, 1, 2],
      [1000, 3, 6],
    ]);
    at(12, 1, 3); // a burst's last request, then a pause
    at(300, 1, 1);
    expect(published().slice(2)).toEqual([
      [12_000, 1, 3],
      [300_000, 1, 1],
    ]);
  });

  it('names every reason ingest suppresses a delivery for by its kind, and any other as other', () => {
    const at = new Date('2026-11-30T03:00:00Z');
    const quiet = quietDecision({ ...ALL_DAY, during: 'suppress', criticalBypass: false } as never, false, at);
    const throttled = throttleDecision(3, { limit: 5, windowSeconds: 600 });
    const occurrence = occurrenceDecision(2, { on: [3], windowSeconds: 600 });
    expect(
      [
        quiet?.reason,
        !throttled.send && throttled.reason,
        !occurrence.send && occurrence.reason,
        'over the cap of 100 deliveries per event',
        "the app's daily SMS cap of 100 is reached",
        'something new',
      ].map((r) => suppressedKindOf(r || undefined)),
    ).toEqual(['quiet_hours', 'throttled', 'occurrences', 'deliveries_cap', 'sms_cap', 'other']);
  });
});
