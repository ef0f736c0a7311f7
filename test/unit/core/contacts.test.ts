import { describe, expect, it } from 'vitest';
import { notifierReach, reachOf, type Contact, type ContactBook } from '../../../shared/core/contacts.js';
import type { Notifier } from '../../../shared/core/types.js';

const at = '2026-11-30T10:00:00.000Z';
const quiet = {
  timeZone: 'Europe/Berlin',
  windows: [{ days: ['mon' as const], from: '22:00', to: '07:00' }],
  during: 'hold' as const,
  criticalBypass: false,
};
const anna: Contact = {
  id: 'con_anna',
  appId: 'shop',
  name: 'Anna',
  locale: 'de',
  timeZone: 'Europe/Berlin',
  quietHours: quiet,
  channels: [
    { channel: 'email', target: { to: ['anna@x.example', 'a2@x.example'] } },
    { channel: 'sms', target: { to: ['+4915100000001'] }, minSeverity: 'critical' },
  ],
  createdAt: at,
  updatedAt: at,
};
const ben: Contact = {
  id: 'con_ben',
  appId: 'shop',
  name: 'Ben',
  channels: [{ channel: 'email', target: { to: ['anna@x.example'] } }],
  createdAt: at,
  updatedAt: at,
};
const notifier = (over: Partial<Notifier>): Notifier => ({
  id: 'ntf_1',
  appId: 'shop',
  name: 'n',
  enabled: true,
  events: ['*'],
  minSeverity: 'warning',
  default: false,
  createdAt: at,
  updatedAt: at,
  ...over,
});
const book: ContactBook = {
  contacts: new Map([anna, ben].map((c) => [c.id, c])),
  groups: new Map([
    ['cgr_all', { id: 'cgr_all', appId: 'shop', name: 'All', members: ['con_anna', 'con_ben', 'con_gone'], createdAt: at, updatedAt: at }],
  ]),
  recipientsOf: (_, target) => (target['to'] as string[] | undefined) ?? [target['url'] as string],
};

describe('reaching contacts', () => {
  it("gives each channel's recipients with the contact's language, time zone and quiet hours, and the stricter severity", () => {
    expect(reachOf({ contact: 'con_anna' }, book, notifier({}))).toEqual([
      {
        channel: 'email',
        target: anna.channels[0]?.target,
        recipient: 'anna@x.example',
        minSeverity: 'warning',
        locale: 'de',
        timeZone: 'Europe/Berlin',
        quietHours: quiet,
        contactId: 'con_anna',
      },
      {
        channel: 'email',
        target: anna.channels[0]?.target,
        recipient: 'a2@x.example',
        minSeverity: 'warning',
        locale: 'de',
        timeZone: 'Europe/Berlin',
        quietHours: quiet,
        contactId: 'con_anna',
      },
      {
        channel: 'sms',
        target: anna.channels[1]?.target,
        recipient: '+4915100000001',
        minSeverity: 'critical',
        locale: 'de',
        timeZone: 'Europe/Berlin',
        quietHours: quiet,
        contactId: 'con_anna',
      },
    ]);
  });

  it('a group: each member once per channel and recipient (an address two members share, once); a member deleted since, nobody', () => {
    const reach = reachOf({ group: 'cgr_all' }, book);
    expect(reach.map((r) => `${r.channel} ${r.recipient} ${r.contactId}`)).toEqual([
      'email anna@x.example con_anna',
      'email a2@x.example con_anna',
      'sms +4915100000001 con_anna',
    ]);
    expect(reachOf({ group: 'cgr_none' }, book)).toEqual([]);
  });

  it("a notifier: its channel's recipients with its own language; one naming contacts and a group, each recipient once", () => {
    const hook = notifier({ id: 'ntf_hook', channel: 'webhook', target: { url: 'https://h.example/x' }, locale: 'fr' });
    expect(notifierReach(hook, book)).toEqual([
      {
        channel: 'webhook',
        target: { url: 'https://h.example/x' },
        recipient: 'https://h.example/x',
        minSeverity: 'warning',
        locale: 'fr',
      },
    ]);
    const both = notifierReach(notifier({ contacts: ['con_ben'], groups: ['cgr_all'], locale: 'fr' }), book);
    // Ben comes first and takes the shared address, in the notifier's language (he has none of his own).
    expect(both.map((r) => [r.recipient, r.contactId, r.locale])).toEqual([
      ['anna@x.example', 'con_ben', 'fr'],
      ['a2@x.example', 'con_anna', 'de'],
      ['+4915100000001', 'con_anna', 'de'],
    ]);
  });
});
