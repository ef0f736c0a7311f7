import { SilenceCounts } from '../../../shared/services/silence-counts.js';
import { AckLinks } from '../../../shared/services/incidents.js';
import { EmbeddedSilenceStore } from './silence-store.js';
import { EmbeddedContactStore } from './contact-store.js';
import type { Config } from '../../../shared/config.js';
import { outboundOf } from '../../../shared/config.js';
import type { DataMigrations, IncidentLedger, PacingStore } from '../../../shared/core/ports.js';
import type { HeraldDeps } from '../../../shared/services/deps.js';
import { EventQuota } from '../../../shared/services/event-quota.js';
import { RoutingCache } from '../../../shared/services/routing-cache.js';
import { EmbeddedSourceStore } from './source-store.js';
import { EmbeddedAppStore, EmbeddedKeyStore } from './app-store.js';
import { EmbeddedDeadLetterQueues, EmbeddedDeliveryQueue } from './delivery-queue.js';
import { EmbeddedDeliveryStore } from './delivery-store.js';
import type { Engine } from './engine.js';
import { EmbeddedEventStore } from './event-store.js';
import { EmbeddedHeartbeatStore } from './heartbeat-store.js';
import { EmbeddedIncidentLedger } from './incident-ledger.js';
import { EmbeddedIncidentStore } from './incident-store.js';
import { EmbeddedPacingStore } from './pacing-store.js';
import { EmbeddedGroupStore } from './group-store.js';
import { EmbeddedNotifierStore } from './notifier-store.js';
import { EmbeddedRepeatCounter } from './repeat-counter.js';
import { EmbeddedStateStore } from './state-store.js';
import { EmbeddedTimerQueue } from './timer-queue.js';

/** The embedded store holds only what this version writes: a data dir from before is moved in at start (move-in.ts). */
const NO_MIGRATIONS: DataMigrations = { run: async () => true };

/** The ports on the embedded engine: what aws/wiring.ts builds on DynamoDB and SQS, for local mode (and tests, with no disk). */
export function embeddedStores(engine: Engine, config: Pick<Config, 'retentionDays'>, clock: () => Date = () => new Date()) {
  const { table, queues } = engine;
  return {
    apps: new EmbeddedAppStore(table),
    keys: new EmbeddedKeyStore(table),
    sources: new EmbeddedSourceStore(table),
    silences: new EmbeddedSilenceStore(table),
    notifiers: new EmbeddedNotifierStore(table),
    contacts: new EmbeddedContactStore(table),
    events: new EmbeddedEventStore(table, config.retentionDays, clock),
    deliveries: new EmbeddedDeliveryStore(table, config.retentionDays, clock),
    queue: new EmbeddedDeliveryQueue(queues),
    deadLetters: new EmbeddedDeadLetterQueues(queues),
    timers: new EmbeddedTimerQueue(queues, clock),
    heartbeats: new EmbeddedHeartbeatStore(table),
    repeats: new EmbeddedRepeatCounter(table),
    states: new EmbeddedStateStore(table),
    incidentLedger: new EmbeddedIncidentLedger(table),
    pacing: new EmbeddedPacingStore(table),
    incidents: new EmbeddedIncidentStore(table, config.retentionDays),
    groups: new EmbeddedGroupStore(table),
    migrations: NO_MIGRATIONS,
  };
}

/** Herald's services on the embedded engine, and the incident ledger and pacing the channels use. */
export function embeddedDeps(engine: Engine, config: Config): HeraldDeps & { incidentLedger: IncidentLedger; pacing: PacingStore } {
  const stores = embeddedStores(engine, config);
  return {
    ...stores,
    messages: config.messages,
    outbound: outboundOf(config),
    routing: new RoutingCache(stores.notifiers, stores.silences, stores.contacts),
    quota: new EventQuota(),
    silenceCounts: new SilenceCounts(),
    ...(config.adminKey ? { links: new AckLinks(config.adminKey, config.publicUrl) } : {}),
    clock: () => new Date(),
  };
}
