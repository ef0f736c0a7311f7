import { createHash, createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HeraldError, UnauthorizedError, ValidationError } from '../../../shared/errors.js';
import { githubInbound, verifyGithubSignature } from '../../../shared/core/inbound/github.js';
import type { Inbound, InboundEvent, InboundRequest, Source } from '../../../shared/core/inbound/inbound.js';
import { EventInput } from '../../../shared/schemas/event.js';

/** Real deliveries (test/fixtures/github, from octokit/webhooks), signed here as GitHub signs them, then read as Herald reads them. */
const SECRET = 'the source secret, shown once';
const source: Source = {
  id: 'src_gh',
  appId: 'shop',
  kind: 'github',
  name: 'shop on GitHub',
  createdAt: '2026-11-30T00:00:00Z',
  settings: {},
};

const fixture = (name: string): Record<string, any> =>
  JSON.parse(readFileSync(new URL(`../../fixtures/github/${name}.json`, import.meta.url), 'utf8'));
const fixtureBytes = (name: string) => readFileSync(new URL(`../../fixtures/github/${name}.json`, import.meta.url));
const sign = (secret: string, body: Buffer) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

/** A delivery of `event` as GitHub posts it: the fixture's bytes as they are, or a payload changed from one. */
function delivery(event: string, body: string | Record<string, unknown>, options: { id?: string; secret?: string } = {}): InboundRequest {
  const bytes = typeof body === 'string' ? fixtureBytes(body) : Buffer.from(JSON.stringify(body));
  return {
    headers: {
      'content-type': 'application/json',
      'x-github-event': event,
      'x-github-delivery': options.id ?? randomUUID(),
      'x-hub-signature-256': sign(options.secret ?? SECRET, bytes),
    },
    body: bytes,
  };
}

/** What the inbound endpoint does with a delivery: verify, then read. */
function receive(request: InboundRequest): Inbound {
  verifyGithubSignature(SECRET, request);
  return githubInbound(request, source);
}

/** The one event a delivery becomes, checked to be what POST /v1/events takes. */
function eventOf(request: InboundRequest): InboundEvent {
  const inbound = receive(request);
  if (inbound.kind !== 'events') throw new Error(`expected events, got ${JSON.stringify(inbound)}`);
  expect(inbound.events).toHaveLength(1);
  const event = inbound.events[0]!;
  expect(EventInput.safeParse(event).error?.issues).toBeUndefined();
  return event;
}

const refusal = (fn: () => unknown): HeraldError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof HeraldError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
};

describe('verifying X-Hub-Signature-256', () => {
  it("accepts GitHub's documented example", () => {
    // docs.github.com, "Validating webhook deliveries": this secret, this body, this signature.
    const request = {
      headers: { 'x-hub-signature-256': 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17' },
      body: Buffer.from('Hello, World!'),
    };
    expect(() => verifyGithubSignature("It's a Secret to Everybody", request)).not.toThrow();
  });

  it('refuses with 401 a signature one digit off, as long as the right one', () => {
    const request = delivery('push', 'push.default-branch');
    const header = request.headers['x-hub-signature-256']!;
    const last = header.at(-1) === '0' ? '1' : '0';
    const error = refusal(() =>
      receive({ ...request, headers: { ...request.headers, 'x-hub-signature-256': header.slice(0, -1) + last } }),
    );
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error.status).toBe(401);
    expect(error.message).toContain('does not match the body');
  });

  it('refuses with 401 a delivery signed with another secret, a truncated signature, or a bare hex digest', () => {
    const signed = delivery('push', 'push.default-branch', { secret: 'an old secret' });
    expect(refusal(() => receive(signed)).status).toBe(401);
    const good = delivery('push', 'push.default-branch').headers['x-hub-signature-256']!;
    for (const header of [good.slice(0, 20), good.slice('sha256='.length), 'sha1=' + good.slice(7)]) {
      const request = { ...signed, headers: { ...signed.headers, 'x-hub-signature-256': header } };
      expect(refusal(() => receive(request)).message).toContain('does not match');
    }
  });

  it('refuses with 401 a delivery without the header, saying it is missing', () => {
    const { 'x-hub-signature-256': _, ...headers } = delivery('push', 'push.default-branch').headers;
    const error = refusal(() => receive({ headers, body: fixtureBytes('push.default-branch') }));
    expect(error.status).toBe(401);
    expect(error.message).toContain('X-Hub-Signature-256 is missing');
  });

  it('refuses with 401 a body changed after signing', () => {
    const request = delivery('workflow_run', 'workflow_run.completed');
    const changed = Buffer.from(request.body.toString('utf8').replace('"conclusion": "success"', '"conclusion": "failure"'));
    expect(changed.equals(request.body)).toBe(false);
    expect(refusal(() => receive({ ...request, body: changed })).status).toBe(401);
  });
});

