import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, herald, HERALD_BIN } from '../support/cli.js';
import { startLocalHerald, type LocalHerald } from '../support/local-mode.js';
import { eventually, startReceiver } from '../support/receiver.js';

/** The `herald` command as a person and a script use it, against `npm start`: apps, notifiers, send, login, help. */
let home: string;
let local: LocalHerald;
let admin: Record<string, string>;

beforeAll(async () => {
  buildCli();
  home = mkdtempSync(join(tmpdir(), 'herald-cli-'));
  local = await startLocalHerald(join(home, '.herald'));
  admin = { HERALD_URL: local.url, HERALD_KEY: local.adminKey, HERALD_CONFIG: join(home, 'none.json') };
});
afterAll(async () => {
  await local?.stop();
  rmSync(home, { recursive: true, force: true });
});

describe('herald --help', () => {
  it('answers on every command, each with an example; a wrong option is a usage error (exit 2)', async () => {
    const commands = [
      [],
      ['login'],
      ['whoami'],
      ['apps'],
      ['apps', 'ls'],
      ['apps', 'create'],
      ['apps', 'show'],
      ['apps', 'rm'],
      ['notifiers', 'ls'],
      ['notifiers', 'show'],
      ['notifiers', 'add'],
      ['notifiers', 'edit'],
      ['notifiers', 'test'],
      ['notifiers', 'rm'],
      ['sources', 'ls'],
      ['sources', 'add'],
      ['sources', 'show'],
      ['sources', 'rotate'],
      ['sources', 'rm'],
      ['silence'],
      ['silence', 'add'],
      ['silence', 'ls'],
      ['silence', 'expire'],
      ['silence', 'preview'],
      ['incidents'],
      ['incidents', 'ls'],
      ['incidents', 'ack'],
      ['incidents', 'resolve'],
      ['send'],
      ['deliveries', 'ls'],
      ['deliveries', 'tail'],
      ['deliveries', 'resend'],
      ['dlq', 'ls'],
      ['dlq', 'redrive'],
      ['preview'],
      ['catalog'],
      ['verify'],
    ];
    for (const command of commands) {
      const run = await herald([...command, '--help']);
      expect(run.code, command.join(' ')).toBe(0);
      if (command.length !== 1 || ['send', 'login', 'whoami', 'preview', 'catalog', 'verify'].includes(command[0] as string))
        expect(run.stdout, command.join(' ')).toMatch(/Examples?:\n {2}\$ /);
    }
    // Read in part, as `herald --help | head -1` does: not an error.
    for (let i = 0; i < 5; i++) {
      const partly = spawnSync('bash', ['-c', `${process.execPath} ${HERALD_BIN} --help | head -1; exit \${PIPESTATUS[0]}`], {
        encoding: 'utf8',
      });
      expect(partly.stdout).toBe('Usage: herald [options] [command]\n');
      expect(partly.stderr + partly.status).toBe('0');
    }
    const wrong = await herald(['apps', 'ls', '--colour'], { env: admin });
    expect(wrong).toMatchObject({ code: 2, stderr: expect.stringContaining("unknown option '--colour'") });
    expect((await herald(['apps', 'ls'])).stderr).toContain("Herald's URL is not set");
  });
});

