import type { ReachEntry } from './contacts.js';
import type { Notifier } from './types.js';

/*
 * Escalation policies and failover (issue 18). Pure: who a step or a failover entry reaches,
 * when each step is due, and the marks their deliveries carry. The services run them on the
 * timer queue (services/escalation.ts, services/failover.ts).
 *
 * A policy's steps run from the incident's opening: step 1 at its `afterSeconds` (0: at
 * once), each next one at its own, while nobody acknowledges or resolves it. `repeat` runs
 * the steps again that many times; a round lasts until its last step plus the wait before
 * that step (the last step gets as long as the step before it did), so 0 s and 600 s with
 * `repeat: 1` reach step 1 again at 1200 s and step 2 at 1800 s.
 */

/** Whom a step or a failover names: a notifier, a contact or a contact group (core/contacts.ts). */
export type NotifyEntry = ReachEntry;

export interface EscalationStep {
  /** When the step is due, from the incident's opening. */
  afterSeconds: number;
  notify: NotifyEntry[];
}

export interface EscalationPolicy {
  steps: EscalationStep[];
  /** How many times the steps run again after the first round. Default 0. */
  repeat?: number;
}

export interface FailoverSettings {
  /** Tried in order: the next when the one before fails too. */
  to: NotifyEntry[];
  /** A delivery not sent after this long is failed over too. Default 900. */
  afterSeconds?: number;
}

export const DEFAULT_FAILOVER_SECONDS = 900;

/** What a step's delivery says of its step (1-based, as people count them). */
export interface EscalationMark {
  notifierId: string;
  step: number;
  round: number;
}

/** What a failover delivery says of the list that made it: whose, and which entry (1-based). */
export interface FailoverMark {
  notifierId: string;
  entry: number;
}

/**
 * The notifiers that stand for entries, among those in scope (an app's own and the global
 * ones): a named notifier, if it is there, enabled, and reaches people itself (a policy names
 * no policy); contacts and groups as one notifier of `via` (the policy, or the notifier
 * failing over) that names them, so that routing expands them as it does a notifier's
 * contacts (core/contacts.ts). The one place entries are resolved, for steps and failovers alike.
 */
export function entryNotifiers(scope: readonly Notifier[], entries: readonly NotifyEntry[], via: Notifier): Notifier[] {
  const byId = new Map<string, Notifier>();
  for (const entry of entries) {
    if (!('notifier' in entry)) continue;
    const notifier = scope.find((n) => n.id === entry.notifier);
    if (notifier?.enabled && !notifier.escalation) byId.set(notifier.id, notifier);
  }
  const contacts = entries.flatMap((e) => ('contact' in e ? [e.contact] : []));
  const groups = entries.flatMap((e) => ('group' in e ? [e.group] : []));
  if (!contacts.length && !groups.length) return [...byId.values()];
  const named: Notifier = {
    id: via.id,
    appId: via.appId,
    name: via.name,
    enabled: true,
    events: via.events,
    minSeverity: via.minSeverity,
    ...(via.locale ? { locale: via.locale } : {}),
    ...(via.timeZone ? { timeZone: via.timeZone } : {}),
    ...(via.templates ? { templates: via.templates } : {}),
    default: false,
    contacts,
    groups,
    createdAt: via.createdAt,
    updatedAt: via.updatedAt,
  };
  return [...byId.values(), named];
}

/** How long a round of the policy lasts: up to its last step, plus the wait before that step. */
export function roundSeconds(policy: EscalationPolicy): number {
  const last = policy.steps[policy.steps.length - 1]?.afterSeconds ?? 0;
  const before = policy.steps[policy.steps.length - 2]?.afterSeconds ?? 0;
  return last + (last - before);
}

/** When a step of a round is due (step and round 1-based). */
export function stepDueAt(policy: EscalationPolicy, openedAt: Date, step: number, round: number): Date {
  const after = policy.steps[step - 1]?.afterSeconds ?? 0;
  return new Date(openedAt.getTime() + ((round - 1) * roundSeconds(policy) + after) * 1000);
}

/** The step after this one: the next of the round, or the first of the next round, or none. */
export function nextStep(policy: EscalationPolicy, step: number, round: number): { step: number; round: number } | undefined {
  if (step < policy.steps.length) return { step: step + 1, round };
  if (round <= (policy.repeat ?? 0)) return { step: 1, round: round + 1 };
  return undefined;
}

/** The notifier ids a policy or a failover names, to check that they exist (contacts and groups: namedContacts). */
export const namedNotifiers = (entries: readonly NotifyEntry[]): string[] => entries.flatMap((e) => ('notifier' in e ? [e.notifier] : []));

/** The contact and group ids a policy or a failover names. */
export const namedContacts = (entries: readonly NotifyEntry[]): { contacts: string[]; groups: string[] } => ({
  contacts: entries.flatMap((e) => ('contact' in e ? [e.contact] : [])),
  groups: entries.flatMap((e) => ('group' in e ? [e.group] : [])),
});

/** Every entry a notifier's escalation steps and its failover name. */
export const entriesOf = (n: Pick<Notifier, 'escalation' | 'failover'>): NotifyEntry[] => [
  ...(n.escalation?.steps.flatMap((step) => step.notify) ?? []),
  ...(n.failover?.to ?? []),
];

/**
 * Every id a notifier names: the contacts and groups it reaches, and its steps' and failover's
 * entries. Ids carry their kind (`ntf_`, `con_`, `cgr_`), so one list serves every kind.
 */
export const idsNamedBy = (n: Pick<Notifier, 'contacts' | 'groups' | 'escalation' | 'failover'>): string[] => [
  ...(n.contacts ?? []),
  ...(n.groups ?? []),
  ...entriesOf(n).map((e) => ('notifier' in e ? e.notifier : 'contact' in e ? e.contact : e.group)),
];
