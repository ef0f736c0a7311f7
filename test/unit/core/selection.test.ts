import { describe, expect, it } from 'vitest';
import { selectionOf, wantsEvent } from '../../../shared/core/selection.js';
import type { HeraldEvent, Notifier } from '../../../shared/core/types.js';

const notifier = (over: Partial<Notifier> = {}): Notifier => ({
  id: 'ntf_1',
  appId: 'shop',
  name: 'n',
  enabled: true,
  channel: 'email',
  target: { to: ['a@example.com'] },
  events: ['*'],
  minSeverity: 'info',
  default: false,
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
  it('takes every event of the app with *, and nothing with an empty list', () => {
    expect(wantsEvent(notifier(), event('anything.at_all'))).toBe(true);
    expect(wantsEvent(notifier(), event('app_restarted'))).toBe(true); // an app lifecycle type is the app's own
    expect(wantsEvent(notifier({ events: [] }), event('x'))).toBe(false);
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

  it("is not told of its own creation, and other notifiers' changes only when it selects them", () => {
    const n = notifier({ events: ['notifier_added'] });
    expect(wantsEvent(n, event('notifier_added', 'info', { notifierId: 'ntf_1' }))).toBe(false);
    expect(wantsEvent(n, event('notifier_added', 'info', { notifierId: 'ntf_2' }))).toBe(true);
  });
});

describe("Herald's lifecycle events", () => {
  const herald = [
    'app_created',
    'app_deleted',
    'notifier_added',
    'notifier_edited',
    'notifier_removed',
    'notifier_disabled',
    'notifier_test',
  ];

  it("are not the app's events: * does not select them", () => {
    for (const type of herald) expect(wantsEvent(notifier(), event(type, 'critical')), type).toBe(false);
  });

  it('reach a notifier that selects them by exact type, a glob or @lifecycle', () => {
    expect(wantsEvent(notifier({ events: ['notifier_edited'] }), event('notifier_edited'))).toBe(true);
    expect(wantsEvent(notifier({ events: ['notifier_*'] }), event('notifier_edited'))).toBe(true);
    expect(wantsEvent(notifier({ events: ['@lifecycle'] }), event('app_deleted', 'warning'))).toBe(true);
  });

  it('reach a call or a text (the sms family) only when it names them exactly', () => {
    for (const channel of ['sms', 'twilio_voice', 'twilio_sms', 'twilio_whatsapp', 'vonage'] as const) {
      const target = { to: ['+4915112345678'] };
      expect(wantsEvent(notifier({ channel, target, events: ['*'] }), event('notifier_edited')), channel).toBe(false);
      expect(wantsEvent(notifier({ channel, target, events: ['notifier_*', '@lifecycle'] }), event('notifier_edited')), channel).toBe(
        false,
      );
      expect(wantsEvent(notifier({ channel, target, events: ['notifier_disabled'] }), event('notifier_disabled', 'critical'))).toBe(true);
      // the app's own lifecycle events are not Herald's: a category still selects them
      expect(wantsEvent(notifier({ channel, target, events: ['@lifecycle'] }), event('app_restarted'))).toBe(true);
    }
  });
});

describe('app_crashed_repeated', () => {
  it('is selected only by its exact name, never by *, a glob or @crash', () => {
    for (const events of [['*'], ['app_*'], ['app_crashed*'], ['@crash']])
      expect(wantsEvent(notifier({ events }), event('app_crashed_repeated', 'critical')), events[0]).toBe(false);
    expect(wantsEvent(notifier({ events: ['app_crashed_repeated'] }), event('app_crashed_repeated', 'critical'))).toBe(true);
  });

  it('named, takes every app_crashed; app_crashed alone keeps the usual selection', () => {
    expect(selectionOf(notifier({ events: ['app_crashed_repeated'] }), event('app_crashed', 'critical'))).toBe('every-crash');
    expect(selectionOf(notifier({ events: ['app_crashed', 'app_crashed_repeated'] }), event('app_crashed', 'critical'))).toBe(
      'every-crash',
    );
    expect(selectionOf(notifier({ events: ['app_crashed'] }), event('app_crashed', 'critical'))).toBe('selected');
    expect(selectionOf(notifier({ events: ['@crash'] }), event('app_crashed', 'critical'))).toBe('selected');
    expect(selectionOf(notifier({ events: ['app_crashed_repeated'] }), event('app_deployed'))).toBeUndefined();
  });
});