describe('herald login and whoami', () => {
  it('checks the key, keeps it in a file only its user can read, and uses it when nothing else is set', async () => {
    const config = join(home, 'config', 'herald.json');
    const login = await herald(['login', '--url', local.url], { input: `${local.adminKey}\n`, env: { HERALD_CONFIG: config } });
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toContain('with the admin key');
    expect(statSync(config).mode & 0o777).toBe(0o600);
    expect((await herald(['whoami', '--json'], { env: { HERALD_CONFIG: config } })).json).toEqual({ scope: 'admin' });
    const refused = await herald(['login', '--url', local.url, '--key', 'hrd_admin_nope'], {
      env: { HERALD_CONFIG: join(home, 'other.json') },
    });
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining('(401 unauthorized)') });
  });

  it("sends the profile's key to the profile's URL only, not to another server named by --url or HERALD_URL", async () => {
    const config = join(home, 'config', 'herald.json'); // saved by the test above
    const other = await startReceiver();
    try {
      for (const run of [
        await herald(['--url', other.url, 'apps', 'ls'], { env: { HERALD_CONFIG: config } }),
        await herald(['apps', 'ls'], { env: { HERALD_CONFIG: config, HERALD_URL: other.url } }),
      ]) {
        expect(run).toMatchObject({ code: 2, stderr: expect.stringContaining('--key or HERALD_KEY') });
      }
      expect(other.requests).toEqual([]);
      // The profile's own URL, written with a trailing slash or without: its key.
      expect((await herald(['--url', `${local.url}/`, 'whoami', '--json'], { env: { HERALD_CONFIG: config } })).json).toEqual({
        scope: 'admin',
      });
      expect((await herald(['whoami', '--json'], { env: { HERALD_CONFIG: config, HERALD_URL: local.url } })).json).toEqual({
        scope: 'admin',
      });
    } finally {
      await other.close();
    }
  });
});

describe('herald apps', () => {
  it('creates, lists, shows and deletes an app; a refusal names the field at fault (exit 1)', async () => {
    const created = await herald(['apps', 'create', 'cli-shop', '--name', 'CLI Shop', '--owner', 'owner@cli.example', '--json'], {
      env: admin,
    });
    expect(created.code, created.stderr).toBe(0);
    expect(created.json).toMatchObject({ app: { id: 'cli-shop', name: 'CLI Shop' }, apiKey: expect.stringMatching(/^hrd_app_/) });
    const ls = await herald(['apps', 'ls'], { env: admin });
    expect(ls.stdout).toMatch(/^ID\s+NAME\s+OWNER\s+CREATED\n/);
    expect(ls.stdout).toMatch(/cli-shop\s+CLI Shop\s+owner@cli\.example\s+\d+s ago/);
    expect((await herald(['apps', 'ls', '--json'], { env: admin })).json.apps.map((a: any) => a.id)).toContain('cli-shop');
    const show = await herald(['apps', 'show', 'cli-shop'], { env: admin });
    expect(show.stdout).toMatch(/owner:\s+owner@cli\.example/);
    expect(show.stdout).toMatch(/KEY\s+PREFIX\s+CREATED\s+REVOKED\n/);

    const bad = await herald(['apps', 'create', 'Not A Slug', '--name', 'x', '--owner', 'o@x.example'], { env: admin });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/error: The request is not valid \(400 invalid_request\)\n {2}id: must be a slug/);
    const badJson = await herald(['apps', 'create', 'Not A Slug', '--name', 'x', '--owner', 'o@x.example', '--json'], { env: admin });
    expect(JSON.parse(badJson.stderr)).toMatchObject({ error: { status: 400, code: 'invalid_request', details: [{ path: 'id' }] } });

    expect((await herald(['apps', 'rm', 'cli-shop', '--json'], { env: admin })).json).toEqual({ deleted: 'cli-shop' });
    expect(await herald(['apps', 'show', 'cli-shop'], { env: admin })).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('404 not_found'),
    });
  });
});

