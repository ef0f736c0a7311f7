import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../shared/errors.js';
import { BACKENDS, type Backend } from './backends.js';
import { app, appId, key, notifier } from './fixtures.js';

/** AppStore, KeyStore and NotifierStore behave alike on DynamoDB and in the embedded engine. */
describe.each(BACKENDS)('apps, keys and notifiers on the %s', (_name, open) => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await open();
  });
  afterAll(() => backend.close());

  it('creates an app once: a second create of its id is refused, and changes nothing', async () => {
    const { apps, keys, notifiers } = backend.stores;
    const a = app();
    const k = key(a.id);
    expect(await apps.create(a, k, 'hash-1', notifier(a.id, { default: true }))).toBe(true);
    expect(await apps.create({ ...a, name: 'Other' }, key(a.id), 'hash-2', notifier(a.id))).toBe(false);
    expect(await apps.get(a.id)).toEqual(a);
    expect(await keys.findByHash('hash-1')).toEqual(k);
    expect(await keys.findByHash('hash-2')).toBeUndefined();
    expect((await notifiers.routingView(a.id)).notifiers).toHaveLength(1);
  });

  it('lists every app a page at a time, and refuses a cursor it did not make', async () => {
    const { apps } = backend.stores;
    const made = [app(), app(), app()];
    for (const a of made) await apps.create(a, key(a.id), `h-${a.id}`, notifier(a.id));
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 20; pages++) {
      const page = await apps.list({ limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((a) => a.id));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(expect.arrayContaining(made.map((a) => a.id)));
    expect(seen).toEqual([...seen].sort());
    await expect(apps.list({ limit: 2, cursor: 'not-a-cursor' })).rejects.toBeInstanceOf(ValidationError);
  });

  it("rotates a source's secret only over the secret it read: not after a delete (it stays deleted), nor over another rotation", async () => {
    const { sources } = backend.stores;
    const a = appId();
    const source = { id: `src_${a}`, appId: a, kind: 'json' as const, name: 'Tool', createdAt: '2026-11-30T00:00:00.000Z', settings: {} };
    const read = { ...source, secret: { hash: 'hash-1' } };
    await sources.put(read);
    expect(await sources.replaceSecret(read, { ...source, secret: { hash: 'hash-2' } })).toBe(true);
    expect((await sources.get(source.id))?.secret).toEqual({ hash: 'hash-2' });
    // A second rotation that read hash-1 lost the race: the first one's secret stands.
    expect(await sources.replaceSecret(read, { ...source, secret: { hash: 'hash-3' } })).toBe(false);
    // The listing holds no secret (the item inbound requests read does): review F10.
    expect((await sources.list(a)).map((s) => s.secret)).toEqual([undefined]);
    // Deleted while a rotation was on its way: the rotation does not bring it back.
    const current = (await sources.get(source.id))!;
    expect(await sources.delete(a, source.id)).toBe(true);
    expect(await sources.replaceSecret(current, { ...source, secret: { hash: 'hash-4' } })).toBe(false);
    expect(await sources.get(source.id)).toBeUndefined();
    expect(await sources.list(a)).toEqual([]);
  });

  it('keeps silences apart from the notifiers: listed newest first, expired once, their counts added', async () => {
    const { silences, notifiers, apps } = backend.stores;
    const a = app();
    await apps.create(a, key(a.id), `h-${a.id}`, notifier(a.id));
    const silence = (id: string, endsAt: string) => ({
      id,
      appId: a.id,
      matchers: [{ field: 'type', op: '=' as const, value: 'db.down' }],
      startsAt: '2026-11-30T00:00:00.000Z',
      endsAt,
      comment: 'maintenance',
      createdBy: 'ops@shop.example',
      createdAt: '2026-11-30T00:00:00.000Z',
    });
    await silences.put(silence('sil_01', '2099-01-01T00:00:00.000Z'));
    await silences.put(silence('sil_02', '2099-01-01T00:00:00.000Z'));
    expect((await silences.list(a.id)).map((s) => s.id)).toEqual(['sil_02', 'sil_01']);
    // The notifiers' partition holds none of them: a version before silences reads every item there as a notifier.
    expect((await notifiers.routingView(a.id)).notifiers).toHaveLength(1);
    await silences.countSilenced(a.id, 'sil_01', 3);
    // The failures it holds: the latest of each check, let go when the check recovers; kept through counts and its expiry.
    await silences.holdFailure(a.id, 'sil_01', { stateKey: 'check:db', appId: a.id, eventId: 'evt_1' });
    await silences.holdFailure(a.id, 'sil_01', { stateKey: 'check:db', appId: a.id, eventId: 'evt_2' });
    await silences.holdFailure(a.id, 'sil_01', { stateKey: `check:${'ü'.repeat(600)}`, appId: a.id, eventId: 'evt_3' });
    await silences.holdFailure(a.id, 'sil_01', { stateKey: 'check:cache', appId: a.id, eventId: 'evt_4' });
    await silences.holdFailure(a.id, 'sil_01', { stateKey: 'check:cache', appId: a.id });
    await silences.countSilenced(a.id, 'sil_01', 2);
    expect((await silences.get(a.id, 'sil_01'))?.silenced).toBe(5);
    expect(Object.keys((await silences.get(a.id, 'sil_01')) ?? {}).some((k) => k.startsWith('h_'))).toBe(false);
    const now = new Date('2026-11-30T12:00:00.000Z');
    expect(await silences.expire(a.id, 'sil_01', now)).toBe(true);
    expect((await silences.heldFailures(a.id, 'sil_01')).map((h) => h.eventId).sort()).toEqual(['evt_2', 'evt_3']);
    expect(await silences.expire(a.id, 'sil_01', now)).toBe(false);
    expect(await silences.expire(a.id, 'sil_none', now)).toBe(false);
    expect(await silences.get(a.id, 'sil_01')).toMatchObject({ expiredAt: now.toISOString(), silenced: 5 });
    await silences.deleteAll(a.id);
    expect(await silences.list(a.id)).toEqual([]);
  });

  it('updates an app that exists, and refuses one that does not', async () => {
    const { apps } = backend.stores;
    const a = app();
    await apps.create(a, key(a.id), `h-${a.id}`, notifier(a.id));
    await apps.update({ ...a, name: 'Renamed' });
    expect((await apps.get(a.id))?.name).toBe('Renamed');
    await expect(apps.update(app())).rejects.toThrow();
  });

  it('revokes a key (found by its hash still, marked revoked), and deleting the app removes its keys and notifiers', async () => {
    const { apps, keys, notifiers } = backend.stores;
    const a = app();
    const k = key(a.id);
    await apps.create(a, k, `h-${a.id}`, notifier(a.id));
    const second = key(a.id);
    await keys.add(second, `h2-${a.id}`);
    expect((await keys.list(a.id)).map((x) => x.id).sort()).toEqual([k.id, second.id].sort());
    expect(await keys.revoke(a.id, second.id, '2026-11-02T00:00:00.000Z')).toBe(true);
    expect(await keys.revoke(a.id, second.id, '2026-11-03T00:00:00.000Z')).toBe(true);
    expect((await keys.findByHash(`h2-${a.id}`))?.revokedAt).toBe('2026-11-02T00:00:00.000Z');
    expect((await keys.list(a.id)).find((x) => x.id === second.id)?.revokedAt).toBe('2026-11-02T00:00:00.000Z');
    expect(await keys.revoke(a.id, 'key_missing', '2026-11-02T00:00:00.000Z')).toBe(false);

    await apps.delete(a.id);
    expect(await apps.get(a.id)).toBeUndefined();
    expect(await keys.findByHash(`h-${a.id}`)).toBeUndefined();
    expect(await keys.list(a.id)).toEqual([]);
    expect((await notifiers.routingView(a.id)).notifiers).toEqual([]);
  });

  it("keeps a notifier: gets, pages through an app's, and deletes it once", async () => {
    const { notifiers } = backend.stores;
    const id = appId();
    const made = [notifier(id, { name: 'a' }), notifier(id, { name: 'b' }), notifier(id, { name: 'c' })];
    for (const n of made) await notifiers.put(n);
    expect(await notifiers.get(id, made[0]!.id)).toEqual(made[0]);
    const first = await notifiers.list(id, { limit: 2 });
    expect(first.items).toHaveLength(2);
    const rest = await notifiers.list(id, { limit: 2, cursor: first.nextCursor as string });
    expect([...first.items, ...rest.items].map((n) => n.id)).toEqual(made.map((n) => n.id).sort());
    expect(rest.nextCursor).toBeNull();
    expect(await notifiers.delete(id, made[0]!.id)).toBe(true);
    expect(await notifiers.delete(id, made[0]!.id)).toBe(false);
    expect(await notifiers.get(id, made[0]!.id)).toBeUndefined();
  });

  it('notes when a notifier started failing (the first time only), finds it by that, and forgets it once it works', async () => {
    const { notifiers } = backend.stores;
    const id = appId();
    const n = notifier(id);
    await notifiers.put(n);
    await notifiers.markFailing(id, n.id, '2026-11-10T00:00:00.000Z');
    await notifiers.markFailing(id, n.id, '2026-11-11T00:00:00.000Z');
    expect((await notifiers.get(id, n.id))?.failingSince).toBe('2026-11-10T00:00:00.000Z');
    expect((await notifiers.failingSince(new Date('2026-11-10T12:00:00Z'))).map((x) => x.id)).toContain(n.id);
    expect((await notifiers.failingSince(new Date('2026-11-09T00:00:00Z'))).map((x) => x.id)).not.toContain(n.id);
    await notifiers.clearFailing(id, n.id);
    expect((await notifiers.get(id, n.id))?.failingSince).toBeUndefined();
    expect((await notifiers.failingSince(new Date('2030-01-01T00:00:00Z'))).map((x) => x.id)).not.toContain(n.id);
    // A notifier that is gone is not made again by a late note.
    await notifiers.markFailing(id, 'ntf_gone', '2026-11-10T00:00:00.000Z');
    expect(await notifiers.get(id, 'ntf_gone')).toBeUndefined();
  });
});
