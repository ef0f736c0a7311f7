import { describe, expect, it } from 'vitest';
import { entryNotifiers, nextStep, roundSeconds, stepDueAt } from '../../../shared/core/escalation.js';
import type { Notifier } from '../../../shared/core/types.js';

const policy = (afters: number[], repeat?: number) => ({
  steps: afters.map((afterSeconds) => ({ afterSeconds, notify: [{ notifier: 'ntf_a' }] })),
  ...(repeat !== undefined ? { repeat } : {}),
});
const opened = new Date('2026-11-30T10:00:00Z');
const secondsAfter = (at: Date) => (at.getTime() - opened.getTime()) / 1000;

describe('escalation steps', () => {
  it('runs the steps in order from the opening, then the rounds that repeat asks for, then stops', () => {
    const p = policy([0, 600], 1);
    const seen: string[] = [];
    for (let at: { step: number; round: number } | undefined = { step: 1, round: 1 }; at; at = nextStep(p, at.step, at.round))
      seen.push(`${at.step}/${at.round} at ${secondsAfter(stepDueAt(p, opened, at.step, at.round))}`);
    expect(seen).toEqual(['1/1 at 0', '2/1 at 600', '1/2 at 1200', '2/2 at 1800']);
  });

  it('gives a round its last step plus the wait before that step', () => {
    expect(roundSeconds(policy([0, 300, 900]))).toBe(1500);
    expect(roundSeconds(policy([60]))).toBe(120);
    expect(roundSeconds(policy([0]))).toBe(0);
    expect(nextStep(policy([0]), 1, 1)).toBeUndefined();
  });

  it('stands for the named notifier when it is there, enabled and not a policy; for contacts and groups, as the policy naming them', () => {
    const n = (id: string, more: Partial<Notifier> = {}) => ({ id, enabled: true, channel: 'webhook', ...more }) as Notifier;
    const via = n('ntf_policy', { channel: undefined, escalation: policy([0]) });
    const scope = [n('ntf_a'), n('ntf_off', { enabled: false }), via];
    const ids = (entries: Parameters<typeof entryNotifiers>[1]) => entryNotifiers(scope, entries, via).map((x) => x.id);
    expect(ids([{ notifier: 'ntf_a' }, { notifier: 'ntf_a' }])).toEqual(['ntf_a']);
    expect(ids([{ notifier: 'ntf_off' }])).toEqual([]);
    expect(ids([{ notifier: 'ntf_policy' }])).toEqual([]);
    expect(ids([{ notifier: 'ntf_gone' }])).toEqual([]);
    const [named] = entryNotifiers(scope, [{ contact: 'con_x' }, { group: 'cgr_y' }], via);
    expect(named).toMatchObject({ id: 'ntf_policy', contacts: ['con_x'], groups: ['cgr_y'] });
    expect(named?.escalation).toBeUndefined();
  });
});