describe('herald notifiers and send', () => {
  it('adds notifiers from flags and from a file, edits, tests and removes them; an app key sends to its own app', async () => {
    const { json } = await herald(['apps', 'create', 'notify', '--name', 'Notify', '--owner', 'o@notify.example', '--json'], {
      env: admin,
    });
    const ingest = { HERALD_URL: local.url, HERALD_KEY: json.apiKey, HERALD_CONFIG: join(home, 'none.json') };
    const app = { ...admin, HERALD_APP: 'notify' };

    const mail = await herald(
      [
        'notifiers',
        'add',
        '--name',
        'Ops mail',
        '--channel',
        'email',
        '--to',
        'ops@notify.example,dev@notify.example',
        '--events',
        '@deployment',
        '--json',
      ],
      { env: app },
    );
    expect(mail.code, mail.stderr).toBe(0);
    expect(mail.json.notifier).toMatchObject({
      channel: 'email',
      target: { to: ['ops@notify.example', 'dev@notify.example'] },
      events: ['@deployment'],
    });
    // --target-url is the notifier's; --url stays Herald's.
    const slack = await herald(
      [
        '--url',
        local.url,
        'notifiers',
        'add',
        '--name',
        'Slack',
        '--channel',
        'slack',
        '--target-url',
        `${local.url}/_local/slack/services/T000/B000/XXXX`,
        '--events',
        'monitor.*',
        '--json',
      ],
      { env: app },
    );
    expect(slack.code, slack.stderr).toBe(0);
    expect(slack.json.notifier.target.url).toMatch(/\/_local\/slack\/services\/T\*\*\*\*\/B\*\*\*\*\/X\*\*\*\*$/);
    const target = join(home, 'target.json');
    writeFileSync(target, JSON.stringify({ url: `${local.url}/_local/webhook/notify`, secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }));
    const hook = await herald(
      ['notifiers', 'add', '--app', 'notify', '--name', 'Hook', '--channel', 'webhook', '--target', `@${target}`, '--json'],
      { env: admin },
    );
    expect(hook.json.notifier.target.secret).toMatch(/\*\*\*\*/);
    const id = hook.json.notifier.id as string;

    const ls = await herald(['notifiers', 'ls'], { env: app });
    expect(ls.stdout).toMatch(/^ID\s+NAME\s+CHANNEL\s+TARGET\s+EVENTS\s+ENABLED\s+GROUPING\s+DIGEST\n/);
    expect(ls.stdout).toMatch(/Ops mail\s+email\s+ops@notify\.example, dev@notify\.example\s+@deployment\s+yes/);
    expect((await herald(['notifiers', 'ls', '--json'], { env: app })).json.notifiers).toHaveLength(4); // with the default one

    const test = await herald(['notifiers', 'test', id, '--json'], { env: app });
    expect(test.json.delivery).toMatchObject({ status: 'sent', attempts: [{ outcome: 'sent', statusCode: 200 }] });
    expect((await herald(['notifiers', 'test', id], { env: app })).stdout).toMatch(
      // `notify` is a word of the path, not a token: the mask keeps it (a token would show as n****).
      /^Test sent → .*\/_local\/webhook\/notify \(200, \d+ ms\)/,
    );
    expect((await herald(['notifiers', 'edit', id, '--disable', '--json'], { env: app })).json.notifier.enabled).toBe(false);
    expect((await herald(['notifiers', 'edit', id], { env: app })).code).toBe(2); // nothing to change
    const badTarget = await herald(['notifiers', 'add', '--name', 'x', '--channel', 'email', '--to', 'not-an-address'], { env: app });
    expect(badTarget).toMatchObject({ code: 1, stderr: expect.stringMatching(/target\.to\.0: /) });
    expect((await herald(['notifiers', 'add', '--name', 'x', '--channel', 'email'], { env: app })).code).toBe(2);

    // An ingest key names its own app; the admin key needs one.
    const sent = await herald(['send', 'app_deployed', '--title', 'Deployed v42', '--data', '{"commit":"ac77098"}', '--json'], {
      env: ingest,
    });
    expect(sent.code, sent.stderr).toBe(0);
    expect(sent.json).toMatchObject({ eventId: expect.stringMatching(/^evt_/), deliveries: 2, duplicate: false }); // a mail to each
    const again = await herald(
      ['send', 'app_deployed', '--title', 'Deployed v42', '--data', '{"commit":"ac77098"}', '--idempotency-key', 'd42'],
      { env: ingest },
    );
    expect(again.stdout).toMatch(/^Accepted evt_\w+: 2 deliveries\n/);
    expect(
      (
        await herald(['send', 'app_deployed', '--title', 'Deployed v42', '--data', '{"commit":"ac77098"}', '--idempotency-key', 'd42'], {
          env: ingest,
        })
      ).stdout,
    ).toMatch(/^Already accepted/);
    expect((await herald(['send', 'app_deployed', '--app', 'notify'], { env: admin })).code).toBe(0);
    expect(await herald(['send', 'app_deployed'], { env: admin })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('which app?'),
    });
    expect(await herald(['send', 'app_deployed', '--severity', 'loud'], { env: ingest })).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/\n {2}severity: /),
    });
    expect(await herald(['send', 'x', '--data', '{oops'], { env: ingest })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--data is not JSON'),
    });
    expect((await herald(['whoami', '--json'], { env: ingest })).json).toMatchObject({ scope: 'ingest', appId: 'notify' });
    expect(await herald(['apps', 'ls'], { env: ingest })).toMatchObject({ code: 1, stderr: expect.stringContaining('403 forbidden') });

    expect((await herald(['notifiers', 'rm', id], { env: app })).stdout).toBe(`Deleted notifier ${id}.\n`);
    const outbox = (await local.call('GET', '/_local/outbox/email')).body.emails as any[];
    expect(outbox.filter((m) => m.destination.to.includes('ops@notify.example') && m.subject.includes('Deployed v42'))).toHaveLength(2);
  });
});

