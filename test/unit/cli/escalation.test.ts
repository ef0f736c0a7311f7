import { describe, expect, it } from 'vitest';
import { escalationOf, escalationText, failoverOf, failoverText } from '../../../packages/cli/src/escalation.js';

/** How `herald notifiers add|edit` reads --escalate, --repeat and --failover-*, and prints them back. */
describe('escalation and failover options', () => {
  it('reads a step per --escalate, several notifiers a step, and prints them as the options take them', () => {
    const policy = escalationOf({ escalate: ['0:notifier=ntf_a', '10m:notifier=ntf_b,notifier=ntf_c'], repeat: '2' });
    expect(policy).toEqual({
      steps: [
        { afterSeconds: 0, notify: [{ notifier: 'ntf_a' }] },
        { afterSeconds: 600, notify: [{ notifier: 'ntf_b' }, { notifier: 'ntf_c' }] },
      ],
      repeat: 2,
    });
    expect(escalationText(policy)).toBe('0s: notifier=ntf_a; 10m: notifier=ntf_b, notifier=ntf_c; repeat 2');
    expect(escalationOf({})).toBeUndefined();
  });

  it('refuses a step without notifiers, an entry that is not notifier=, contact= or group=, --repeat alone', () => {
    expect(() => escalationOf({ escalate: ['10m'] })).toThrow('--escalate 10m: <after>:notifier=<id>');
    expect(() => escalationOf({ escalate: ['0:person=ana'] })).toThrow('person=ana is not notifier=<id>, contact=<id> or group=<id>');
    expect(escalationOf({ escalate: ['0:contact=con_a,group=cgr_b'] })?.steps[0]?.notify).toEqual([
      { contact: 'con_a' },
      { group: 'cgr_b' },
    ]);
    expect(() => escalationOf({ repeat: '2' })).toThrow('--repeat needs the steps');
    expect(() => escalationOf({ escalate: ['soon:notifier=ntf_a'] })).toThrow('--escalate soon');
  });

  it('reads --failover-to (repeated) and --failover-after; --no-failover removes it', () => {
    const failover = failoverOf({ failoverTo: ['notifier=ntf_m', 'notifier=ntf_s'], failoverAfter: '15m' });
    expect(failover).toEqual({ to: [{ notifier: 'ntf_m' }, { notifier: 'ntf_s' }], afterSeconds: 900 });
    expect(failoverText(failover ?? undefined)).toBe('notifier=ntf_m, then notifier=ntf_s, after 15m unsent');
    expect(failoverOf({ failover: false })).toBeNull();
    expect(failoverOf({})).toBeUndefined();
    expect(() => failoverOf({ failoverAfter: '5m' })).toThrow('--failover-after needs --failover-to');
    expect(() => failoverOf({ failover: false, failoverTo: ['notifier=ntf_m'] })).toThrow('not both');
  });
});
