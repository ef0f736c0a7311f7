import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Contact, ContactGroup } from '../../shared/core/contacts.js';
import { newId } from '../../shared/ids.js';
import { BACKENDS, type Backend } from './backends.js';
import { appId } from './fixtures.js';

const at = '2026-11-30T10:00:00.000Z';
const contact = (app: string, name: string): Contact => ({
  id: newId('con'),
  appId: app,
  name,
  locale: 'de',
  quietHours: { timeZone: 'Europe/Berlin', windows: [{ days: ['mon'], from: '22:00', to: '07:00' }], during: 'hold', criticalBypass: true },
  channels: [
    { channel: 'email', target: { to: [`${name}@example.com`] } },
    { channel: 'sms', target: { to: ['+4915100000001'] }, minSeverity: 'critical' },
  ],
  createdAt: at,
  updatedAt: at,
});
const group = (app: string, members: string[]): ContactGroup => ({
  id: newId('cgr'),
  appId: app,
  name: 'On call',
  members,
  createdAt: at,
  updatedAt: at,
});

/** ContactStore behaves alike on DynamoDB and in the embedded engine. */
describe.each(BACKENDS)('contacts and contact groups on the %s', (_name, open) => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await open();
  });
  afterAll(() => backend.close());

  it("keeps an app's contacts apart from another app's and the installation's, as written", async () => {
    const { contacts } = backend.stores;
    const [a, b] = [appId(), appId()];
    const first = contact(a, 'anna');
    const second = contact(a, 'ben');
    const wide = contact('*', 'everyone');
    for (const c of [first, second, contact(b, 'other'), wide]) await contacts.put(c);
    // In id order (ids sort by time, but two made in one millisecond in either order).
    expect(await contacts.list(a)).toEqual([first, second].sort((x, y) => (x.id < y.id ? -1 : 1)));
    expect(await contacts.get(a, first.id)).toEqual(first);
    expect(await contacts.get(b, first.id)).toBeUndefined();
    expect(await contacts.list('*')).toContainEqual(wide);

    const renamed = { ...first, name: 'Anna B.', updatedAt: '2026-11-30T11:00:00.000Z' };
    await contacts.put(renamed);
    expect(await contacts.get(a, first.id)).toEqual(renamed);
    expect(await contacts.delete(a, first.id)).toBe(true);
    expect(await contacts.delete(a, first.id)).toBe(false);
    expect(await contacts.list(a)).toEqual([second]);
  });

  it('keeps groups beside the contacts, not among them', async () => {
    const { contacts } = backend.stores;
    const a = appId();
    const member = contact(a, 'cleo');
    await contacts.put(member);
    const g = group(a, [member.id]);
    await contacts.putGroup(g);
    expect(await contacts.listGroups(a)).toEqual([g]);
    expect(await contacts.list(a)).toEqual([member]);
    expect(await contacts.getGroup(a, g.id)).toEqual(g);
    expect(await contacts.getGroup(appId(), g.id)).toBeUndefined();
    expect(await contacts.deleteGroup(a, g.id)).toBe(true);
    expect(await contacts.deleteGroup(a, g.id)).toBe(false);
    expect(await contacts.listGroups(a)).toEqual([]);
  });
});
