import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { herald, startCliHerald, type CliHerald } from '../support/cli.js';
import { eventually } from '../support/receiver.js';

/**
 * `herald incidents` against `npm start`: a failing check's incident listed open, acknowledged
 * by whom (announced; a second ack refused naming who), resolved by its recovery; another
 * resolved by hand.
 */
let shop: CliHerald;
let env: Record<string, string>;

const check = (name: string, status: string, title: string) => shop.post({ type: 'check.status', title, data: { check: name, status } });
const told = (title: string) => shop.told(title);
const idOf = (stdout: string, title: string) => new RegExp(`(icd_\\w+) .*${title}`).exec(stdout)?.[1] as string;

beforeAll(async () => {
  shop = await startCliHerald('shop');
  env = shop.env;
});
afterAll(() => shop?.stop());

describe('herald incidents', () => {
  it('ls shows a failing check open; ack --by --note makes it acknowledged by who (a second ack exits 1 naming who); the recovery resolves it', async () => {
    await check('db', 'ERROR', 'Database down');
    await eventually(async () => told('Database down').length === 1, 15_000, 'the failure, told to the webhook');
    const open = await herald(['incidents', 'ls'], { env });
    expect(open.code, open.stderr).toBe(0);
    expect(open.stdout).toMatch(/^ID +STATUS +TITLE +CHECK +SEVERITY +SINCE +ACKNOWLEDGED BY +NOTE\n/);
    expect(open.stdout).toMatch(/icd_\w+ +open +Database down +db +critical +\d+s ago\n/);
    const id = idOf(open.stdout, 'Database down');

    const ack = await herald(['incidents', 'ack', id, '--by', 'ops@shop.example', '--note', 'looking into it'], { env });
    expect(ack).toMatchObject({ code: 0, stdout: `Acknowledged ${id} (db: Database down) as ops@shop.example: looking into it.\n` });
    await eventually(async () => told('Ack by ops@shop.example: looking into it').length === 1, 15_000, 'the acknowledgement, announced');

    // The default list is the open and the acknowledged ones, newest first.
    await check('queue', 'ERROR', 'Queue stuck');
    const both = await herald(['incidents', 'ls', '--app', 'shop'], { env });
    expect(both.stdout).toMatch(
      new RegExp(
        `icd_\\w+ +open +Queue stuck +queue +critical +\\d+s ago *\\n${id} +acknowledged +Database down +db +critical +\\d+s ago +ops@shop\\.example +looking into it\\n`,
      ),
    );
    expect((await herald(['incidents', 'ls', '--status', 'acknowledged', '--json'], { env })).json.incidents).toEqual([
      expect.objectContaining({ id, status: 'acknowledged', acknowledgedBy: 'ops@shop.example', note: 'looking into it' }),
    ]);

    const twice = await herald(['incidents', 'ack', id, '--by', 'bob@shop.example'], { env });
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/^error: .*acknowledged already by ops@shop\.example \(409 conflict\)\n/);
    const twiceJson = await herald(['incidents', 'ack', id, '--json'], { env });
    expect(twiceJson.code).toBe(1);
    expect(JSON.parse(twiceJson.stderr).error).toMatchObject({ status: 409, message: expect.stringContaining('ops@shop.example') });

    await check('db', 'OK', 'Database back');
    await eventually(async () => told('Database back').length === 1, 15_000, 'the recovery, told');
    expect((await herald(['incidents', 'ls'], { env })).stdout).not.toContain(id);
    const resolved = await herald(['incidents', 'ls', '--status', 'resolved'], { env });
    expect(resolved.stdout).toMatch(/^ID +STATUS +TITLE +CHECK +SEVERITY +SINCE +ACKNOWLEDGED BY +NOTE +RESOLVED\n/);
    expect(resolved.stdout).toMatch(
      new RegExp(`${id} +resolved +Database down +db +critical +\\d+s ago +ops@shop\\.example +looking into it +\\d+s ago by recovery\\n`),
    );
  });

  it('resolve ID resolves another by hand (announced); again, it exits 1 saying so; --status all lists every one', async () => {
    await check('disk', 'ERROR', 'Disk full');
    await eventually(async () => told('Disk full').length === 1, 15_000, 'the failure, told');
    const id = idOf((await herald(['incidents', 'ls'], { env })).stdout, 'Disk full');
    const resolve = await herald(['incidents', 'resolve', id, '--by', 'ana@shop.example', '--note', 'freed space'], { env });
    expect(resolve).toMatchObject({ code: 0, stdout: `Resolved ${id} (disk: Disk full) as ana@shop.example.\n` });
    await eventually(async () => told('Resolved by ana@shop.example: freed space').length === 1, 15_000, 'the resolution, announced');
    const again = await herald(['incidents', 'resolve', id], { env });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('resolved already (by ana@shop.example)');

    expect((await herald(['incidents', 'ls'], { env })).stdout).not.toContain(id);
    const all = await herald(['incidents', 'ls', '--status', 'all', '--json'], { env });
    expect(all.json.incidents.map((i: { check: string; status: string }) => [i.check, i.status])).toEqual([
      ['disk', 'resolved'],
      ['queue', 'open'],
      ['db', 'resolved'],
    ]);
    const two = await herald(['incidents', 'ls', '--status', 'all', '--limit', '2'], { env });
    expect(two.stdout).toMatch(/^More than 2: --limit \(up to 100\)\.$/m);
    // As JSON too: that there are more, and the API's nextCursor.
    const twoJson = await herald(['incidents', 'ls', '--status', 'all', '--limit', '2', '--json'], { env });
    expect(twoJson.json).toEqual({ incidents: [expect.anything(), expect.anything()], more: true, nextCursor: expect.any(String) });
    expect((await herald(['incidents', 'ls', '--status', 'all', '--json'], { env })).json).toMatchObject({ more: false, nextCursor: null });
    const mergedJson = await herald(['incidents', 'ls', '--limit', '1', '--json'], { env });
    expect(mergedJson.json).toMatchObject({ incidents: [expect.anything()], more: false, nextCursor: null }); // queue alone is open
  });

  it('refuses a status it does not know, and an unknown incident', async () => {
    const wrong = await herald(['incidents', 'ls', '--status', 'closed'], { env });
    expect(wrong).toMatchObject({ code: 2, stderr: expect.stringContaining('Allowed choices are open, acknowledged, resolved, all') });
    const unknown = await herald(['incidents', 'ack', 'icd_01kzzzzzzzzzzzzzzzzzzzzzzz'], { env });
    expect(unknown).toMatchObject({ code: 1, stderr: expect.stringContaining('(404 not_found)') });
  });
});
