import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { herald, startCliHerald, type CliHerald } from '../support/cli.js';
import { eventually } from '../support/receiver.js';

/**
 * `herald notifiers` with escalation and failover against `npm start`: a policy added with
 * --escalate reaches step 1 at once and step 2 two seconds later, `notifiers show` prints its
 * steps and `deliveries ls` says which step each delivery was; a failover added with edit
 * sends a refused webhook's event to the next notifier, and `deliveries ls` links both.
 */
let shop: CliHerald;
let env: Record<string, string>;
const ids: Record<string, string> = {};

const at = (path: string) => shop.receiver.requests.filter((r) => r.path === path);
const idIn = (stdout: string) => /ntf_\w+/.exec(stdout)?.[0] as string;

beforeAll(async () => {
  shop = await startCliHerald('shop');
  ({ env } = shop);
  for (const step of ['s1', 's2']) {
    const args = ['notifiers', 'add', '--name', step, '--channel', 'webhook', '--target-url', `${shop.receiver.url}/${step}`];
    const add = await herald([...args, '--events', 'nothing.wanted'], { env });
    expect(add.code, add.stderr).toBe(0);
    ids[step] = idIn(add.stdout);
  }
});
afterAll(() => shop?.stop());

describe('herald notifiers with escalation and failover', () => {
  it('add --escalate 0:… --escalate 2s:…: step 1 at once, step 2 after 2 s; show prints the steps, deliveries ls says the step', async () => {
    const add = await herald(
      [
        'notifiers',
        'add',
        '--name',
        'On call',
        '--events',
        'check.status',
        '--escalate',
        `0:notifier=${ids['s1']}`,
        '--escalate',
        `2s:notifier=${ids['s2']}`,
      ],
      { env },
    );
    expect(add.code, add.stderr).toBe(0);
    const policy = idIn(add.stdout);
    expect(add.stdout).toBe(`Added notifier ${policy} (On call, escalates 0s: notifier=${ids['s1']}; 2s: notifier=${ids['s2']}).\n`);
    const show = await herald(['notifiers', 'show', policy], { env });
    expect(show.stdout).toMatch(/^channel:\s+none: it escalates$/m);
    expect(show.stdout).toMatch(new RegExp(`^escalation:\\s+0s: notifier=${ids['s1']}; 2s: notifier=${ids['s2']}$`, 'm'));

    const eventId = await shop.post({ type: 'check.status', title: 'Database down', data: { check: 'db', status: 'ERROR' } });
    await eventually(async () => at('/s2').length > 0, 10_000, 'step 2');
    const rows = await eventually(async () => {
      const ls = await herald(['deliveries', 'ls', '--event', eventId], { env });
      const lines = ls.stdout.split('\n').filter((l) => l.includes(`of ${policy}`));
      return lines.length === 2 && lines.every((l) => /\bsent\b/.test(l)) && lines;
    });
    expect(rows.map((l) => /step \d/.exec(l)?.[0]).sort()).toEqual(['step 1', 'step 2']);
  });

  it('edit --failover-to notifier=… --failover-after 5m: a refused webhook fails over; deliveries ls links both; bad steps are refused', async () => {
    const edit = await herald(
      [
        'notifiers',
        'edit',
        ids['s1'] as string,
        '--events',
        'app_crashed',
        '--failover-to',
        `notifier=${ids['s2']}`,
        '--failover-after',
        '5m',
      ],
      { env },
    );
    expect(edit.code, edit.stderr).toBe(0);
    expect(edit.stdout).toContain(`, fails over to notifier=${ids['s2']}, after 5m unsent.`);
    expect((await herald(['notifiers', 'show', ids['s1'] as string], { env })).stdout).toMatch(
      new RegExp(`^failover:\\s+notifier=${ids['s2']}, after 5m unsent$`, 'm'),
    );
    shop.receiver.respond((req) => ({ status: req.path === '/s1' ? 410 : 200 }));
    const eventId = await shop.post({ type: 'app_crashed', title: 'Worker crashed' });
    await eventually(async () => at('/s2').some((r) => r.body.includes('Worker crashed')), 10_000, 'the failover');
    const ls = await eventually(async () => {
      const run = await herald(['deliveries', 'ls', '--event', eventId, '--json'], { env });
      const stand = run.json.deliveries.find((d: { failoverOf?: string; status: string }) => d.failoverOf && d.status === 'sent');
      return stand && (await herald(['deliveries', 'ls', '--event', eventId], { env })).stdout;
    });
    expect(ls).toMatch(/failed\s+webhook.*failed over to dlv_\w+/);
    expect(ls).toMatch(/sent\s+webhook.*failover of dlv_\w+/);

    const bad = await herald(['notifiers', 'add', '--name', 'P', '--escalate', '10m'], { env });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--escalate 10m: <after>:notifier=<id>');
    const unknown = await herald(['notifiers', 'add', '--name', 'P', '--escalate', '0:notifier=ntf_nosuch'], { env });
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('escalation.steps.0.notify.0.notifier');
  });
});
