import { beforeEach, describe, expect, it } from 'vitest';
import type { QuietHours } from '../../../shared/core/quiet-hours.js';
import type { Silence } from '../../../shared/core/silences.js';
import type { Notifier } from '../../../shared/core/types.js';
import { acknowledgeIncident } from '../../../shared/services/incidents.js';
import { ingestEvent } from '../../../shared/services/ingest.js';
import { sendTestNotification } from '../../../shared/services/notifier-test.js';
import { app, key, notifier } from '../../contract/fixtures.js';
import { memoryHerald, type MemoryHerald } from '../../support/fakes.js';

/**
 * README, "How the rules combine": for each event and notifier, in this order, selection →
 * silences → quiet hours → state change → throttle and occurrences → grouping → incident and
 * acknowledgement; each step records why it held the delivery back, and the first step that
 * holds it back is the one recorded. One row per step, and one per pair where the order shows.
 * A notifier's test goes around all of them.
 */

const ALWAYS_QUIET: QuietHours = {
  timeZone: 'UTC',
  windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], from: '00:00', to: '00:00' }],
  during: 'suppress',
  criticalBypass: false,
};
const GROUPED = { by: ['data.cluster'], waitSeconds: 30, intervalSeconds: 300, repeatSeconds: 3600 };

type Post = { type: string; severity?: 'info' | 'warning' | 'critical'; title?: string; data?: Record<string, unknown> };
interface Row {
  step: string;
  notifier?: Partial<Notifier>;
  /** Set up before the posts: a silence, an acknowledged incident... */
  before?: (h: MemoryHerald) => Promise<void>;
  /** Posted in order; the last one's delivery is the row's. */
  posts: Post[];
  /** Seconds that pass before the last post. */
  thenWait?: number;
  /** What the last post's delivery is: its status and reason (or when it is due), or none at all. */
  expect: { status: string; reason?: RegExp; due?: string } | 'no delivery';
}

const failing = (status = 'ERROR', title = 'db failing'): Post => ({
  type: 'check.status',
  title,
  data: { check: 'db', status, cluster: 'eu-1' },
});
const crash: Post = { type: 'app_crashed', severity: 'critical', title: 'Web crashed', data: { cluster: 'eu-1' } };
const silence = (id: string, over: Partial<Silence> = {}): Silence => ({
  id,
  appId: 'shop',
  matchers: [{ field: 'data.cluster', op: '=', value: 'eu-1' }],
  startsAt: '2026-11-24T00:00:00.000Z',
  endsAt: '2026-11-25T00:00:00.000Z',
  comment: 'maintenance',
  createdBy: 'ops',
  createdAt: '2026-11-24T00:00:00.000Z',
  ...over,
});
/** The check's incident, acknowledged after its first failure (a further failure of it then follows). */
const acknowledged = async (h: MemoryHerald) => {
  await ingestEvent(h, 'shop', failing('ERROR'));
  const [incident] = (await h.incidents.list('shop', { status: 'open' }, { limit: 1 })).items;
  await acknowledgeIncident(h, 'shop', incident!.id, { by: 'ops@shop.example' }, undefined);
};