describe('--limit', () => {
  it('is a whole number from 1 to 100 on every list: anything else is a usage error naming it (exit 2)', async () => {
    const app = { ...admin, HERALD_APP: 'limits' };
    const lists = [
      ['apps', 'ls'],
      ['incidents', 'ls'],
      ['deliveries', 'ls'],
      ['dlq', 'ls', '--family', 'webhook'],
    ];
    for (const list of lists)
      for (const limit of ['abc', '0', '1000', '2.5'])
        expect(await herald([...list, '--limit', limit], { env: app }), `${list.join(' ')} --limit ${limit}`).toMatchObject({
          code: 2,
          stderr: `error: --limit ${limit}: a whole number from 1 to 100\n`,
        });
    expect((await herald(['apps', 'ls', '--limit', '1'], { env: app })).code).toBe(0);
  });
});

describe('pages', () => {
  it('apps ls and notifiers ls say on stderr when there are more, with the --cursor that shows them; --json keeps nextCursor', async () => {
    for (const id of ['page-a', 'page-b'])
      expect((await local.call('POST', '/v1/apps', local.adminKey, { id, name: id, owner: { email: `o@${id}.example` } })).status).toBe(
        201,
      );
    const first = await herald(['apps', 'ls', '--limit', '1'], { env: admin });
    expect(first.code, first.stderr).toBe(0);
    const cursor = /^More than 1: the next ones with --cursor (\S+)\n$/.exec(first.stderr)?.[1] as string;
    expect(cursor).toBeDefined();
    const second = await herald(['apps', 'ls', '--limit', '1', '--cursor', cursor], { env: admin });
    expect(second.code, second.stderr).toBe(0);
    const idOf = (stdout: string) => stdout.split('\n')[1]?.split(' ')[0];
    expect(idOf(second.stdout)).toMatch(/\S/);
    expect(idOf(second.stdout)).not.toBe(idOf(first.stdout));
    const json = await herald(['apps', 'ls', '--limit', '1', '--json'], { env: admin });
    expect(json).toMatchObject({ code: 0, stderr: '', json: { apps: [expect.anything()], nextCursor: cursor } });
    const all = await herald(['apps', 'ls'], { env: admin });
    expect(all.stderr).toBe('');
    expect((await herald(['apps', 'ls', '--json'], { env: admin })).json.nextCursor).toBeNull();

    // notifiers ls shows 100 at a time: the 101st is on the next page.
    for (let i = 0; i < 100; i++)
      await local.call('POST', '/v1/apps/page-a/notifiers', local.adminKey, {
        name: `Hook ${i}`,
        channel: 'webhook',
        target: { url: `${local.url}/_local/webhook/page-${i}` },
        events: ['*'],
      });
    const app = { ...admin, HERALD_APP: 'page-a' };
    const notifiers = await herald(['notifiers', 'ls'], { env: app });
    expect(notifiers.stdout.trim().split('\n')).toHaveLength(101); // the header and 100
    const next = /^More than 100: the next ones with --cursor (\S+)\n$/.exec(notifiers.stderr)?.[1] as string;
    expect(next).toBeDefined();
    const rest = await herald(['notifiers', 'ls', '--cursor', next], { env: app });
    expect(rest).toMatchObject({ code: 0, stderr: '' });
    expect(rest.stdout.trim().split('\n')).toHaveLength(2);
    expect((await herald(['notifiers', 'ls', '--json'], { env: app })).json).toMatchObject({ nextCursor: next });
  });
});

