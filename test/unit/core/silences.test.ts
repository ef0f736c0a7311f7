import { beforeAll, describe, expect, it } from 'vitest';
import { fieldOf, matcherProblems, silencing, type PatternCompiler, type Silence } from '../../../shared/core/silences.js';
import { patternCompiler, patternsOf } from '../../../shared/services/silence-patterns.js';
import type { HeraldEvent } from '../../../shared/core/types.js';

const event = (over: Partial<HeraldEvent> = {}): HeraldEvent => ({
  id: 'evt_1',
  appId: 'shop',
  type: 'alert.firing',
  severity: 'critical',
  title: 'DiskFull: Disk full on db-1',
  occurredAt: '2026-11-30T06:00:00Z',
  receivedAt: '2026-11-30T06:00:00Z',
  data: { check: 'DiskFull#a1', status: 'ERROR', labels: { instance: 'db-1', cluster: 'eu-1' } },
  ...over,
});

const silence = (over: Partial<Silence> = {}): Silence => ({
  id: 'sil_1',
  appId: 'shop',
  matchers: [{ field: 'data.labels.cluster', op: '=', value: 'eu-1' }],
  startsAt: '2026-11-30T05:00:00Z',
  endsAt: '2026-11-30T07:00:00Z',
  comment: 'maintenance of eu-1',
  createdBy: 'ops@shop.example',
  createdAt: '2026-11-30T05:00:00Z',
  ...over,
});

const at = new Date('2026-11-30T06:00:00Z');

// RE2 itself (re2-wasm), as ingest and the API compile patterns.
let compile: PatternCompiler;
beforeAll(async () => {
  compile = await patternCompiler();
});

describe('silences', () => {
  it('silence an event every matcher of an active silence matches, of its app or global', () => {
    expect(silencing([silence()], event(), at)?.id).toBe('sil_1');
    expect(silencing([silence({ appId: '*' })], event(), at)?.id).toBe('sil_1');
    expect(silencing([silence({ appId: 'blog' })], event(), at)).toBeUndefined();
    const two = silence({
      matchers: [
        { field: 'data.labels.cluster', op: '=', value: 'eu-1' },
        { field: 'severity', op: '!=', value: 'critical' },
      ],
    });
    expect(silencing([two], event(), at)).toBeUndefined();
  });

  it('silence only between startsAt and endsAt, and nothing once expired early', () => {
    expect(silencing([silence()], event(), new Date('2026-11-30T04:59:59Z'))).toBeUndefined();
    expect(silencing([silence()], event(), new Date('2026-11-30T07:00:00Z'))).toBeUndefined();
    expect(silencing([silence({ expiredAt: '2026-11-30T05:30:00Z' })], event(), at)).toBeUndefined();
  });

  it('match regular expressions against the whole value, as Alertmanager does', async () => {
    const re = (value: string, op: '=~' | '!~' = '=~') => silence({ matchers: [{ field: 'type', op, value }] });
    const silenced = async (s: Silence, e = event()) => silencing([s], e, at, await patternsOf([s]));
    expect(await silenced(re('alert\\..*'))).toBeDefined();
    expect(await silenced(re('alert'))).toBeUndefined(); // not a substring match
    expect(await silenced(re('deploy.*', '!~'))).toBeDefined();
    // A pattern that is not compiled (none given) silences nothing, rather than everything.
    expect(silencing([re('deploy.*', '!~')], event(), at)).toBeUndefined();
  });

  it('run patterns in linear time: what takes a backtracking engine minutes is at once', async () => {
    // JavaScript's RegExp takes exponential time here (nested quantifiers against a near miss).
    const s = silence({ matchers: [{ field: 'message', op: '=~', value: '(.*a){12}b' }] });
    const e = event({ message: `${'a'.repeat(20_000)}!` });
    expect(silencing([s], e, at, await patternsOf([s]))).toBeUndefined();
  });

  it('read event fields, data and source paths, and the check and status of a state', () => {
    const e = event({ source: { tool: 'alertmanager' } });
    expect(fieldOf(e, 'check')).toBe('DiskFull#a1');
    expect(fieldOf(e, 'status')).toBe('ERROR');
    expect(fieldOf(e, 'data.labels.instance')).toBe('db-1');
    expect(fieldOf(e, 'source.tool')).toBe('alertmanager');
    expect(fieldOf(e, 'data.labels.missing')).toBe('');
    expect(fieldOf(e, 'data.constructor')).toBe('');
  });

  it('refuse unknown fields, broken or long patterns, and a silence that would silence everything', () => {
    expect(matcherProblems([{ field: 'labels.instance', op: '=', value: 'x' }], compile)[0]).toMatchObject({ index: 0 });
    expect(matcherProblems([{ field: 'type', op: '=~', value: '(' }], compile)[0]?.message).toContain('does not compile');
    // RE2's syntax, as Alertmanager's: no lookaround, no backreference.
    expect(matcherProblems([{ field: 'type', op: '=~', value: '(?!deploy).*' }], compile)[0]?.message).toContain('does not compile');
    expect(matcherProblems([{ field: 'type', op: '=~', value: 'a'.repeat(257) }], compile)[0]?.message).toContain('256');
    expect(matcherProblems([{ field: 'type', op: '=~', value: '.*' }], compile)[0]?.message).toContain('every event');
    expect(matcherProblems([{ field: 'type', op: '!=', value: 'x' }], compile)[0]?.message).toContain('every event');
    expect(matcherProblems([{ field: 'data.labels.cluster', op: '=', value: 'eu-1' }], compile)).toEqual([]);
  });
});
