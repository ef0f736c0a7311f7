import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHerald, type TestHerald } from '../support/herald.js';
import { eventually, startReceiver, type Receiver } from '../support/receiver.js';

/**
 * GitHub webhooks through the real inbound endpoint: a `github` source's URL posted to as
 * GitHub posts (real payloads of test/fixtures/github, signed with the source's secret in
 * X-Hub-Signature-256, X-GitHub-Event and X-GitHub-Delivery). Mapped events reach a
 * webhook notifier; a red run reaches the on-call webhook and the green run after it
 * reaches it too as a recovery (though it asked only for failures); a redelivery is a
 * duplicate; a wrong signature stores nothing; after a rotation both secrets verify.
 */

let herald: TestHerald;
let receiver: Receiver;
let source: { id: string; url: string };
let secret: string;

beforeAll(async () => {
  receiver = await startReceiver();
  herald = await startTestHerald();
  await herald.createApp('shop', {
    notifiers: [
      { name: 'on call', channel: 'webhook', target: { url: `${receiver.url}/oncall` }, events: ['ci.failed', 'deployment.failed'] },
      { name: 'feed', channel: 'webhook', target: { url: `${receiver.url}/feed` }, events: ['*'], minSeverity: 'info' },
    ],
  });
  const created = await admin('POST', '/v1/apps/shop/sources', { kind: 'github', name: 'shop on GitHub' });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  source = created.body.source;
  secret = created.body.secret;
  herald.startDelivering();
});
afterAll(async () => {
  await herald?.stop();
  await receiver?.close();
});

const admin = (method: string, path: string, body?: unknown) =>
  herald.call(method, path, { key: herald.adminKey, ...(body ? { body } : {}) });

const fixture = (name: string): Record<string, any> =>
  JSON.parse(readFileSync(new URL(`../fixtures/github/${name}.json`, import.meta.url), 'utf8'));
const fixtureBytes = (name: string) => readFileSync(new URL(`../fixtures/github/${name}.json`, import.meta.url));

/** Posts a delivery as GitHub does: the fixture's bytes (or a payload changed from one), signed with `key`. */
async function deliver(event: string, body: string | Record<string, unknown>, options: { id?: string; key?: string } = {}) {
  const bytes = typeof body === 'string' ? fixtureBytes(body) : Buffer.from(JSON.stringify(body));
  const res = await fetch(source.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/044aadd',
      'x-github-event': event,
      'x-github-delivery': options.id ?? randomUUID(),
      'x-github-hook-id': '109948940',
      'x-hub-signature-256': `sha256=${createHmac('sha256', options.key ?? secret)
        .update(bytes)
        .digest('hex')}`,
    },
    body: bytes,
  });
  return { status: res.status, body: (await res.json()) as any };
}

/** The workflow_run fixture with its conclusion set (the examples hold only a success), as a run of its own: each completes at its own time. */
let runs = 0;
const run = (conclusion: string) => {
  const payload = fixture('workflow_run.completed');
  payload['workflow_run'].conclusion = conclusion;
  payload['workflow_run'].updated_at = new Date(Date.parse('2026-11-30T10:00:00Z') + ++runs * 1000).toISOString();
  return payload;
};

const toldAt = (path: string) => receiver.requests.filter((r) => r.path === path).map((r) => JSON.parse(r.body));
/** What the on-call webhook was told of CI runs. */
const onCallCi = () => toldAt('/oncall').filter((e) => e.event_type.startsWith('ci.'));
const stored = async () => ({
  events: (await admin('GET', '/v1/apps/shop/events?limit=100')).body.events.length as number,
  deliveries: (await admin('GET', '/v1/apps/shop/deliveries?limit=100')).body.deliveries.length as number,
});
const settle = () => new Promise((resolve) => setTimeout(resolve, 1500));

