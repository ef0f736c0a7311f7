import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { githubInbound, verifyGithubSignature } from '../../shared/core/inbound/github.js';
import type { InboundEvent, Source } from '../../shared/core/inbound/inbound.js';
import { eventually, startReceiver, type Receiver } from '../support/receiver.js';
import { startTestHerald, type TestHerald } from '../support/herald.js';

/**
 * GitHub deliveries, read as the inbound endpoint reads them, then ingested as POST
 * /v1/events takes them: a red run reaches the on-call webhook, the green run after it
 * reaches it too as a recovery (though it asked only for failures), a second green tells
 * nobody, and a redelivery is a duplicate.
 */
const SECRET = 'gh-secret';
const source: Source = { id: 'src_gh', appId: 'shop', kind: 'github', name: 'shop', createdAt: '2026-11-30T00:00:00Z', settings: {} };
let herald: TestHerald;
let receiver: Receiver;
let key: string;

beforeAll(async () => {
  receiver = await startReceiver();
  herald = await startTestHerald();
  key = await herald.createApp('shop', {
    notifiers: [
      { name: 'on call', channel: 'webhook', target: { url: `${receiver.url}/oncall` }, events: ['ci.failed', 'deployment.failed'] },
    ],
  });
  herald.startDelivering();
});
afterAll(async () => {
  await herald.stop();
  await receiver.close();
});

/** The workflow_run fixture with its conclusion set, delivered (signed) under `delivery`, read into its one event. */
function run(conclusion: string, delivery = randomUUID()): InboundEvent {
  const payload = JSON.parse(readFileSync(new URL('../fixtures/github/workflow_run.completed.json', import.meta.url), 'utf8'));
  payload.workflow_run.conclusion = conclusion;
  const body = Buffer.from(JSON.stringify(payload));
  const signature = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
  const request = { headers: { 'x-github-event': 'workflow_run', 'x-github-delivery': delivery, 'x-hub-signature-256': signature }, body };
  verifyGithubSignature(SECRET, request);
  const inbound = githubInbound(request, source);
  if (inbound.kind !== 'events') throw new Error(JSON.stringify(inbound));
  return inbound.events[0]!;
}

const ingest = async (event: InboundEvent) => {
  const res = await herald.call('POST', '/v1/events', { key, body: event });
  expect(res.status).toBe(202);
  return res.body;
};
const received = () => receiver.requests.filter((r) => r.path === '/oncall').map((r) => JSON.parse(r.body));

describe('GitHub workflow runs through Herald', () => {
  it('tell the failure, then its recovery to the same people, once; a redelivery is a duplicate', async () => {
    const delivery = randomUUID();
    expect(await ingest(run('failure', delivery))).toMatchObject({ duplicate: false });
    const [failure] = await eventually(async () => received().length === 1 && received(), 10_000, 'the failure');
    expect(failure).toMatchObject({
      event_type: 'ci.failed',
      title: 'CI failed: test on master (octo-org/octo-repo)',
      severity: 'critical',
    });
    expect(failure.message).toContain('https://github.com/octo-org/octo-repo/actions/runs/289782451');

    expect(await ingest(run('failure', delivery))).toMatchObject({ duplicate: true });

    expect(await ingest(run('success'))).toMatchObject({ unchanged: false });
    const [, recovery] = await eventually(async () => received().length === 2 && received(), 10_000, 'the recovery');
    expect(recovery).toMatchObject({ event_type: 'ci.passed', title: 'CI passed: test on master (octo-org/octo-repo)' });
    expect(recovery.data).toMatchObject({ check: 'octo-org/octo-repo/test@master', status: 'OK', previousStatus: 'ERROR' });

    expect(await ingest(run('success'))).toMatchObject({ deliveries: 0, unchanged: true });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(received()).toHaveLength(2);
  });
});
