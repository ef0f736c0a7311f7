import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { herald, startCliHerald, type CliHerald } from '../support/cli.js';
import { eventually } from '../support/receiver.js';

/** `herald silence` against `npm start`: what a silence matches reaches nobody, until it is expired; bad matchers are named as typed. */
let shop: CliHerald;
let local: CliHerald['local'];
let env: Record<string, string>;

const post = (body: object) => shop.post(body);
const told = (title: string) => shop.told(title);

beforeAll(async () => {
  shop = await startCliHerald('shop');
  ({ local, env } = shop);
});
afterAll(() => shop?.stop());

describe('herald silence', () => {
  it('add silences what its matchers match (suppressed, sent nowhere), ls shows it, preview names the event; expired, it silences nothing more', async () => {
    const add = await herald(
      [
        'silence',
        'add',
        'data.cluster=eu-1',
        '--match',
        'type=~db\\..*',
        '--for',
        '2h',
        '--comment',
        'eu-1 maintenance',
        '--by',
        'ops@shop.example',
      ],
      { env },
    );
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toMatch(/^Silence sil_\w+ \(active\) ends in (2h|1h 59m): data\.cluster="eu-1" type=~"db\\\.\.\*"\n/);
    const id = /sil_\w+/.exec(add.stdout)?.[0] as string;

    const ls = await herald(['silence', 'ls'], { env });
    expect(ls.stdout).toMatch(/^ID +STATE +WHEN +MATCHERS +SILENCED +BY +COMMENT\n/);
    expect(ls.stdout).toMatch(
      // Two hours from when it was added: 2h within its first second, 1h 59m after.
      new RegExp(
        `${id} +active +ends in (2h|1h 59m) +data\\.cluster="eu-1" type=~"db\\\\\\.\\.\\*" +0 +ops@shop\\.example +eu-1 maintenance`,
      ),
    );

    const muted = await post({ type: 'db.down', title: 'Primary down', data: { cluster: 'eu-1' } });
    await post({ type: 'db.down', title: 'Replica down', data: { cluster: 'eu-2' } });
    await eventually(async () => told('Replica down').length === 1, 15_000, 'the event no silence matches, delivered');
    const deliveries = (await local.call('GET', `/v1/apps/shop/events/${muted}`, local.adminKey)).body.deliveries;
    expect(deliveries).toEqual([expect.objectContaining({ status: 'suppressed', reason: `silenced: ${id}` })]);
    expect(told('Primary down')).toEqual([]);

    const preview = await herald(['silence', 'preview', 'data.cluster=eu-1', 'type=~db\\..*'], { env });
    expect(preview.code, preview.stderr).toBe(0);
    expect(preview.stdout).toContain(muted);
    expect(preview.stdout).not.toContain('Replica down');
    expect(preview.stdout).toMatch(/^1 of the latest \d+ events would have been silenced\.$/m);

    const expire = await herald(['silence', 'expire', id], { env });
    expect(expire).toMatchObject({ code: 0, stdout: `Expired silence ${id}.\n` });
    expect((await herald(['silence', 'ls'], { env })).stdout).not.toContain(id);
    expect((await herald(['silence', 'ls', '--all'], { env })).stdout).toMatch(new RegExp(`${id} +expired +ended \\d+s ago`));
    expect((await herald(['silence', 'ls', '--all', '--json'], { env })).json.silences).toEqual([
      expect.objectContaining({ id, state: 'expired', silenced: expect.any(Number) }),
    ]);
    expect((await herald(['silence', 'expire', id], { env })).code).toBe(1);
    await post({ type: 'db.down', title: 'Primary down again', data: { cluster: 'eu-1' } });
    await eventually(async () => told('Primary down again').length === 1, 15_000, 'the event delivered once the silence expired');
  });

  it('--global silences every app, listed and expired with --global; --start makes one pending', async () => {
    const add = await herald(['silence', 'add', '--global', 'title=~"Backup .*"', '--comment', 'backups moved', '--json'], { env });
    expect(add.code, add.stderr).toBe(0);
    expect(add.json.silence).toMatchObject({ appId: '*', matchers: [{ field: 'title', op: '=~', value: 'Backup .*' }], state: 'active' });
    expect(Date.parse(add.json.silence.endsAt) - Date.now()).toBeGreaterThan(55 * 60_000); // amtool's default: an hour
    const muted = await post({ type: 'backup.failed', title: 'Backup failed' });
    const deliveries = (await local.call('GET', `/v1/apps/shop/events/${muted}`, local.adminKey)).body.deliveries;
    expect(deliveries).toEqual([expect.objectContaining({ reason: `silenced: ${add.json.silence.id}` })]);
    expect((await herald(['silence', 'ls', '--global'], { env })).stdout).toContain(`title=~"Backup .*"`);
    expect((await herald(['silence', 'ls'], { env })).stdout).not.toContain(add.json.silence.id);
    expect((await herald(['silence', 'expire', add.json.silence.id, '--global'], { env })).code).toBe(0);

    // Later: pending until --start, then for --for.
    const later = await herald(
      ['silence', 'add', '--global', 'type=nightly.job', '--start', '30m', '--for', '2h', '--comment', 'tonight'],
      { env },
    );
    expect(later.stdout).toMatch(/^Silence sil_\w+ \(pending\) starts in (30m|29m \d+s): type="nightly\.job"\n/);
    const pending = (await herald(['silence', 'ls', '--global', '--json'], { env })).json.silences[0];
    expect(Date.parse(pending.endsAt) - Date.parse(pending.startsAt)).toBe(2 * 3_600_000);
    expect((await herald(['silence', 'expire', pending.id, '--global'], { env })).code).toBe(0);
  });

  it('refuses a bad matcher naming it as typed, and stores nothing', async () => {
    const count = async () => (await herald(['silence', 'ls', '--all', '--json'], { env })).json.silences.length;
    const before = await count();
    const pattern = await herald(['silence', 'add', '--match', 'type=~(unclosed', '--comment', 'x'], { env });
    expect(pattern.code).toBe(1);
    expect(pattern.stderr).toMatch(/^ {2}matchers\.0 'type=~\(unclosed': .+/m);
    const field = await herald(['silence', 'add', 'type=db.down', 'colour=red', '--comment', 'x', '--json'], { env });
    expect(field.code).toBe(1);
    expect(JSON.parse(field.stderr).error.details).toEqual([expect.objectContaining({ path: 'matchers.1', matcher: 'colour=red' })]);
    const usage: [string[], string][] = [
      [['silence', 'add', 'colour', '--comment', 'x'], 'colour: expected field=value'],
      [['silence', 'add', '--comment', 'x'], 'no matcher'],
      [['silence', 'add', 'type=x', '--for', '2h', '--until', '2030-01-01T00:00:00Z', '--comment', 'x'], '--for or --until'],
      [['silence', 'add', 'type=x', '--until', '2h', '--comment', 'x'], '--until 2h: an ISO time'],
      // A bare number is not a time (Date.parse would read it as 2001).
      [['silence', 'add', 'type=x', '--until', '2', '--comment', 'x'], '--until 2: an ISO time'],
      [['silence', 'add', 'type=x'], "required option '--comment <text>'"],
      [['silence', 'ls', '--app', 'shop', '--global'], '--app or --global'],
    ];
    for (const [args, message] of usage)
      expect(await herald(args, { env }), args.join(' ')).toMatchObject({ code: 2, stderr: expect.stringContaining(message) });
    expect(await count()).toBe(before);
  });
});
