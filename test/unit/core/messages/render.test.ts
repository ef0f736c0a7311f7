import { describe, expect, it } from 'vitest';
import { assertOverrides, overrideProblems, renderParts } from '../../../../shared/core/messages/render.js';
import { groupEventOf, memberOf, type GroupNotice } from '../../../../shared/core/grouping.js';
import { smsEncoding, smsLength } from '../../../../shared/core/sms-text.js';
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

  it("carry a failure's acknowledge link in every part: a link in the e-mail's HTML, Slack's own link syntax, the SMS with the link whole", () => {
    const link = 'https://herald.example.com/ack/01kbxq6v6x4m2n3p5r7s9t1v3w.mb4x2k.AbCdEfGhIjKlMnOp';
    const parts = renderParts(
      message({ incident: { id: 'icd_01kbxq6v6x4m2n3p5r7s9t1v3w', acknowledgeUrl: link }, message: 'x'.repeat(500) }),
    );
    expect(parts.email.text).toContain(`Acknowledge: ${link}`);
    expect(parts.email.html).toContain(`<a href="${link}"`);
    expect(parts.slack.blocks[1]).toMatchObject({ elements: [{ text: expect.stringContaining(`<${link}|Acknowledge>`) }] });
    expect(parts.chat.text).toContain(`Acknowledge: ${link}`);
    expect(parts.chat.body).toContain(link);
    expect(parts.sms.text.endsWith(` ${link}`)).toBe(true);
    expect(smsLength(parts.sms.text)).toBeLessThanOrEqual(2 * 153);
    // An emoji makes it UCS-2: two segments of 67 still hold the link whole.
    const emoji = renderParts(message({ incident: { id: 'icd_1', acknowledgeUrl: link }, title: 'Crash 🔥', message: 'y'.repeat(300) }));
    expect(smsEncoding(emoji.sms.text)).toBe('UCS-2');
    expect(emoji.sms.text.endsWith(` ${link}`)).toBe(true);
    expect(emoji.sms.text.length).toBeLessThanOrEqual(2 * 67);
    // In German, and none at all for an event with no link (a recovery, a deploy).
    expect(
      renderParts({ ...message({ incident: { id: 'icd_1', acknowledgeUrl: link } }), app: { id: 'shop', name: 'Shop', locale: 'de' } })
        .email.text,
    ).toContain(`Bestätigen: ${link}`);
    const none = renderParts(message({ incident: { id: 'icd_1' } }));
    expect(JSON.stringify(none)).not.toContain('/ack/');
    expect(none.email.text).not.toContain('Acknowledge');
  });

  it("render a group's notification on every channel: the e-mail lists it, Slack stays within its limits, the SMS is one line", () => {
    const member = (n: number) => ({
      ...memberOf({ ...message().event, id: `evt_${n}`, title: `Check ${n} failing: ${'x'.repeat(150)} 🔥` }),
    });
    const notice: GroupNotice = {
      seq: 1,
      key: 'ntf_1/abc',
      by: { 'data.cluster': 'eu-1' },
      items: Array.from({ length: 20 }, (_, n) => member(n)),
      count: 40,
      firing: [],
      firingCount: 40,
      repeat: false,
      startedAt: Date.parse('2026-11-24T10:00:00Z'),
      takenAt: '2026-11-24T10:00:30.000Z',
    };
    const event = groupEventOf(notice, { id: 'evt_c', appId: 'shop' }, 'Shop', new Date('2026-11-24T10:00:30Z'));
    const parts = renderParts({ ...message(), event });
    expect(parts.email.subject).toBe('[Shop] CRITICAL: 40 events in Shop (eu-1): 20 app_crashed, …');
    expect(parts.email.text).toContain('- Check 19 failing');
    expect(parts.email.text).toContain('and 20 more');
    expect(parts.email.html).toContain('and 20 more');
    // Slack: a section's text holds at most 3,000 characters.
    const section = (parts.slack.blocks[0] as { text: { text: string } }).text.text;
    expect(section.length).toBeLessThanOrEqual(3000);
    expect(parts.sms.text).toBe('Shop: 40 events in Shop (eu-1): 20 app_crashed, … [critical]');
    expect(parts.placeholders['group']).toMatchObject({ count: 40, more: 20 });
  });
});