const ROWS: Row[] = [
  {
    step: 'selection: a notifier that does not select the event gets no delivery',
    notifier: { events: ['deploy.*'] },
    posts: [crash],
    expect: 'no delivery',
  },
  {
    step: 'silences: silenced',
    before: (h) => h.silences.put(silence('sil_1')),
    posts: [crash],
    expect: { status: 'suppressed', reason: /^silenced: sil_1$/ },
  },
  {
    step: 'silences before quiet hours: silenced, not quiet',
    notifier: { quietHours: ALWAYS_QUIET },
    before: (h) => h.silences.put(silence('sil_2')),
    posts: [crash],
    expect: { status: 'suppressed', reason: /^silenced: / },
  },
  {
    step: 'quiet hours: suppressed',
    notifier: { quietHours: ALWAYS_QUIET },
    posts: [crash],
    expect: { status: 'suppressed', reason: /^quiet hours/ },
  },
  {
    step: 'quiet hours that hold: queued for their end',
    notifier: { quietHours: { ...ALWAYS_QUIET, windows: [{ days: ['tue'], from: '09:00', to: '18:00' }], during: 'hold' } },
    posts: [crash],
    expect: { status: 'queued', due: '2026-11-24T18:00:00.000Z' },
  },
  { step: 'state change: a status that did not change tells nobody', posts: [failing(), failing()], expect: 'no delivery' },
  {
    step: 'quiet hours before state change: the state changes all the same (its recovery is news)',
    notifier: { quietHours: ALWAYS_QUIET },
    posts: [failing(), failing('OK', 'db back')],
    expect: { status: 'suppressed', reason: /^quiet hours/ },
  },
  {
    step: 'throttle: a repeat within the window',
    posts: [crash, crash],
    expect: { status: 'suppressed', reason: /^throttled: repeat 2 within 60 s$/ },
  },
  {
    step: 'quiet hours before throttle: what quiet hours suppressed counts as no repeat',
    notifier: {
      quietHours: { ...ALWAYS_QUIET, windows: [{ days: ['tue'], from: '09:00', to: '10:30' }] },
      throttle: { limit: 5, windowSeconds: 3600 },
    },
    posts: [crash, crash, crash],
    thenWait: 31 * 60, // past the quiet hours, within the throttle's window: the first it counts
    expect: { status: 'queued' },
  },
  {
    step: 'occurrences: not one it tells',
    notifier: { occurrences: { on: [2], windowSeconds: 600 } },
    posts: [crash],
    expect: { status: 'suppressed', reason: /^occurrence 1 within 600 s/ },
  },
  {
    step: 'grouping: grouped, carried by the group notification',
    notifier: { grouping: GROUPED },
    posts: [crash],
    expect: { status: 'grouped', reason: /^carried by dlv_/ },
  },
  {
    step: 'throttle before grouping: a repeat is throttled, not grouped',
    notifier: { grouping: GROUPED },
    posts: [crash, crash],
    expect: { status: 'suppressed', reason: /^throttled: / },
  },
  {
    step: 'acknowledgement: a further failure of an acknowledged incident',
    before: acknowledged,
    posts: [failing('WARNING', 'db degraded')],
    expect: { status: 'suppressed', reason: /^acknowledged: icd_\w+ by ops@shop\.example$/ },
  },
  {
    step: 'acknowledgement with grouping: held, not grouped',
    notifier: { grouping: GROUPED },
    before: acknowledged,
    posts: [failing('WARNING', 'db degraded')],
    expect: { status: 'suppressed', reason: /^acknowledged: / },
  },
];

let herald: MemoryHerald;

beforeEach(async () => {
  herald = await memoryHerald();
});

async function withNotifier(fields: Partial<Notifier> = {}): Promise<Notifier> {
  const hook = notifier('shop', { default: true, events: ['*'], ...fields });
  await herald.apps.create(app('shop'), key('shop'), 'hash', hook);
  return hook;
}

describe('how the rules combine', () => {
  it.each(ROWS.map((r) => [r.step, r] as const))('%s', async (_step, row) => {
    await withNotifier(row.notifier);
    await row.before?.(herald);
    let last;
    for (const [i, post] of row.posts.entries()) {
      if (i === row.posts.length - 1 && row.thenWait) herald.time.advance(row.thenWait);
      last = await ingestEvent(herald, 'shop', { severity: 'warning', ...post });
    }
    const { items: deliveries } = await herald.deliveries.list('shop', { eventId: last!.eventId }, { limit: 10 });
    if (row.expect === 'no delivery') {
      expect(deliveries).toEqual([]);
      return;
    }
    expect(deliveries).toHaveLength(1);
    const [delivery] = deliveries;
    expect(delivery?.status).toBe(row.expect.status);
    if (row.expect.reason) expect(delivery?.reason).toMatch(row.expect.reason);
    if (row.expect.due) expect(delivery?.nextAttemptAt).toBe(row.expect.due);
  });

  it("a notifier's test goes around silences, quiet hours, throttles and grouping: queued at once", async () => {
    const hook = await withNotifier({
      quietHours: ALWAYS_QUIET,
      grouping: { ...GROUPED, by: [] },
      throttle: { limit: 1, windowSeconds: 600 },
    });
    await herald.silences.put(silence('sil_3', { matchers: [{ field: 'type', op: '=~', value: '.*' }] }));
    for (let i = 0; i < 2; i++) {
      const delivery = await sendTestNotification(herald, 'shop', hook.id);
      expect(delivery).toMatchObject({ status: 'queued' });
    }
    expect(herald.queued('webhook').map((m) => m.event.type)).toEqual(['notifier_test', 'notifier_test']);
  });
});