describe('what a GitHub delivery becomes', () => {
  it('answers a ping, routing it nowhere', () => {
    expect(receive(delivery('ping', 'ping'))).toEqual({ kind: 'ping', reason: "GitHub's ping from hook 109948940 reached shop on GitHub" });
  });

  it('takes the SHA-256 of the signed body as the event id, not X-GitHub-Delivery (unsigned): a redelivery or a replay under another delivery id is the same event', () => {
    const first = eventOf(delivery('release', 'release.published', { id: '72d3162e-cc78-11e3-81ab-4c9367dc0958' }));
    const replayed = eventOf(delivery('release', 'release.published', { id: 'a-new-delivery-id-of-the-same-bytes' }));
    expect(first.id).toBe(createHash('sha256').update(fixtureBytes('release.published')).digest('hex'));
    expect(replayed).toEqual(first);
    expect(eventOf(delivery('push', 'push.default-branch')).id).not.toBe(first.id);
  });

  it('ignores, with why, an event Herald does not map', () => {
    expect(receive(delivery('star', 'star.created'))).toEqual({ kind: 'ignored', reason: 'GitHub event star is not mapped' });
  });

  it('tells a successful deployment, and a failed one as a problem of the same check', () => {
    const ok = eventOf(delivery('deployment_status', 'deployment_status'));
    expect(ok).toMatchObject({
      type: 'deployment',
      title: 'Deployed: master to production (Codertocat/Hello-World)',
      message: 'The deployment of master (f95f852) to production, started by Codertocat, succeeded.',
      occurredAt: '2019-05-15T15:20:55Z',
      data: {
        check: 'Codertocat/Hello-World/deploy/production',
        status: 'OK',
        environment: 'production',
        ref: 'master',
        sha: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e',
        creator: 'Codertocat',
        repository: 'Codertocat/Hello-World',
        repositoryUrl: 'https://github.com/Codertocat/Hello-World',
        sender: 'Codertocat',
      },
      source: { tool: 'github', repository: 'Codertocat/Hello-World' },
    });
    const payload = fixture('deployment_status');
    const log = 'https://github.com/Codertocat/Hello-World/actions/runs/1';
    for (const state of ['failure', 'error']) {
      payload['deployment_status'] = { ...payload['deployment_status'], state, log_url: log };
      const failed = eventOf(delivery('deployment_status', payload));
      expect(failed).toMatchObject({
        type: 'deployment.failed',
        title: 'Deployment failed: master to production (Codertocat/Hello-World)',
        data: { check: ok.data!['check'], status: 'ERROR', state, url: log },
      });
      expect(failed.message).toBe(`The deployment of master (f95f852) to production, started by Codertocat, ended in ${state}.\n${log}`);
    }
  });

  it('ignores a deployment still pending, queued or in progress', () => {
    const payload = fixture('deployment_status');
    for (const state of ['pending', 'queued', 'in_progress']) {
      payload['deployment_status'] = { ...payload['deployment_status'], state };
      expect(receive(delivery('deployment_status', payload))).toEqual({
        kind: 'ignored',
        reason: `A deployment to production is ${state}: only success, failure and error are told`,
      });
    }
  });

  it('tells a completed workflow run: passed, or failed with the run link, both of one check', () => {
    const passed = eventOf(delivery('workflow_run', 'workflow_run.completed'));
    expect(passed).toMatchObject({
      type: 'ci.passed',
      title: 'CI passed: test on master (octo-org/octo-repo)',
      data: { check: 'octo-org/octo-repo/test@master', status: 'OK', branch: 'master', runNumber: 163, conclusion: 'success' },
      source: { tool: 'github', repository: 'octo-org/octo-repo' },
    });
    const payload = fixture('workflow_run.completed');
    for (const [conclusion, words] of [
      ['failure', 'failed'],
      ['timed_out', 'timed out'],
      ['startup_failure', 'failed to start'],
    ]) {
      payload['workflow_run'] = { ...payload['workflow_run'], conclusion };
      const failed = eventOf(delivery('workflow_run', payload));
      expect(failed).toMatchObject({
        type: 'ci.failed',
        title: 'CI failed: test on master (octo-org/octo-repo)',
        data: { check: passed.data!['check'], status: 'ERROR', url: 'https://github.com/octo-org/octo-repo/actions/runs/289782451' },
      });
      expect(failed.message).toBe(
        `The test run on master ${words} at 3484a3f: build(test): check workflow run event payload.\nhttps://github.com/octo-org/octo-repo/actions/runs/289782451`,
      );
    }
  });

  it('ignores runs cancelled, skipped or neutral, and runs not completed', () => {
    const payload = fixture('workflow_run.completed');
    for (const conclusion of ['cancelled', 'skipped', 'neutral']) {
      payload['workflow_run'] = { ...payload['workflow_run'], conclusion };
      expect(receive(delivery('workflow_run', payload))).toMatchObject({
        kind: 'ignored',
        reason: `The run test on master ended ${conclusion}: not told`,
      });
    }
    expect(receive(delivery('workflow_run', { ...payload, action: 'requested' }))).toEqual({
      kind: 'ignored',
      reason: 'A workflow run requested: only completed runs are told',
    });
  });

  it('tells a completed check suite like a run, linking to its commit checks', () => {
    const passed = eventOf(delivery('check_suite', 'check_suite.completed'));
    expect(passed).toMatchObject({
      type: 'ci.passed',
      title: 'CI passed: octocoders-linter on changes (Codertocat/Hello-World)',
      data: { check: 'Codertocat/Hello-World/octocoders-linter@changes', status: 'OK' },
    });
    const payload = fixture('check_suite.completed');
    payload['check_suite'] = { ...payload['check_suite'], conclusion: 'failure' };
    const failed = eventOf(delivery('check_suite', payload));
    expect(failed).toMatchObject({ type: 'ci.failed', data: { check: passed.data!['check'], status: 'ERROR' } });
    expect(failed.message).toContain('https://github.com/Codertocat/Hello-World/commit/ec26c3e57ca3a959ca5aad62de7213c562f8c821/checks');
    expect(receive(delivery('check_suite', { ...payload, action: 'requested' })).kind).toBe('ignored');
  });

  it("ignores GitHub Actions' check suites, whose workflow runs are told", () => {
    const payload = fixture('check_suite.completed');
    payload['check_suite'] = {
      ...payload['check_suite'],
      app: { ...payload['check_suite']['app'], name: 'GitHub Actions', slug: 'github-actions' },
    };
    expect(receive(delivery('check_suite', payload))).toEqual({
      kind: 'ignored',
      reason: 'A check suite of GitHub Actions: its workflow runs are told (tick "Workflow runs")',
    });
  });

  it('tells a push to the default branch, and ignores pushes to tags and other branches', () => {
    expect(eventOf(delivery('push', 'push.default-branch'))).toMatchObject({
      type: 'code.pushed',
      title: '1 commit pushed to master (Codertocat/Hello-World)',
      message:
        'Codertocat pushed 1 commit to master; the latest: Initial commit.\nhttps://github.com/Codertocat/Hello-World/commit/6113728f27ae82c7b1a177c8d03f9e96e0adf246',
      data: { branch: 'master', pusher: 'Codertocat', commits: 1, headCommitMessage: 'Initial commit' },
    });
    expect(receive(delivery('push', 'push.tag-deleted'))).toEqual({
      kind: 'ignored',
      reason: 'A push to refs/tags/simple-tag: only pushes to the default branch (master) are told',
    });
    expect(receive(delivery('push', { ...fixture('push.default-branch'), ref: 'refs/heads/feature' })).kind).toBe('ignored');
  });

  it('tells a published release with its tag and page, and ignores other release actions', () => {
    expect(eventOf(delivery('release', 'release.published'))).toMatchObject({
      type: 'release.published',
      title: 'Release 0.0.1 published (Codertocat/Hello-World)',
      message: 'Codertocat/Hello-World 0.0.1 was published by Codertocat.\nhttps://github.com/Codertocat/Hello-World/releases/tag/0.0.1',
      data: { tag: '0.0.1', url: 'https://github.com/Codertocat/Hello-World/releases/tag/0.0.1', prerelease: false },
    });
    expect(receive(delivery('release', { ...fixture('release.published'), action: 'created' })).kind).toBe('ignored');
  });

  it('takes the form content type GitHub also offers', () => {
    const body = Buffer.from(`payload=${encodeURIComponent(fixtureBytes('release.published').toString('utf8'))}`);
    const request = delivery('release', 'release.published');
    const form = {
      body,
      headers: { ...request.headers, 'content-type': 'application/x-www-form-urlencoded', 'x-hub-signature-256': sign(SECRET, body) },
    };
    expect(eventOf(form).type).toBe('release.published');
  });
});

