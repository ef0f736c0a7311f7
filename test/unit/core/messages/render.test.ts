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
