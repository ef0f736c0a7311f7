import type {
  AppStore,
  ContactStore,
  DataMigrations,
  DeadLetterQueues,
  DeliveryQueue,
  DeliveryStore,
  EventStore,
  GroupStore,
  HeartbeatStore,
  IncidentStore,
  KeyStore,
  SilenceStore,
  SourceStore,
  NotifierStore,
  RepeatCounter,
  StateStore,
  TimerQueue,
} from '../core/ports.js';
import type { OutboundPolicy } from '../channels/outbound.js';
import type { SnsVerifier } from '../core/inbound/sns.js';
import type { MessageSettings } from '../core/messages/render.js';
import type { ProviderSettings } from '../providers.js';
import type { Authenticator } from './auth.js';
import type { AckLinks } from './incidents.js';
import type { EventQuota } from './event-quota.js';
import type { SilenceCounts } from './silence-counts.js';
import type { RoutingCache } from './routing-cache.js';

/** What Herald's services work with: ports, caches and a clock. Built once per cold start. */
export interface HeraldDeps {
  apps: AppStore;
  keys: KeyStore;
  /** Inbound sources (Alertmanager, Grafana, SNS, GitHub, JSON), found by id when they post. */
  sources: SourceStore;
  /** Silences: routing reads them with the notifiers; the API writes them here. */
  silences: SilenceStore;
  notifiers: NotifierStore;
  /** Contacts and contact groups: notifiers name them; routing reads them with the notifiers. */
  contacts: ContactStore;
  events: EventStore;
  deliveries: DeliveryStore;
  queue: DeliveryQueue;
  deadLetters: DeadLetterQueues;
  heartbeats: HeartbeatStore;
  repeats: RepeatCounter;
  states: StateStore;
  /** The incidents of failing checks: opened and resolved at ingest, acknowledged through the API or a one-click link. */
  incidents: IncidentStore;
  /** The one-click acknowledge links, where the admin key is known (the api, ingest, local mode): absent, messages carry none. */
  links?: AckLinks;
  /** Groups of notifiers' events (core/grouping.ts): joined at ingest, taken when their timers fire. */
  groups: GroupStore;
  /** Timers to the second: a group's next notification (services/timers.ts). */
  timers: TimerQueue;
  /** Changes to stored data this version needs; the sweeper makes them, a little at a time. */
  migrations: DataMigrations;
  /** The installation's message settings (language, template overrides, console URL). */
  messages: MessageSettings;
  /** Where notifiers may send (local mode: anywhere; AWS: https to public addresses). */
  outbound: OutboundPolicy;
  routing: RoutingCache;
  /** The apps' events-per-minute limits, counted in this process. */
  quota: EventQuota;
  /** What this process's silences silenced, told to their items every few seconds. */
  silenceCounts: SilenceCounts;
  clock: () => Date;
}

/** The HTTP API's, whichever function serves it (the api, ingest): the same, and who may call it. */
export interface HttpApiDeps extends HeraldDeps {
  auth: Authenticator;
  /** Checks Amazon SNS's signatures (its certificates, cached) and confirms subscriptions: the inbound endpoint's. */
  sns: SnsVerifier;
}

/** The api function's (every route): the same, and the provider settings its notifier routes check against. */
export interface ApiDeps extends HttpApiDeps {
  /** The installation's provider accounts: a notifier of a provider with none is refused. */
  providers: ProviderSettings;
}
