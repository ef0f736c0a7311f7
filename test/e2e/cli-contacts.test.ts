import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { herald, startCliHerald, type CliHerald } from '../support/cli.js';
import { eventually } from '../support/receiver.js';

/** `herald contacts` and `herald contact-groups` against `npm start`: a contact added, grouped, reached by a notifier in its language. */
let crew: CliHerald;
let env: Record<string, string>;

beforeAll(async () => {
  crew = await startCliHerald('crew');
  ({ env } = crew);
});
afterAll(() => crew?.stop());

describe('herald contacts', () => {
  it('add, ls, show; a group of it reached by `notifiers add --group`, texted in German; rm refused while the group names it', async () => {
    const add = await herald(
      [
        'contacts',
        'add',
        '--name',
        'Anna',
        '--email',
        'anna@crew.example',
        '--sms',
        '+4915100000222',
        '--sms-min-severity',
        'critical',
        '--locale',
        'de',
      ],
      { env },
    );
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toMatch(/^Added contact con_\w+ \(Anna: email, sms \(critical\+\)\)\.\n$/);
    const id = /con_\w+/.exec(add.stdout)?.[0] as string;

    const ls = await herald(['contacts', 'ls'], { env });
    expect(ls.stdout).toMatch(/^ID +NAME +CHANNELS +LOCALE +TIME ZONE\n/);
    expect(ls.stdout).toMatch(new RegExp(`^${id} +Anna +email, sms \\(critical\\+\\) +de$`, 'm'));
    const show = await herald(['contacts', 'show', id, '--json'], { env });
    expect(JSON.parse(show.stdout).contact).toMatchObject({
      id,
      name: 'Anna',
      locale: 'de',
      channels: [{ channel: 'email' }, { channel: 'sms' }],
    });

    const group = await herald(['contact-groups', 'add', '--name', 'On call', '--member', id], { env });
    expect(group.code, group.stderr).toBe(0);
    const groupId = /cgr_\w+/.exec(group.stdout)?.[0] as string;
    expect((await herald(['contact-groups', 'ls'], { env })).stdout).toMatch(new RegExp(`^${groupId} +On call +${id}$`, 'm'));

    const notifier = await herald(['notifiers', 'add', '--name', 'Pager', '--group', groupId, '--events', 'ct.*'], { env });
    expect(notifier.code, notifier.stderr).toBe(0);
    expect(notifier.stdout).toMatch(new RegExp(`^Added notifier ntf_\\w+ \\(Pager, contacts → ${groupId}\\)\\.`));
    await crew.post({ type: 'ct.down', severity: 'critical', title: 'Lager voll' });
    const texts = async () => (await crew.local.call('GET', '/_local/outbox/sms', crew.local.adminKey)).body.messages as any[];
    await eventually(async () => (await texts()).some((m) => m.phoneNumber === '+4915100000222'), 15_000, 'the text to Anna');
    expect((await texts()).find((m) => m.phoneNumber === '+4915100000222').message).toBe('Crew: Lager voll [kritisch]');

    const rm = await herald(['contacts', 'rm', id], { env });
    expect(rm.code).toBe(1);
    expect(rm.stderr).toContain(`the group "On call" (${groupId})`);
    expect((await herald(['contacts', 'add', '--name', 'Nobody'], { env })).code).toBe(2);
  });
});
