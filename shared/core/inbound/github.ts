import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { UnauthorizedError, ValidationError } from '../../errors.js';
import { checkSuite, workflowRun } from './github-ci.js';
import { deploymentStatus, parsePayload, push, release, type GithubEventParts, type Mapper } from './github-events.js';
import type { Inbound, InboundEvent, InboundRequest, Source } from './inbound.js';
import { cut, EVENT_LIMITS } from './limits.js';

/**
 * GitHub webhooks (a repository's or an organization's): a delivery is signed with the
 * source's secret (`X-Hub-Signature-256`) and names its event (`X-GitHub-Event`). Its
 * delivery id (`X-GitHub-Delivery`) is not signed: anyone holding a captured delivery could
 * re-post it under a new one. So an event's `id` is the SHA-256 of the signed body, the
 * same for a redelivery and for a replay, both duplicates at ingest (within its 24 hours).
 */

const SIGNATURE = 'x-hub-signature-256';

/** Throws UnauthorizedError unless `X-Hub-Signature-256` is the HMAC-SHA256 of the raw body keyed with `secret`. */
export function verifyGithubSignature(secret: string, request: InboundRequest): void {
  const header = request.headers[SIGNATURE];
  if (!header) {
    throw new UnauthorizedError("X-Hub-Signature-256 is missing: set the webhook's Secret to the source's secret");
  }
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(request.body).digest('hex')}`);
  const given = Buffer.from(header);
  // timingSafeEqual throws on different lengths, and comparing in constant time keeps the secret from leaking by timing.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new UnauthorizedError("X-Hub-Signature-256 does not match the body: the webhook's Secret is not the source's secret");
  }
}

/** The events Herald maps, by `X-GitHub-Event` (a Map: an event named `constructor` is simply not mapped). */
const GITHUB_EVENTS: ReadonlyMap<string, Mapper> = new Map([
  ['deployment_status', deploymentStatus],
  ['workflow_run', workflowRun],
  ['check_suite', checkSuite],
  ['push', push],
  ['release', release],
]);

const Repository = z.object({ full_name: z.string().min(1), html_url: z.string() });
const Sender = z.object({ login: z.string() }).nullish();
const Common = z.object({ repository: Repository, sender: Sender });

/**
 * What a verified GitHub delivery is: `ping` answered and routed nowhere; deployment
 * statuses, completed runs and check suites, pushes to the default branch and published
 * releases as events; anything else ignored with why. A payload missing a field the
 * mapping reads is a ValidationError naming the field's path.
 */
export function githubInbound(request: InboundRequest, source: Source): Inbound {
  const event = header(request, 'x-github-event');
  const payload = bodyOf(request);
  if (event === 'ping') {
    const hook = z.object({ hook_id: z.number() }).safeParse(payload).data?.hook_id;
    return { kind: 'ping', reason: `GitHub's ping${hook ? ` from hook ${String(hook)}` : ''} reached ${source.name}` };
  }
  const mapper = GITHUB_EVENTS.get(event);
  if (!mapper) return { kind: 'ignored', reason: `GitHub event ${event} is not mapped` };
  const common = parsePayload(event, Common, payload);
  const parts = mapper(payload, common.repository);
  if ('ignored' in parts) return { kind: 'ignored', reason: parts.ignored };
  const signed = createHash('sha256').update(request.body).digest('hex');
  return { kind: 'events', events: [toEvent(parts, signed, common)] };
}

function toEvent(parts: GithubEventParts, id: string, common: z.infer<typeof Common>): InboundEvent {
  const repository = common.repository.full_name;
  return {
    id,
    type: parts.type,
    title: cut(parts.title, EVENT_LIMITS.title),
    message: cut(parts.message, EVENT_LIMITS.message),
    ...(parts.occurredAt ? { occurredAt: parts.occurredAt } : {}),
    data: {
      repository,
      repositoryUrl: common.repository.html_url,
      ...(common.sender ? { sender: common.sender.login } : {}),
      ...parts.data,
    },
    source: { tool: 'github', repository },
  };
}

/** A header GitHub always sends, as an event id takes it (1 to 128 printable ASCII characters). */
function header(request: InboundRequest, name: string): string {
  const value = request.headers[name];
  if (!value || !/^[\x21-\x7e]{1,128}$/.test(value)) {
    const issue = { path: `headers.${name}`, message: value ? 'must be 1 to 128 printable ASCII characters' : 'required' };
    throw new ValidationError(`The ${name} header is ${value ? 'not as GitHub sends it' : 'missing'}: is this a GitHub webhook?`, [issue]);
  }
  return value;
}

/** GitHub posts JSON, or with the webhook's content type set to form, `payload=<JSON>`. */
function bodyOf(request: InboundRequest): unknown {
  const form = request.headers['content-type']?.startsWith('application/x-www-form-urlencoded');
  const text = form ? (new URLSearchParams(request.body.toString('utf8')).get('payload') ?? '') : request.body.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError('The body is not JSON', [{ path: '(body)', message: 'must be a JSON object' }]);
  }
}