describe('payloads of the wrong shape', () => {
  const detailsOf = (request: InboundRequest) => {
    const error = refusal(() => receive(request));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.status).toBe(400);
    return (error as ValidationError).details.map((d) => d.path);
  };

  it('name the field the mapping needs', () => {
    const run = fixture('workflow_run.completed');
    delete run['workflow_run']['html_url'];
    expect(detailsOf(delivery('workflow_run', run))).toEqual(['workflow_run.html_url']);
    const { repository: _, ...noRepository } = fixture('release.published');
    expect(detailsOf(delivery('release', noRepository))).toEqual(['repository']);
    const push = fixture('push.default-branch');
    push['pusher'] = 'Codertocat';
    expect(detailsOf(delivery('push', push))).toEqual(['pusher']);
  });

  it('name a body that is not JSON, and headers GitHub always sends', () => {
    const body = Buffer.from('{"zen": ');
    expect(detailsOf({ headers: { ...delivery('ping', 'ping').headers, 'x-hub-signature-256': sign(SECRET, body) }, body })).toEqual([
      '(body)',
    ]);
    const { 'x-github-event': _, ...headers } = delivery('push', 'push.default-branch').headers;
    expect(detailsOf({ headers, body: fixtureBytes('push.default-branch') })).toEqual(['headers.x-github-event']);
  });
});

describe('long texts', () => {
  it('are cut to the event limits without splitting a character', () => {
    const payload = fixture('workflow_run.completed');
    payload['workflow_run'] = {
      ...payload['workflow_run'],
      conclusion: 'failure',
      name: '🚀'.repeat(400),
      head_commit: { ...payload['workflow_run']['head_commit'], message: `${'🔥'.repeat(6000)}\nsecond line` },
    };
    const event = eventOf(delivery('workflow_run', payload));
    expect(event.title!.length).toBeLessThanOrEqual(500);
    expect(event.message!.length).toBeLessThanOrEqual(10_000);
    for (const text of [event.title!, event.message!]) {
      expect(text.endsWith('…')).toBe(true);
      // A lone surrogate (half an emoji) would not survive UTF-8: the text must round-trip.
      expect(Buffer.from(text, 'utf8').toString('utf8')).toBe(text);
    }
  });
});