describe('errors as JSON', () => {
  it("commander's own usage errors too, with --json: the CLI's usage error shape on stderr, exit 2; plain text without", async () => {
    const usage: [string[], string][] = [
      [['notifiers', 'add', '--app', 'shop'], "required option '--name <name>' not specified"],
      [
        ['incidents', 'ls', '--status', 'closed'],
        "option '--status <status>' argument 'closed' is invalid. Allowed choices are open, acknowledged, resolved, all.",
      ],
      [['apps', 'ls', '--colour'], "unknown option '--colour'"],
    ];
    for (const [args, message] of usage) {
      const json = await herald([...args, '--json'], { env: admin });
      expect(json, args.join(' ')).toMatchObject({ code: 2, stdout: '' });
      expect(JSON.parse(json.stderr), args.join(' ')).toEqual({ error: { code: 'usage', message } });
      expect(await herald(args, { env: admin }), args.join(' ')).toMatchObject({
        code: 2,
        stderr: `error: ${message}\n(add --help for usage)\n`,
      });
    }
  });

  it("a 429 carries how long to wait, as Herald's Retry-After says", async () => {
    const created = await local.call('POST', '/v1/apps', local.adminKey, { id: 'slow', name: 'Slow', owner: { email: 'o@slow.example' } });
    expect((await local.call('PATCH', '/v1/apps/slow', local.adminKey, { limits: { eventsPerMinute: 1 } })).status).toBe(200);
    // Early enough in the minute that the wait is longer than the client retries for (10 s): the 429 comes back.
    if (new Date().getSeconds() > 45) await new Promise((r) => setTimeout(r, (61 - new Date().getSeconds()) * 1000));
    await local.call('POST', '/v1/events', created.body.apiKey, { type: 'app_deployed' }); // the minute's one event, if nothing took it yet
    const ingest = { HERALD_URL: local.url, HERALD_KEY: created.body.apiKey, HERALD_CONFIG: join(home, 'none.json') };
    const run = await herald(['send', 'app_deployed', '--json'], { env: ingest });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stderr)).toMatchObject({ error: { status: 429, code: 'rate_limited', retryAfterSeconds: expect.any(Number) } });
    expect(JSON.parse(run.stderr).error.retryAfterSeconds).toBeGreaterThan(10);
  });
});

