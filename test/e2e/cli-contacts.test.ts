import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { herald, startCliHerald, type CliHerald } from '../support/cli.js';
import { eventually, signatureVerifies, startReceiver, type Receiver } from '../support/receiver.js';

/** `herald contacts` and `herald contact-groups` against `npm start`: a contact added, grouped, reached by a notifier in its language. */
let crew: CliHerald;
let env: Record<string, string>;
let receiver: Receiver;

beforeAll(async () => {
  crew = await startCliHerald('crew');
  ({ env } = crew);
  receiver = await startReceiver();
});
afterAll(async () => {
  await crew?.stop();
  await receiver?.close();
});

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

  it("prints the signing secret Herald generates for a webhook given none, once: the contact's and a notifier's each verify what arrives", async () => {
    const channel = { channel: 'webhook', target: { url: `${receiver.url}/bot` } };
    const add = await herald(['contacts', 'add', '--name', 'Bot', '--channel', JSON.stringify(channel)], { env });
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toMatch(
      /^Added contact con_\w+ \(Bot: webhook\)\.\nSigning secret of channel 1 \(webhook\), shown this once: whsec_\S+\n$/,
    );
    const contactSecret = /whsec_\S+/.exec(add.stdout)?.[0] as string;
    const contactId = /con_\w+/.exec(add.stdout)?.[0] as string;
    // Once: masked afterwards.
    expect((await herald(['contacts', 'show', contactId], { env })).stdout).not.toContain(contactSecret);
    const json = await herald(['contacts', 'add', '--name', 'Bot 2', '--channel', JSON.stringify(channel), '--json'], { env });
    expect(json.json).toMatchObject({ contact: { name: 'Bot 2' }, secrets: [{ index: 0, secret: expect.stringMatching(/^whsec_/) }] });
    expect(json.json.contact.secrets).toBeUndefined();

    const hook = await herald(
      ['notifiers', 'add', '--name', 'Hook', '--channel', 'webhook', '--target-url', `${receiver.url}/hook`, '--events', 'bot.*'],
      { env },
    );
    expect(hook.code, hook.stderr).toBe(0);
    expect(hook.stdout).toMatch(/^Added notifier ntf_\w+ \(Hook, .*\)\.\nSigning secret, shown this once: whsec_\S+\n$/);
    const hookSecret = /whsec_\S+/.exec(hook.stdout)?.[0] as string;
    const bot = await herald(['notifiers', 'add', '--name', 'Bot pager', '--contact', contactId, '--events', 'bot.*'], { env });
    expect(bot.code, bot.stderr).toBe(0);
    expect(bot.stdout).not.toContain('whsec_');

    await crew.post({ type: 'bot.ping', title: 'Ping 🤖' });
    const at = (path: string) => eventually(async () => receiver.requests.find((r) => r.path === path), 15_000, `the request to ${path}`);
    const [toBot, toHook] = [await at('/bot'), await at('/hook')];
    expect(signatureVerifies(contactSecret, toBot)).toBe(true);
    expect(signatureVerifies(hookSecret, toHook)).toBe(true);
    expect(signatureVerifies(hookSecret, toBot)).toBe(false);
    expect(JSON.parse(toBot.body).title).toBe('Ping 🤖');
  });
});
