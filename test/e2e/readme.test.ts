import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalHerald, type LocalHerald } from '../support/local-mode.js';
import { eventually } from '../support/receiver.js';

/**
 * The README's shell examples, run in order with bash against `npm start`, as a reader would
 * run them: from a directory whose `.herald/` is the data dir, with the README's address
 * (http://127.0.0.1:3000) replaced by the one local mode took. Each block runs in a fresh
 * shell that knows only H, ADMIN and KEY (what "Using the API" sets), so a block that needs
 * anything else must define it: a reader may start at any section. A block whose first line is
 * `# not run by the README test` is left out (npm start itself, AWS). What is checked is what
 * a reader sees: each block ends without error, prints the outcomes its `# {...}` comments
 * show (status, duplicate, deliveries, moved...), every delivery the examples made ends
 * `sent` (or held back as a throttled repeat, silenced, or a failure of an acknowledged incident, which "Reporting errors",
 * "Silences" and "Incidents and acknowledgements" show on purpose, or failed over, as "Failover" shows), and
 * the outboxes hold them.
 *
 * The app examples ("Reporting errors from your app") are ```js blocks whose first line names
 * their file (`// express-app.mjs`): each is saved under that name, where the shell blocks
 * after it run it, with `@herald/client`, express and koa installed (the directory's
 * node_modules is the repository's) and `npx herald` at hand. The ports they listen on
 * (3001, 3002) are replaced by free ones, and HOME is the directory (herald login's profile).
 */

const README_ADDRESS = 'http://127.0.0.1:3000';
const NOT_RUN = /^# not run by the README test/;

const APP_PORTS = ['3001', '3002'];
const FILE_MARK = /^\/\/ ([\w.-]+\.mjs)$/;

interface Block {
  section: string;
  code: string;
  /** A ```js block's file name: it is saved, not run. */
  file?: string;
}

/** The ```sh blocks and the ```js files, each with the heading (or bold lead) it sits under. */
function shellBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  let section = '';
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const heading = /^#{1,4} (.+)$/.exec(line)?.[1] ?? /^\*\*([^*]+)\*\*/.exec(line)?.[1];
    if (heading) section = heading;
    const fence = line.trim();
    if (fence !== '```sh' && fence !== '```js') continue;
    const end = lines.indexOf('```', i + 1);
    const code = lines.slice(i + 1, end).join('\n');
    const file = FILE_MARK.exec(lines[i + 1] ?? '')?.[1];
    if (fence === '```sh') blocks.push({ section, code });
    else if (file) blocks.push({ section, code, file });
    i = end;
  }
  return blocks;
}

async function freePort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return String(port);
}

/** What the answers shown in `# {...}` comments promise a reader: outcomes and counts, not ids, times or addresses. */
const PROMISES = ['status', 'outcome', 'duplicate', 'deliveries', 'moved', 'messages', 'enabled', 'statusCode', 'event_type', 'title'];

/** The answers shown in comments: `# {...}`, or `# 202 {...}` with the status the answer has. */
const PROMISE_LINE = /^#\s*(?:(\d{3})\s+)?\{/;

/** The statuses the block's answers are shown with (`# 202 {...}`). */
const promisedStatuses = (code: string): string[] => code.split('\n').flatMap((l) => PROMISE_LINE.exec(l.trim())?.[1] ?? []);

/**
 * What a block promises to print as plain text: a status a `-w '%{http_code}\n'` prints (`# 204`, `# 409: ...`), and the
 * line a `node -e`/`node -pe` prints (`# 3 arrived, about one a second`), up to what varies (an id's `...`, a time, a
 * note after two spaces or in parentheses). A comment after a value captured by `$(...)` is prose, not output.
 */