describe('herald sources', () => {
  /** What a JSON tool does with the source: post its own JSON to the URL with the secret. */
  const postJson = (url: string, secret: string, body: object) =>
    fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const titles = async () =>
    ((await local.call('GET', '/v1/apps/alerts/events?limit=100', local.adminKey)).body.events as any[]).map((e) => `${e.type} ${e.title}`);

  it("adds a source from its kind's flags, prints its URL and secret once, which the tool posts with; shows, rotates and removes it", async () => {
    expect((await herald(['apps', 'create', 'alerts', '--name', 'Alerts', '--owner', 'o@alerts.example'], { env: admin })).code).toBe(0);
    const app = { ...admin, HERALD_APP: 'alerts' };
    const add = await herald(
      [
        'sources',
        'add',
        '--kind',
        'json',
        '--name',
        'CI',
        '--map',
        'type==deploy.done',
        '--map',
        'title=$.job.name',
        '--map',
        'check=$.job.id',
      ],
      { env: app },
    );
    expect(add.code, add.stderr).toBe(0);
    const [, id, url] = /^Added source (src_\w+) \(CI, json\)\.\nURL: (\S+)\n/.exec(add.stdout) ?? [];
    expect(url).toBe(`${local.url}/v1/inbound/${id}`);
    const secret = /^Secret, shown this once: (\S+)$/m.exec(add.stdout)?.[1] as string;
    expect(secret).toBeDefined();
    expect((await postJson(url as string, secret, { job: { id: 'j7', name: 'build 7 passed' } })).status).toBe(202);
    await eventually(async () => (await titles()).includes('deploy.done build 7 passed'), 10_000, 'the event the JSON tool posted');

    const am = await herald(
      ['sources', 'add', '--kind', 'alertmanager', '--name', 'Prod', '--severity', 'P1=critical', '--severity', '*=info', '--json'],
      { env: app },
    );
    expect(am.json).toMatchObject({
      source: { kind: 'alertmanager', settings: { severities: { P1: 'critical', '*': 'info' } } },
      secret: expect.any(String),
    });
    const sns = await herald(
      [
        'sources',
        'add',
        '--kind',
        'sns',
        '--name',
        'Alarms',
        '--topic',
        'arn:aws:sns:eu-west-1:123456789012:alarms',
        '--insufficient-data',
        'ignore',
      ],
      { env: app },
    );
    expect(sns.stdout).not.toContain('Secret');
    expect(sns.stdout).toContain('protocol HTTPS');

    const ls = await herald(['sources', 'ls'], { env: app });
    expect(ls.stdout).toMatch(/^ID\s+KIND\s+NAME\s+URL\s+CREATED\s+ROTATION\n/);
    expect(ls.stdout).toMatch(new RegExp(`${id}\\s+json\\s+CI\\s+${url}\\s+\\d+s ago`));
    expect((await herald(['sources', 'show', id as string], { env: app })).stdout).toMatch(/mapping:\s+\{"type":"=deploy.done"/);

    const rotate = await herald(['sources', 'rotate', id as string], { env: app });
    const next = /^Secret, shown this once: (\S+)$/m.exec(rotate.stdout)?.[1] as string;
    expect(next).not.toBe(secret);
    expect(rotate.stdout).toMatch(/The previous secret is taken until \S+ \(in (23h|1d)\)/);
    expect((await postJson(url as string, next, { job: { id: 'j8', name: 'build 8 passed' } })).status).toBe(202);
    expect((await postJson(url as string, secret, { job: { id: 'j9', name: 'build 9 passed' } })).status).toBe(202);
    expect((await herald(['sources', 'ls'], { env: app })).stdout).toMatch(/CI\s+\S+\s+\d+s ago\s+old secret ends in (23h|1d)/);
    expect((await herald(['sources', 'rotate', sns.stdout.match(/src_\w+/)?.[0] as string], { env: app })).stdout).toContain(
      'has no secret to rotate',
    );

    expect((await herald(['sources', 'rm', id as string, '--json'], { env: app })).json).toEqual({ deleted: id });
    expect((await postJson(url as string, next, { job: { id: 'j10', name: 'build 10' } })).status).toBe(404);
    expect((await herald(['sources', 'ls', '--json'], { env: app })).json.sources.map((s: any) => s.name).sort()).toEqual([
      'Alarms',
      'Prod',
    ]);
  });

  it('refuses a setting the kind does not take (exit 1, the field named) and a flag that is not name=value (exit 2)', async () => {
    const app = { ...admin, HERALD_APP: 'alerts' };
    expect(await herald(['sources', 'add', '--kind', 'github', '--name', 'x', '--severity', 'P1=critical'], { env: app })).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('severities'),
    });
    expect(await herald(['sources', 'add', '--kind', 'json', '--name', 'x', '--map', 'title'], { env: app })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('title: expected name=value'),
    });
    expect(await herald(['sources', 'add', '--kind', 'json', '--name', 'x', '--map', 'type=no path'], { env: app })).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/mapping\.type: must be a JSON path/),
    });
  });
});

describe('colours', () => {
  it('only on a terminal, and never with NO_COLOR', () => {
    const onTerminal = (env: Record<string, string>) =>
      spawnSync('script', ['-qec', `${process.execPath} ${HERALD_BIN} catalog --category monitoring`, '/dev/null'], {
        env: { PATH: process.env['PATH'], TERM: 'xterm-256color', ...admin, ...env },
        encoding: 'utf8',
      }).stdout;
    expect(onTerminal({})).toContain('\x1b[1mTYPE');
    expect(onTerminal({ NO_COLOR: '1' })).not.toContain('\x1b[');
    expect(onTerminal({ NO_COLOR: '1' })).toMatch(/TYPE\s+CATEGORY\s+SEVERITY\s+CRITICAL\s+DISPLAYNAME/);
  });
});
