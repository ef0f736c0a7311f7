import { TABLE } from '../../shared/resources.js';
import { startReceiver, type Receiver } from '../../test/support/receiver.js';
import { median } from '../figures.js';
import type { FunctionSettings } from '../stack-settings.js';
import { ADMIN_KEY, startLambdas, type Lambdas } from './lambdas.js';
import { captureOutput } from './output-capture.js';
import type { SdkMeter, Tally } from './sdk-meter.js';
import { storedBytes, type Item } from './write-units.js';

export type Variant = 'single' | 'key' | 'batch';
export const DELIVERY_COUNTS = [1, 2, 10] as const;
/** Events per batch request: batch ingest's most. */
export const BATCH_SIZE = 100;
const SINGLE_EVENTS = 10;
const DAY_SECONDS = 86_400;

/** What the life of some events cost, from ingest to their last delivery (all sent at the first attempt). */
export interface EventsLife {
  deliveries: number;
  variant: Variant;
  events: number;
  /** Provider calls the receiver got. */
  attempts: number;
  ingest: Tally;
  delivery: Tally;
  /** The API requests, by their body's size. */
  apiRequestBytes: number[];
  apiLog: { bytes: number; lines: number };
  familyLog: { bytes: number; lines: number };
  /** The messages on the family queue, by size. */
  messageBytes: number[];
  /** Bytes the events leave in the table (items and index entries), and for how many days each stays (TTL, or the retention). */
  stored: { bytes: number; days: number }[];
}

/** How long the handlers took, unmetered: per API request, and per invocation of the webhook function at a full batch of 10. */
export interface HandlerTimes {
  apiMs: Record<string, number>;
  webhookBatchMs: Record<string, number>;
}

/** An event as an app might post it: a title, a message and a little data. */
const anEvent = (i: number) => ({
  type: 'bench.deployed',
  title: `Deployed v${i}`,
  message: `Build ${1000 + i} of shop went out to production`,
  data: { version: `v${i}`, commit: 'ac77098' },
});

export interface AwsRun {
  lives: EventsLife[];
  times: HandlerTimes;
  /** Whether the api answers POST /v1/events/batch. */
  batchAvailable: boolean;
}

/**
 * Runs the events of every case (1, 2 and 10 webhook deliveries; one event per request,
 * with an idempotency key, and through batch ingest) through the Lambda handlers against
 * the emulators: metered first (every AWS call priced, writes one at a time), then
 * unmetered for the handlers' times.
 */
export async function runAwsScenarios(settings: FunctionSettings[], meter: SdkMeter, retentionDays: number): Promise<AwsRun> {
  const table = meter.table;
  const lambdas = await startLambdas(settings, (client) => meter.exclude(client));
  meter.connect(lambdas.emulators.dynamodb);
  // A receiver per notifier of an event, as each team's webhook is its own host: one
  // receiver for all would hold more than a destination may of an instance (16 attempts at
  // once), and set deliveries aside.
  const receivers = await Promise.all(Array.from({ length: Math.max(...DELIVERY_COUNTS) }, () => startReceiver()));
  const received = () => receivers.reduce((n, r) => n + r.requests.length, 0);
  try {
    meter.metering = false;
    const keys: Record<number, string> = {};
    for (const n of DELIVERY_COUNTS) keys[n] = await createApp(lambdas, receivers, n);
    const post = postEvents(lambdas, keys);
    // Batch ingest is there when the api declares it.
    const batchAvailable = '/v1/events/batch' in ((await lambdas.call('GET', '/openapi.json', ADMIN_KEY)).body?.paths ?? {});
    const quietly = <T>(work: () => Promise<T>) => captureOutput(work).then((c) => c.result);

    const lives: EventsLife[] = [];
    const times: HandlerTimes = { apiMs: {}, webhookBatchMs: {} };
    for (const n of DELIVERY_COUNTS) {
      for (const variant of ['single', 'key', 'batch'] as const) {
        if (variant === 'batch' && !batchAvailable) continue;
        // Warm: the key and the routing cached, this minute's quota counted, the webhook function started.
        await quietly(() => post(n, 'single', 1));
        await quietly(() => lambdas.drain('webhook'));
        const events = variant === 'batch' ? BATCH_SIZE : SINGLE_EVENTS;
        meter.metering = true;
        meter.take();
        const sentBefore = received();
        const ingested = await captureOutput(() => post(n, variant, events));
        const ingest = meter.take();
        const delivered = await captureOutput(() => lambdas.drain('webhook'));
        const delivery = meter.take();
        meter.metering = false;
        const created = await meter.current([...ingest.created.values(), ...delivery.created.values()]);
        lives.push({
          deliveries: n,
          variant,
          events,
          attempts: received() - sentBefore,
          ingest,
          delivery,
          apiRequestBytes: ingested.result,
          apiLog: { bytes: ingested.bytes, lines: ingested.lines },
          familyLog: { bytes: delivered.bytes, lines: delivered.lines },
          messageBytes: ingest.sent.map((s) => s.bytes),
          stored: created.map((item) => ({ bytes: storedBytes(table, item), days: daysKept(item, retentionDays) })),
        });
      }
      // Times, unmetered: each request alone, then the webhook function on full batches.
      for (const variant of batchAvailable ? (['single', 'key', 'batch'] as const) : (['single', 'key'] as const)) {
        const requests = variant === 'batch' ? 3 : 50;
        const eachMs: number[] = [];
        for (let i = 0; i < requests; i++) {
          const t0 = performance.now();
          await quietly(() => post(n, variant, variant === 'batch' ? BATCH_SIZE : 1));
          eachMs.push(performance.now() - t0);
        }
        times.apiMs[`${variant} ${n}`] = median(eachMs);
        const drained = await quietly(() => lambdas.drain('webhook'));
        const full = drained.invocations.filter((i) => i.records === 10).map((i) => i.ms);
        if (full.length) times.webhookBatchMs[`${variant} ${n}`] = median(full);
      }
    }
    return { lives, times, batchAvailable };
  } finally {
    meter.metering = false;
    for (const r of receivers) await r.close();
    await lambdas.stop();
  }
}