function printedPromises(code: string): string[] {
  const lines = code.split('\n').map((l) => l.trim());
  return lines.flatMap((line, i) => {
    if (!line.startsWith('# ') || PROMISE_LINE.test(line)) return [];
    const text = line.slice(2);
    const status = /^(\d{3})(?::|$)/.exec(text)?.[1];
    if (status) return [status];
    const command = lines.slice(0, i).findLast((l) => !l.startsWith('#')) ?? '';
    if (!/\bnode -p?e\b/.test(command) || command.endsWith(')')) return [];
    const varies = text.search(/ {2}| \(|\.\.\.|…|\d{1,2}:\d{2}/);
    return [(varies === -1 ? text : text.slice(0, varies)).trimEnd()];
  });
}

/** `"key":value` pairs of those keys with a plain value (a number, true, false, null, a string without "..."). */
function promisedPairs(code: string): string[] {
  return code
    .split('\n')
    .filter((l) => PROMISE_LINE.test(l.trim()))
    .flatMap((l) => [...l.matchAll(/"([\w-]+)":(?:-?\d+(?:\.\d+)?|true|false|null|"[^"]*")/g)])
    .filter((m) => PROMISES.includes(m[1] as string) && !/\.\.\.|…/.test(m[0]))
    .map((m) => m[0]);
}

const README = readFileSync('README.md', 'utf8');
const blocks = shellBlocks(README);
let home: string;
let herald: LocalHerald;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'herald-readme-'));
  // curl prints each answer on its own line here, so that each can be read as JSON.
  mkdirSync(join(home, 'curl'));
  // And its status on stderr (out of what $(...) and pipes read), for the statuses the README shows.
  writeFileSync(join(home, 'curl', '.curlrc'), 'write-out = "\\n%{stderr}@@status %{http_code}\\n"\n');
  symlinkSync(resolve('node_modules'), join(home, 'node_modules'));
  herald = await startLocalHerald(join(home, '.herald'));
});
afterAll(async () => {
  await herald?.stop();
  rmSync(home, { recursive: true, force: true });
});

