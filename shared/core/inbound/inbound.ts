import { ValidationError } from '../../errors.js';
import type { EventInputBody } from '../../schemas/event.js';
import type { Severity } from '../types.js';

/**
 * Inbound sources: the tools teams already run (Alertmanager, Grafana, Amazon SNS with
 * CloudWatch alarms, GitHub, any tool that POSTs JSON) posting their own payloads to
 * `POST /v1/inbound/{sourceId}`. Each kind's module (shared/core/inbound/<kind>.ts) reads
 * its payload, once the request is verified, into what Herald does with it: events (each
 * then ingested as POST /v1/events would take it), or nothing, with why. Pure code: the
 * verification that needs the network (SNS's certificates) is a service's.
 */
export const SOURCE_KINDS = ['alertmanager', 'grafana', 'sns', 'github', 'json'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** An event a payload becomes: what POST /v1/events takes. Its `id` is its idempotency key (SNS's MessageId, a hash of GitHub's signed body...), made the source's own at ingest. */
export type InboundEvent = Omit<EventInputBody, 'app'>;

/** What an inbound request is, once verified and read. */
export type Inbound =
  /** Events to ingest, in order (a group of 50 alerts: 50 events, in one batch). */
  | { kind: 'events'; events: InboundEvent[] }
  /** Taken and routed nowhere, with why (a GitHub event Herald does not map): answered 202. */
  | { kind: 'ignored'; reason: string }
  /** A tool checking that the URL answers (GitHub's ping): answered 200, routed nowhere. */
  | { kind: 'ping'; reason: string }
  /** Amazon SNS asking to confirm a subscription: Herald GETs `subscribeUrl` (an SNS host's) once the message verifies. */
  | { kind: 'confirm'; subscribeUrl: string; topicArn: string };

/** The request as it arrived: header names in lower case, the raw body (signatures are over its bytes). */
export interface InboundRequest {
  headers: Record<string, string | undefined>;
  body: Buffer;
}

/** The severity for a label's value (Alertmanager's and Grafana's `severity`), per source, over the defaults. */
export type SeverityMapping = Record<string, Severity>;

/** What a source keeps besides its kind and name: how its payloads become events. */
export interface SourceSettings {
  /** alertmanager, grafana: severity label value → Herald severity, over critical/warning/info (others: warning). */
  severities?: SeverityMapping;
  /** sns: what INSUFFICIENT_DATA of a CloudWatch alarm is (default: a warning); the topics it takes (default: any). */
  insufficientData?: 'warning' | 'problem' | 'ignore';
  topicArns?: string[];
  /** json: JSON paths (`$.a.b`, `$.items[0].x`) or fixed values (`=text`) for the event's fields; `type` required. */
  mapping?: { type: string } & Partial<Record<'title' | 'message' | 'severity' | 'check' | 'status' | 'id', string>>;
}

/** A source, as stored. Its secret (a bearer token, GitHub's HMAC key) is kept apart, never shown again. */
export interface Source {
  id: string;
  appId: string;
  kind: SourceKind;
  name: string;
  createdAt: string;
  settings: SourceSettings;
}

/** The body as JSON: 400 naming `(body)` when it is not. */
export function readJson(request: InboundRequest): unknown {
  try {
    return JSON.parse(request.body.toString('utf8'));
  } catch {
    throw new ValidationError('The body is not JSON', [{ path: '(body)', message: 'must be a JSON document' }]);
  }
}
