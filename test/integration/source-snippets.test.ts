import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeraldApi, HeraldSources } from '@herald/client';
import { sourceSnippet } from '../../console/components/source-snippets.js';
import { startTestHerald, type TestHerald } from '../support/herald.js';

/**
 * What the console tells a user to paste into each tool, tried as written: the JSON
 * source's curl run by a shell reaches Herald as an event, and the Alertmanager receiver
 * is a configuration Alertmanager's own checker takes.
 */
let herald: TestHerald;
let sources: HeraldSources;
let dir: string;

beforeAll(async () => {
  herald = await startTestHerald();
  await herald.createApp('snips');
  sources = new HeraldSources(new HeraldApi({ url: herald.url, key: herald.adminKey }));
  dir = mkdtempSync(join(tmpdir(), 'herald-snippets-'));
});
afterAll(async () => {
  await herald?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("the console's snippets", () => {
  it("a JSON source's curl, run by a shell, posts a body its mapping reads: the event has its type, title and severity", async () => {
    const { source, secret } = await sources.create('snips', {
      kind: 'json',
      name: 'CI',
      mapping: { type: '=deploy.done', title: '$.job.name', severity: '$.level', check: '$.job.id' },
    });
    const { text } = sourceSnippet(source, secret);
    // Herald answers in this process: the shell runs beside it, not blocking it.
    const { stdout } = await promisify(execFile)('sh', ['-c', `${text} --silent --fail-with-body --max-time 10`]);
    const answer = JSON.parse(stdout);
    expect(answer.events).toBe(1);
    const { events } = (await herald.call('GET', '/v1/apps/snips/events?limit=10', { key: herald.adminKey })).body;
    expect(events).toContainEqual(expect.objectContaining({ type: 'deploy.done', title: 'the title', severity: 'critical' }));
  });

  it.skipIf(!existsSync('/usr/bin/amtool'))("Alertmanager's receiver, with a route to it, passes amtool check-config", async () => {
    const { source, secret } = await sources.create('snips', { kind: 'alertmanager', name: 'Prod' });
    const { text } = sourceSnippet(source, secret);
    expect(text).toContain(`credentials: ${secret}`);
    const config = join(dir, 'alertmanager.yml');
    writeFileSync(config, `route:\n  receiver: herald\n${text}\n`);
    expect(execFileSync('/usr/bin/amtool', ['check-config', config], { encoding: 'utf8' })).toMatch(/SUCCESS[\s\S]* - 1 receivers/);
  });

  it('SNS: the subscription names the topic the source takes, and has no secret to show', async () => {
    const topic = 'arn:aws:sns:eu-west-1:123456789012:alarms';
    const { source, secret } = await sources.create('snips', { kind: 'sns', name: 'Alarms', topicArns: [topic] });
    expect(secret).toBeUndefined();
    expect(sourceSnippet(source, secret).text).toContain(
      `aws sns subscribe --topic-arn ${topic} \\\n  --protocol http --notification-endpoint ${source.url}`,
    );
  });
});