describe('the README', () => {
  it('needs nothing but curl and node: no jq', () => {
    expect(blocks.filter((b) => /\bjq\b/.test(b.code)).map((b) => b.section)).toEqual([]);
  });

  it('has the app examples as files, for the shell examples to run', () => {
    expect(blocks.filter((b) => b.file).map((b) => b.file)).toEqual(['send.mjs', 'express-app.mjs', 'koa-app.mjs', 'nightly-job.mjs']);
  });

  it('marks the examples that cannot run here, and runs the others in order: each ends as it says, every delivery sent', async () => {
    const runnable = blocks.filter((b) => !NOT_RUN.test(b.code));
    expect(blocks.length - runnable.length).toBeLessThanOrEqual(4); // npm start and npm test, AWS, development
    const ports = await Promise.all(APP_PORTS.map(freePort));
    const here = (code: string) =>
      APP_PORTS.reduce(
        (c, port, i) => c.replace(new RegExp(`\\b${port}\\b`, 'g'), ports[i] as string),
        code.replaceAll(README_ADDRESS, herald.url),
      );
    const known: Record<string, string> = {};
    for (const block of runnable) {
      if (block.file) {
        writeFileSync(join(home, block.file), here(block.code));
        continue;
      }
      const script = `set -euo pipefail\n${here(block.code)}\nprintf '\\n@@vars H=%s ADMIN=%s KEY=%s\\n' "\${H-}" "\${ADMIN-}" "\${KEY-}"\n`;
      const run = spawnSync('bash', ['-c', script], {
        cwd: home,
        env: { PATH: process.env['PATH'], HOME: home, NPM_CONFIG_UPDATE_NOTIFIER: 'false', CURL_HOME: join(home, 'curl'), ...known },
        encoding: 'utf8',
        timeout: 60_000,
      });
      const where = `README block under "${block.section}":\n${block.code}\n--- printed:\n${run.stdout}${run.stderr}`;
      expect(run.status, where).toBe(0);
      const [printed, vars = ''] = run.stdout.split('\n@@vars ');
      for (const [, name, value] of vars.matchAll(/(\w+)=(\S*)/g)) if (value) known[name as string] = value as string;
      const answers = (printed as string)
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      // An error, or a batch's event refused (a 207 shows it only in its results).
      const refused = answers.flatMap((a) => [a, ...(Array.isArray(a['results']) ? a['results'] : [])]).filter((a) => a['error']);
      expect(refused, where).toEqual([]);
      const statuses = [...run.stderr.matchAll(/^@@status (\d{3})$/gm)].map((m) => m[1]);
      for (const status of promisedStatuses(block.code)) expect(statuses, `${where}\n--- should answer ${status}`).toContain(status);
      const compact = answers.map((a) => JSON.stringify(a)).join('\n');
      for (const pair of promisedPairs(block.code)) expect(compact, `${where}\n--- should show ${pair}`).toContain(pair);
      const lines = (printed as string).split('\n').map((l) => l.trim());
      for (const text of printedPromises(block.code))
        expect(
          lines.some((l) => l.startsWith(text)),
          `${where}\n--- should print ${text}`,
        ).toBe(true);
    }
    expect(Object.keys(known).sort()).toEqual(['ADMIN', 'H', 'KEY']);

    // Every delivery the examples made ends sent, but the repeats the throttle held back (12 errors: the first and a bad
    // behavior), what "Silences" silences, what an acknowledged incident holds, what "Grouping" groups and the webhook
    // "Failover" fails over (a 404), on purpose.
    const call = (path: string) => herald.call('GET', path, herald.adminKey);
    const notSent = await eventually(
      async () => {
        const events: any[] = [];
        let cursor = '';
        do {
          const page = (await call(`/v1/apps/shop/events?limit=100${cursor && `&cursor=${encodeURIComponent(cursor)}`}`)).body;
          events.push(...page.events);
          cursor = page.nextCursor ?? '';
        } while (cursor);
        const deliveries = (await Promise.all(events.map((e: any) => call(`/v1/apps/shop/events/${e.id}`)))).flatMap(
          (r: any) => r.body.deliveries,
        );
        const waiting = deliveries.filter(
          (d: any) =>
            d.status !== 'sent' &&
            !(d.status === 'suppressed' && /^(throttled|silenced|acknowledged): /.test(d.reason)) &&
            !(d.status === 'grouped' && /^carried by dlv_/.test(d.reason)) &&
            !(d.status === 'failed' && d.failedOverTo?.length),
        );
        return deliveries.length > 0 && waiting.every((d: any) => d.status !== 'queued' && d.status !== 'retrying') && waiting;
      },
      30_000,
      'every delivery done',
    );
    expect(notSent.map((d: any) => `${d.channel} ${d.status} ${d.reason ?? ''}`)).toEqual([]);

    // And the outboxes hold what they were sent.
    const outbox = async (name: string) => (await herald.call('GET', `/_local/outbox/${name}`)).body;
    expect((await outbox('email')).emails.some((m: any) => m.destination.to.includes('ops@example.com'))).toBe(true);
    expect((await outbox('sms')).messages.some((m: any) => m.phoneNumber === '+4915112345678')).toBe(true);
    expect((await outbox('slack')).messages.length).toBeGreaterThan(0);
    expect((await outbox('webhook')).messages.some((m: any) => m.headers['webhook-signature'])).toBe(true);
    // "Grouping": its three events reached the hook as one notification.
    const grouped = (await outbox('webhook')).messages.filter((m: any) => m.path === '/grouped');
    expect(grouped.map((m: any) => [m.body.event_type, m.body.group?.count])).toEqual([['group', 3]]);
    // "Grouping and digests": the three deploys reached the digest's hook as one message.
    const digested = (await outbox('webhook')).messages.filter((m: any) => m.path === '/digest');
    expect(digested.map((m: any) => [m.body.event_type, m.body.group?.count])).toEqual([['digest', 3]]);
  }, 240_000);
});
