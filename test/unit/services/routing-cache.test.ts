import { expect, it } from 'vitest';
import type { Contact } from '../../../shared/core/contacts.js';
import { notifier } from '../../contract/fixtures.js';
import { memoryHerald } from '../../support/fakes.js';

const contact = (appId: string, id: string): Contact => ({
  id,
  appId,
  name: `Contact ${id} 🧑‍🚒`,
  channels: [{ channel: 'email', target: { to: [`${id}@example.com`] } }],
  createdAt: '2026-11-30T10:00:00.000Z',
  updatedAt: '2026-11-30T10:00:00.000Z',
});

it("gives ingest the same view of an app while neither its part nor the installation's changed, and a new one when either did", async () => {
  const herald = await memoryHerald();
  await herald.notifiers.put(notifier('shop'));
  const first = await herald.routing.view('shop');
  // Warm: the same view (no arrays merged, no contact book built per event).
  expect(await herald.routing.view('shop')).toBe(first);

  await herald.contacts.put(contact('shop', 'con_01kbx0000000000000000000aa'));
  herald.routing.invalidate('shop');
  const afterOwn = await herald.routing.view('shop');
  expect(afterOwn).not.toBe(first);
  expect(afterOwn.contacts.map((c) => c.name)).toEqual(['Contact con_01kbx0000000000000000000aa 🧑‍🚒']);

  await herald.contacts.put(contact('*', 'con_01kbx0000000000000000000bb'));
  herald.routing.invalidate('*');
  const afterGlobal = await herald.routing.view('shop');
  expect(afterGlobal).not.toBe(afterOwn);
  expect(afterGlobal.contacts.map((c) => c.id)).toEqual(['con_01kbx0000000000000000000aa', 'con_01kbx0000000000000000000bb']);

  // Past the cache's 30 s, read again: a contact made on another instance is seen.
  await herald.contacts.put(contact('shop', 'con_01kbx0000000000000000000cc'));
  herald.time.advance(31);
  expect((await herald.routing.view('shop')).contacts).toHaveLength(3);
});
