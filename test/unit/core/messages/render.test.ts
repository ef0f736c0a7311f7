import { describe, expect, it } from 'vitest';
import { assertOverrides, overrideProblems, renderParts } from '../../../../shared/core/messages/render.js';
import type { DeliveryMessage } from '../../../../shared/core/types.js';

const message = (over: Partial<DeliveryMessage['event']> = {}): DeliveryMessage => ({
  v: 1,
  delivery: { id: 'dlv_1', eventId: 'evt_1', appId: 'shop', notifierId: 'ntf_1', channel: 'email', recipient: 'a@example.com' },
  event: {
    id: 'evt_1',
    appId: 'shop',
    type: 'app_crashed',
    severity: 'critical',
    title: 'Crash',
    message: 'boom',
    occurredAt: '2026-11-24T10:00:00.000Z',
    receivedAt: '',
    ...over,
  },
  app: { id: 'shop', name: 'Shop', metadata: { url: 'https://shop.example.com' } },
  notifier: { id: 'ntf_1', name: 'n', target: {} },
});

describe('default messages', () => {
  it('name the app, the event type, severity, title, message and time in every email part', () => {
    const { email } = renderParts(message());
    expect(email.subject).toBe('[Shop] CRITICAL: Crash');
    for (const part of [email.text, email.html]) {
      for (const fact of ['Shop', 'app_crashed', 'critical', 'Crash', 'boom', 'Nov 24, 2026, 10:00 AM UTC', 'https://shop.example.com'])
        expect(part).toContain(fact);
    }
  });

  it('escape HTML in the email body and keep the subject on one line', () => {
    const { email } = renderParts(message({ title: 'x\r\nBcc: evil@example.com', message: '<script>alert(1)</script>' }));
    expect(email.subject).not.toMatch(/[\r\n]/);
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('&lt;script&gt;');
  });

  it("escape Slack's control characters, so that text cannot ping or link", () => {
    const { slack } = renderParts(message({ title: '<!channel> & <http://evil|click>' }));
    const json = JSON.stringify(slack);
    expect(json).not.toContain('<!channel>');
    expect(slack.text).toContain('&lt;!channel&gt; &amp; &lt;http://evil|click&gt;');
  });

  it('fit the SMS to one segment', () => {
    expect(renderParts(message({ message: 'x'.repeat(500) })).sms.text.length).toBeLessThanOrEqual(160);
  });
});

describe('installation-wide overrides', () => {
  it('are refused when a key names no part or a template does not parse, with where', () => {
    expect(overrideProblems({ 'email.subject': 'ok {{ app.name }}', 'sms.body': 'x', 'slack.text': '{% if %}' })).toEqual([
      { key: 'sms.body', message: 'names no message part' },
      { key: 'slack.text', message: expect.stringMatching(/^does not parse: .*line:1, col:6/) },
    ]);
    expect(() => assertOverrides({ 'chat.title': '{{ a' }, 'HERALD_TEMPLATES')).toThrow(
      /^Herald: the template override "chat.title" in HERALD_TEMPLATES does not parse/,
    );
    expect(() => assertOverrides({ 'chat.title': '{{ app.name }}' }, 'HERALD_TEMPLATES')).not.toThrow();
  });
});

describe('status messages say what failed where', () => {
  const status = (type: string, data: Record<string, unknown>, locale?: string) => {
    const m = message({ type, data, severity: 'critical' });
    delete m.event.title;
    delete m.event.message;
    return renderParts(locale ? { ...m, notifier: { ...m.notifier, locale } } : m);
  };
  const everyPart = (parts: ReturnType<typeof renderParts>) => ({
    'email.subject': parts.email.subject,
    sms: parts.sms.text,
    'chat.text': parts.chat.text,
    'chat.title (PagerDuty summary)': parts.chat.title,
    'slack.text': parts.slack.text,
  });

  it('name the check, its target and its status, in every part', () => {
    const parts = status('check.status_changed', { check: 'api-latency', status: 'ERROR', url: 'https://api.shop.example' });
    expect(parts.email.subject).toBe('[Shop] CRITICAL: Check api-latency (https://api.shop.example): ERROR');
    for (const [part, text] of Object.entries(everyPart(parts)))
      expect(text, part).toContain('api-latency (https://api.shop.example): ERROR');
  });

  it('name the monitor and its target, in every part', () => {
    const parts = status('monitor.down', { monitor: 'Homepage', target: 'https://shop.example.com' });
    expect(parts.email.subject).toBe('[Shop] CRITICAL: Monitor down: Homepage (https://shop.example.com)');
    for (const [part, text] of Object.entries(everyPart(parts)))
      expect(text, part).toContain('Monitor down: Homepage (https://shop.example.com)');
    expect(status('monitor.down', { target: 'https://shop.example.com' }).sms.text).toBe(
      'Shop: Monitor down: https://shop.example.com [critical]',
    );
  });

  it('in German and French too', () => {
    expect(status('check.status_changed', { check: 'api', status: 'ERROR' }, 'de').email.subject).toBe(
      '[Shop] KRITISCH: Prüfung api: ERROR',
    );
    expect(status('check.status_changed', { check: 'api', status: 'ERROR' }, 'fr').sms.text).toContain('Vérification api: ERROR');
    expect(status('monitor.down', { target: 'https://shop.example.com' }, 'de').chat.title).toBe(
      'Shop: Monitor meldet Ausfall: https://shop.example.com',
    );
  });

  it('keep a title the app gave', () => {
    const m = message({ type: 'monitor.down', title: 'Shop is down', data: { target: 'https://shop.example.com' } });
    expect(renderParts(m).email.subject).toBe('[Shop] CRITICAL: Shop is down');
  });
});
