import { describe, expect, it } from 'vitest';
import { wantsEvent } from '../../../shared/core/selection.js';
import type { HeraldEvent, Notifier } from '../../../shared/core/types.js';

const notifier = (over: Partial<Notifier> = {}): Notifier => ({
  id: 'ntf_1',
  appId: 'shop',
  name: 'n',
  enabled: true,
  channel: 'email',
  target: { to: ['a@example.com'] },
  events: [],
  minSeverity: 'info',
  createdAt: '',
  updatedAt: '',
  ...over,
});

const event = (type: string, severity: HeraldEvent['severity'] = 'info', data?: Record<string, unknown>): HeraldEvent => ({
  id: 'evt_1',
  appId: 'shop',
  type,
  severity,
  occurredAt: '',
  receivedAt: '',
  ...(data ? { data } : {}),
});

describe('which events a notifier wants', () => {
  it('takes every event when it names none, or names *', () => {
    expect(wantsEvent(notifier(), event('anything.at_all'))).toBe(true);
    expect(wantsEvent(notifier({ events: ['*'] }), event('x'))).toBe(true);
  });

  it('takes exact types only when listed', () => {
    const n = notifier({ events: ['app_crashed'] });
    expect(wantsEvent(n, event('app_crashed'))).toBe(true);
    expect(wantsEvent(n, event('app_crashed_repeated'))).toBe(false);
  });

  it('matches globs on the whole type, with dots taken literally', () => {
    const n = notifier({ events: ['monitor.*', 'app_*'] });
    expect(wantsEvent(n, event('monitor.down'))).toBe(true);
    expect(wantsEvent(n, event('app_deployed'))).toBe(true);
    expect(wantsEvent(n, event('monitorXdown'))).toBe(false);
    expect(wantsEvent(n, event('stack.app_x'))).toBe(false);
  });

  it('matches a @category through the catalog', () => {
    const n = notifier({ events: ['@deployment'] });
    expect(wantsEvent(n, event('app_deployed'))).toBe(true);
    expect(wantsEvent(n, event('stack.redeploy.fail'))).toBe(true);
    expect(wantsEvent(n, event('monitor.down'))).toBe(false);
    expect(wantsEvent(notifier({ events: ['@custom'] }), event('my.own.type'))).toBe(true);
  });

  it('drops events below minSeverity', () => {
    const n = notifier({ minSeverity: 'warning' });
    expect(wantsEvent(n, event('x', 'info'))).toBe(false);
    expect(wantsEvent(n, event('x', 'warning'))).toBe(true);
    expect(wantsEvent(n, event('x', 'critical'))).toBe(true);
  });

  it('ignores everything when disabled', () => {
    expect(wantsEvent(notifier({ enabled: false }), event('app_crashed', 'critical'))).toBe(false);
  });

  it('is not told of its own creation, but of other notifiers', () => {
    expect(wantsEvent(notifier(), event('notifier_added', 'info', { notifierId: 'ntf_1' }))).toBe(false);
    expect(wantsEvent(notifier(), event('notifier_added', 'info', { notifierId: 'ntf_2' }))).toBe(true);
  });
});
