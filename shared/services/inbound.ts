import { createHash } from 'node:crypto';
import { alertsInbound } from '../core/inbound/alertmanager.js';
import type { Inbound, InboundRequest, Source, SourceKind } from '../core/inbound/inbound.js';
import { githubInbound, verifyGithubSignature } from '../core/inbound/github.js';
import { jsonInbound } from '../core/inbound/json.js';
import { readSnsInbound } from '../core/inbound/sns.js';
import type { StoredSource } from '../core/ports.js';
import { ForbiddenError, HeraldError, NotFoundError, UnauthorizedError, ValidationError } from '../errors.js';
import { EventInput } from '../schemas/event.js';
import { issuesOf } from '../schemas/issues.js';
import { checkJsonShape } from '../schemas/json-shape.js';
import { MAX_EVENT_BYTES } from '../core/inbound/limits.js';
import type { ApiDeps } from './deps.js';
import { ingestBatch, type BatchedEvent, type BatchResult } from './ingest-batch.js';
import type { IngestDeps } from './ingest.js';
import type { IngestMetrics } from './ingest-metrics.js';
import { hmacKeys, tokenMatches } from './sources.js';

/**
 * `POST /v1/inbound/{sourceId}`: a tool posting its own payload. The source names the kind;
 * the request is authenticated by the kind's own means (a bearer token or basic auth, an
 * HMAC signature, SNS's signature), read by the kind's module (shared/core/inbound/), and
 * its events ingested as a batch of POST /v1/events would be: each with its idempotency
 * key, so that a tool sending the same thing again (a retry, a redelivery) is told
 * `duplicate: true` and nothing is delivered twice. Nothing slow in line: verify, store,
 * enqueue, answer.
 */
export type InboundDeps = IngestDeps & Pick<ApiDeps, 'sources' | 'sns'>;

/** How a kind's requests are authenticated and read, once its source is found. */
type Reader = (request: InboundRequest, source: StoredSource, deps: InboundDeps) => Inbound | Promise<Inbound>;

const READERS: Record<SourceKind, Reader> = {
  alertmanager: (request, source, deps) => (checkToken(request, source, deps), alertsInbound(request, source)),
  grafana: (request, source, deps) => (checkToken(request, source, deps), alertsInbound(request, source)),
  json: (request, source, deps) => (checkToken(request, source, deps), jsonInbound(request, source)),
  github: (request, source, deps) => (checkGithubSignature(request, source, deps), githubInbound(request, source)),
  sns: (request, source, deps) => {
    // SNS's signature proves SNS sent it, not whose topic it is: a source takes only the topics it names.
    if (!source.settings.topicArns?.length) throw new ForbiddenError('This SNS source names no topic: give it topicArns');
    return readSnsInbound(request, source, deps.sns, deps.clock());
  },
};

/** What an inbound request is answered. */
export interface InboundAnswer {
  status: number;
  body: {
    /** Events accepted (duplicates included), and whether every one was a duplicate. */
    events?: number;
    duplicate?: boolean;
    results?: BatchResult[];
    /** Taken and routed nowhere: why. */
    ignored?: string;
    /** An SNS subscription confirmed: its topic. */
    confirmed?: string;
    message?: string;
  };
}

/** Ingest at most this many events a call (ingestBatch's size); a group of more alerts is several calls. */
const BATCH = 100;

export async function receiveInbound(
  deps: InboundDeps,
  sourceId: string,
  request: InboundRequest,
  tally?: IngestMetrics,
): Promise<InboundAnswer> {
  const source = await deps.sources.get(sourceId);
  // 404 for a source that does not exist: its id is in its URL, not a secret (the token or signature is).
  if (!source) throw new NotFoundError(`Source ${sourceId}`);
  const inbound = await READERS[source.kind](request, source, deps);
  switch (inbound.kind) {
    case 'ping':
      return { status: 200, body: { message: inbound.reason } };
    case 'ignored':
      return { status: 202, body: { ignored: inbound.reason } };
    case 'confirm':
      // Only once the confirmation's signature verified (readSnsInbound): SNS's own host, then.
      await deps.sns.confirmSubscription(inbound.subscribeUrl);
      return { status: 200, body: { confirmed: inbound.topicArn } };
    case 'events':
      return ingestInbound(deps, source, inbound.events, tally);
  }
}