async function createApp(lambdas: Lambdas, receivers: Receiver[], deliveries: number): Promise<string> {
  const id = `bench${deliveries}`;
  const created = await lambdas.call('POST', '/v1/apps', ADMIN_KEY, { id, name: id, owner: { email: `owner@${id}.example` } });
  if (created.status !== 201) throw new Error(`creating app ${id}: ${created.status} ${JSON.stringify(created.body)}`);
  for (let i = 0; i < deliveries; i++) {
    const notifier = {
      name: `hook ${i}`,
      channel: 'webhook',
      target: { url: `${(receivers[i] as Receiver).url}/${id}/${i}` },
      events: ['bench.*'],
    };
    const res = await lambdas.call('POST', `/v1/apps/${id}/notifiers`, ADMIN_KEY, notifier);
    if (res.status !== 201) throw new Error(`creating a notifier: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return created.body.apiKey as string;
}

/** Posts `count` events of the app with `deliveries` notifiers, one per request (with an idempotency key or not) or in one batch; the requests' body sizes. */
function postEvents(lambdas: Lambdas, keys: Record<number, string>) {
  let serial = 0;
  return async (deliveries: number, variant: Variant, count: number): Promise<number[]> => {
    const key = keys[deliveries]!;
    const events = Array.from({ length: count }, () => anEvent(serial++));
    if (variant === 'batch') {
      const res = await lambdas.call('POST', '/v1/events/batch', key, { events });
      const results = (res.body?.results ?? []) as { status: number; deliveries: number }[];
      if (![200, 202].includes(res.status) || results.length !== count || results.some((r) => r.deliveries !== deliveries))
        throw new Error(`batch ingest answered ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
      return [Buffer.byteLength(JSON.stringify({ events }))];
    }
    const sizes: number[] = [];
    for (const event of events) {
      const headers: Record<string, string> = variant === 'key' ? { 'idempotency-key': `bench-${event.data.version}-${Date.now()}` } : {};
      const res = await lambdas.call('POST', '/v1/events', key, event, headers);
      if (res.status !== 202 || res.body.deliveries !== deliveries)
        throw new Error(`POST /v1/events answered ${res.status} ${JSON.stringify(res.body)} (expected ${deliveries} deliveries)`);
      sizes.push(Buffer.byteLength(JSON.stringify(event)));
    }
    return sizes;
  };
}

/** How long an item stays: until its TTL attribute, if it has one before the retention's end; the retention otherwise. */
function daysKept(item: Item, retentionDays: number): number {
  const expiresAt = item[TABLE.ttlAttribute]?.N;
  if (expiresAt === undefined) return retentionDays;
  return Math.min(retentionDays, Math.max(0, (Number(expiresAt) - Date.now() / 1000) / DAY_SECONDS));
}
