import { describe, expect, it } from 'vitest';
import { CATALOG } from '../../../../shared/core/catalog.js';
import { LOCALES, TEXTS } from '../../../../shared/core/messages/locales.js';
import { renderParts } from '../../../../shared/core/messages/render.js';
import type { DeliveryMessage, Severity } from '../../../../shared/core/types.js';

const message = (type: string, severity: Severity, locale: string): DeliveryMessage => ({
  v: 1,
  delivery: { id: 'dlv_1', eventId: 'evt_1', appId: 'shop', notifierId: 'ntf_1', channel: 'email', recipient: 'a@example.com' },
  event: {
    id: 'evt_1',
    appId: 'shop',
    type,
    severity,
    message: 'details',
    occurredAt: '2026-11-24T10:00:00.000Z',
    receivedAt: '2026-11-24T10:00:00.000Z',
  },
  app: { id: 'shop', name: 'Shop', metadata: { url: 'https://shop.example.com' } },
  notifier: { id: 'ntf_1', name: 'n', target: {}, locale, timeZone: 'Europe/Paris' },
});

describe('the default messages walk the whole catalog', () => {
  for (const locale of LOCALES) {
    it(`render every type in ${locale}, every part, with no key missing`, () => {
      for (const info of CATALOG.values()) {
        if (locale !== 'en') expect(TEXTS[locale].types[info.type], `${locale} name of ${info.type}`).toBeTruthy();
        const parts = renderParts(message(info.type, info.severity, locale));
        expect(parts.locale).toBe(locale);
        const name = locale === 'en' ? info.displayName : TEXTS[locale].types[info.type];
        const texts = [
          parts.email.subject,
          parts.email.text,
          parts.email.html,
          parts.sms.text,
          parts.slack.text,
          JSON.stringify(parts.slack.blocks),
          parts.chat.text,
        ];
        for (const text of texts) {
          expect(text.length, `${locale} ${info.type}`).toBeGreaterThan(10);
          expect(text).not.toMatch(/undefined|\[object Object\]|{{|{%/);
        }
        expect(parts.email.subject).toContain('[Shop]');
        expect(parts.email.text).toContain(name as string);
        expect(parts.email.text).toContain(info.type);
        expect(parts.sms.text.length).toBeLessThanOrEqual(160);
      }
    });
  }

  it('name the app, what happened, how severe, when, and a link, facts first', () => {
    const { email } = renderParts(message('app_crashed', 'critical', 'en'));
    expect(email.subject).toBe('[Shop] CRITICAL: App crashed');
    const lines = email.text.split('\n');
    expect(lines[0]).toBe('App crashed');
    expect(email.text).toContain('App: Shop (shop)');
    expect(email.text).toContain('Severity: critical');
    expect(email.text).toContain('Time: Nov 24, 2026, 11:00 AM GMT+1');
    expect(email.text).toContain('Link: https://shop.example.com');
  });

  it('fall back to English for a language Herald does not have', () => {
    expect(renderParts(message('app_deployed', 'info', 'xx')).locale).toBe('en');
    expect(renderParts({ ...message('app_deployed', 'info', 'xx'), app: { id: 'shop', name: 'Shop', locale: 'de' } }).locale).toBe('de');
    expect(renderParts(message('app_deployed', 'info', 'xx'), { locale: 'fr' }).locale).toBe('fr');
  });
});

describe('a message without the optional facts', () => {
  it('leaves out the lines of facts it does not have, instead of printing them empty', () => {
    const bare: DeliveryMessage = {
      v: 1,
      delivery: { id: 'dlv_1', eventId: 'evt_1', appId: 'shop', notifierId: 'ntf_1', channel: 'email', recipient: 'a@example.com' },
      event: { id: 'evt_1', appId: 'shop', type: 'app_deployed', severity: 'info', occurredAt: '2026-11-24T10:00:00.000Z', receivedAt: '' },
      app: { id: 'shop', name: 'Shop' },
      notifier: { id: 'ntf_1', name: 'n', target: {} },
    };
    const { email, slack, chat } = renderParts(bare);
    expect(email.text).toBe(
      'App deployed\n\nApp: Shop (shop)\nEvent: App deployed (app_deployed)\nSeverity: info\nTime: Nov 24, 2026, 10:00 AM UTC\n\nSent by Herald · Delivery dlv_1\n',
    );
    expect(email.html).not.toMatch(/<p style="white-space:pre-wrap"><\/p>|Link|Status/);
    expect(JSON.stringify(slack.blocks)).not.toContain('Link');
    expect(chat.text).toBe('ℹ️ Shop: App deployed (info)\nApp deployed · Nov 24, 2026, 10:00 AM UTC');
  });
});