describe('GitHub deliveries through the inbound endpoint', () => {
  it('turns each mapped payload into its event: told at the webhook, or kept untold when it is the first green of its check', async () => {
    const failedDeployment = fixture('deployment_status');
    failedDeployment['deployment_status'].state = 'failure';
    const told: [string, string | Record<string, unknown>, string][] = [
      ['deployment_status', failedDeployment, 'deployment.failed'],
      ['push', 'push.default-branch', 'code.pushed'],
      ['release', 'release.published', 'release.published'],
    ];
    for (const [event, payload, type] of told) {
      const res = await deliver(event, payload);
      expect(res.status, `${event}: ${JSON.stringify(res.body)}`).toBe(202);
      const { eventId } = res.body.results[0];
      const at = await eventually(async () => toldAt('/feed').find((e) => e.event_id === eventId), 10_000, event);
      expect(at, event).toMatchObject({ event_type: type, source: { tool: 'github' } });
    }
    // A check suite that passed, its check never seen failing: Herald's state changes tell nobody.
    const suite = await deliver('check_suite', 'check_suite.completed');
    expect(suite.status).toBe(202);
    expect(suite.body.results[0]).toMatchObject({ deliveries: 0, unchanged: true });
    const kept = await admin('GET', `/v1/apps/shop/events/${suite.body.results[0].eventId}`);
    expect(kept.body).toMatchObject({ event: { type: 'ci.passed' }, deliveries: [] });
  });

  it('tells the failure, then its recovery to the same people, once; a redelivery, or a replay under another delivery id, is a duplicate sent nowhere', async () => {
    const delivery = randomUUID();
    const failing = run('failure');
    const failed = await deliver('workflow_run', failing, { id: delivery });
    expect(failed.status, JSON.stringify(failed.body)).toBe(202);
    expect(failed.body).toMatchObject({ events: 1, duplicate: false });
    const [failure] = await eventually(async () => onCallCi().length === 1 && onCallCi(), 10_000, 'the failure');
    expect(failure).toMatchObject({
      event_type: 'ci.failed',
      title: 'CI failed: test on master (octo-org/octo-repo)',
      severity: 'critical',
    });
    expect(failure.message).toContain('https://github.com/octo-org/octo-repo/actions/runs/289782451');

    const redelivered = await deliver('workflow_run', failing, { id: delivery });
    expect(redelivered.status).toBe(200);
    expect(redelivered.body).toMatchObject({ events: 1, duplicate: true });
    // X-GitHub-Delivery is not signed: a captured delivery re-posted under a new one is the same event.
    const replayed = await deliver('workflow_run', failing, { id: randomUUID() });
    expect(replayed.status).toBe(200);
    expect(replayed.body).toMatchObject({ events: 1, duplicate: true });

    expect((await deliver('workflow_run', run('success'))).body.results[0]).toMatchObject({ unchanged: false });
    const [, recovery] = await eventually(async () => onCallCi().length === 2 && onCallCi(), 10_000, 'the recovery');
    expect(recovery).toMatchObject({ event_type: 'ci.passed', title: 'CI passed: test on master (octo-org/octo-repo)' });
    expect(recovery.data).toMatchObject({ check: 'octo-org/octo-repo/test@master', status: 'OK', previousStatus: 'ERROR' });

    expect((await deliver('workflow_run', run('success'))).body.results[0]).toMatchObject({ deliveries: 0, unchanged: true });
    await settle();
    expect(onCallCi()).toHaveLength(2);
    expect(toldAt('/feed').filter((e) => e.event_type === 'ci.failed')).toHaveLength(1);
  });

  it('answers a ping 200 and routes it nowhere; an event it does not map is 202 ignored', async () => {
    const before = await stored();
    const told = receiver.requests.length;
    const ping = await deliver('ping', 'ping');
    expect(ping).toEqual({ status: 200, body: { message: "GitHub's ping from hook 109948940 reached shop on GitHub" } });
    const star = await deliver('star', 'star.created');
    expect(star.status).toBe(202);
    expect(star.body).toEqual({ ignored: 'GitHub event star is not mapped' });
    await settle();
    expect(await stored()).toEqual(before);
    expect(receiver.requests.length).toBe(told);
  });

  it('answers 401 to a wrong signature and stores nothing: the delivery log unchanged', async () => {
    const before = await stored();
    const told = receiver.requests.length;
    const res = await deliver('workflow_run', run('failure'), { key: 'not the source secret' });
    expect(res.status).toBe(401);
    expect(res.body.error.message).toContain('X-Hub-Signature-256 does not match the body');
    await settle();
    expect(await stored()).toEqual(before);
    expect(receiver.requests.length).toBe(told);
  });

  it('after a rotation, verifies deliveries signed with the new secret and with the previous one', async () => {
    const rotated = await admin('POST', `/v1/apps/shop/sources/${source.id}/secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(secret);
    for (const [i, key] of [rotated.body.secret as string, secret].entries()) {
      const published = fixture('release.published');
      published['release'].name = `v1.${i}`;
      const res = await deliver('release', published, { key });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
    }
    expect((await deliver('release', 'release.published', { key: 'neither' })).status).toBe(401);
  });
});