async function ingestInbound(
  deps: InboundDeps,
  source: Source,
  events: Extract<Inbound, { kind: 'events' }>['events'],
  tally?: IngestMetrics,
): Promise<InboundAnswer> {
  if (events.length === 0) return { status: 202, body: { events: 0, duplicate: false, results: [] } };
  const batched = events.map((event, i): BatchedEvent | HeraldError => {
    // What POST /v1/events checks of a body: its shape (depth, keys, control characters) and its weight.
    const shape = checkJsonShape(event);
    if (shape) return new ValidationError(`Event ${i} of the payload is not valid`, [shape]);
    if (Buffer.byteLength(JSON.stringify(event)) > MAX_EVENT_BYTES)
      return new HeraldError(413, 'payload_too_large', `Event ${i} of the payload is larger than ${MAX_EVENT_BYTES / 1024} KiB`);
    const parsed = EventInput.safeParse(event);
    if (!parsed.success) return new ValidationError(`Event ${i} of the payload is not valid`, issuesOf(parsed.error));
    const { app: _app, ...input } = parsed.data;
    // Ids are the source's own: two sources of one app (two clusters' Alertmanagers) never meet.
    if (input.id !== undefined) input.id = sourceScopedId(source.id, input.id);
    return { appId: source.appId, input, idIsTheEvent: true };
  });
  const results: BatchResult[] = [];
  for (let from = 0; from < batched.length; from += BATCH) {
    const answered = await ingestBatch(deps, batched.slice(from, from + BATCH), tally);
    results.push(...answered.map((r) => ({ ...r, index: r.index + from })));
  }
  const refused = results.filter((r) => r.status !== 202);
  const duplicate = refused.length === 0 && results.every((r) => 'duplicate' in r && r.duplicate);
  const status = statusOf(results, refused, duplicate);
  return { status, body: { events: results.length - refused.length, duplicate, results } };
}

/**
 * 202 (200 when every event was a duplicate); when some were refused, the status a tool
 * retries on if any may pass later (a 5xx, then a 429: what was accepted is then a
 * duplicate, only the rest is taken), else 207 with each answer, or the refusal when all were.
 */
function statusOf(results: BatchResult[], refused: BatchResult[], duplicate: boolean): number {
  if (refused.length === 0) return duplicate ? 200 : 202;
  const retry = refused.find((r) => r.status >= 500) ?? refused.find((r) => r.status === 429);
  if (retry) return retry.status;
  return refused.length === results.length ? (refused[0] as BatchResult).status : 207;
}

/** `<sourceId>:<id>`, or `<sourceId>:<sha-256 of id>` when that would pass the 128 characters of an event id. */
export function sourceScopedId(sourceId: string, id: string): string {
  const scoped = `${sourceId}:${id}`;
  return scoped.length <= 128 ? scoped : `${sourceId}:${createHash('sha256').update(id).digest('hex')}`;
}

/** A bearer token (`Authorization: Bearer <token>`) or basic auth with the token as the password: 401 otherwise, nothing stored. */
function checkToken(request: InboundRequest, source: StoredSource, deps: Pick<InboundDeps, 'clock'>): void {
  const authorization = request.headers['authorization'] ?? '';
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(authorization)?.[1];
  const presented = bearer ?? (basic ? Buffer.from(basic, 'base64').toString('utf8').split(':').slice(1).join(':') : undefined);
  if (!presented)
    throw new UnauthorizedError(
      `This source takes its token: Authorization: Bearer <token> (or basic auth with the token as the password)`,
    );
  if (!tokenMatches(source.secret, presented, deps.clock())) throw new UnauthorizedError('The token is not this source’s');
}

/** GitHub's signature, by the source's key (or its previous one, for a day after a rotation): 401 otherwise, nothing stored. */
function checkGithubSignature(request: InboundRequest, source: StoredSource, deps: Pick<InboundDeps, 'clock'>): void {
  const [current, ...previous] = hmacKeys(source.secret, deps.clock());
  if (!current) throw new UnauthorizedError('This source has no key');
  try {
    verifyGithubSignature(current, request);
  } catch (err) {
    // The previous key, for a webhook not yet given the new one.
    if (!previous.some((key) => signedWith(key, request))) throw err;
  }
}

const signedWith = (key: string, request: InboundRequest): boolean => {
  try {
    verifyGithubSignature(key, request);
    return true;
  } catch {
    return false;
  }
};
