import { SilenceCounts } from '../../shared/services/silence-counts.js';
import { EventEmitter } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import { syncBuiltinESMExports } from 'node:module';
import { PassThrough } from 'node:stream';
import { createApi } from '../../functions/api/api.js';
import { sender as webhook } from '../../shared/channels/webhook/webhook/sender.js';
import type { ReceivedMessage } from '../../shared/core/ports.js';
import type { App, Notifier } from '../../shared/core/types.js';
import { generateKey, hashKey } from '../../shared/ids.js';
import { Authenticator } from '../../shared/services/auth.js';
import { AttemptMetrics } from '../../shared/services/attempt-metrics.js';
import { deliver } from '../../shared/services/deliver.js';
import { EventQuota } from '../../shared/services/event-quota.js';
import { DestinationLoad } from '../../shared/services/destination-load.js';
import { NotifierStatusCache } from '../../shared/services/notifier-status.js';
import { RoutingCache } from '../../shared/services/routing-cache.js';
import { captureOutput } from '../aws/output-capture.js';
import { fakePorts, unusedPort } from './fake-ports.js';

/** Herald's CPU per delivery, in microseconds, with every port in memory and no network. */
export interface InProcessCpu {
  deliveries: number;
  events: number;
  cpuMsPerDelivery: number;
}

/**
 * Ingest (the HTTP API's own code: routing, validation, the key check) and delivery (the
 * webhook channel: its body, its signature, the claim and record, the log line and
 * metrics) through the real code with in-memory ports (fake-ports.ts), and HTTP answered
 * 200 at once in place of a receiver: Herald's own CPU per delivery, without AWS or network.
 */
export async function measureInProcessCpu(deliveriesPerEvent: number, events: number): Promise<InProcessCpu> {
  const now = new Date().toISOString();
  // A limit no run reaches: the quota is the process's, across the runs (warm-up included).
  const app: App = {
    id: 'cpu',
    name: 'CPU',
    owner: { email: 'o@cpu.example' },
    limits: { eventsPerMinute: 1_000_000 },
    createdAt: now,
    updatedAt: now,
  };
  const apiKey = generateKey('hrd_app_');
  const notifiers: Notifier[] = Array.from({ length: deliveriesPerEvent }, (_, i) => ({
    id: `ntf_cpu${i}`,
    appId: app.id,
    name: `hook ${i}`,
    enabled: true,
    channel: 'webhook',
    target: { url: `https://hooks.example.com/cpu/${i}`, secret: `whsec_${Buffer.alloc(32, i).toString('base64')}` },
    events: ['bench.*'],
    minSeverity: 'info',
    default: false,
    createdAt: now,
    updatedAt: now,
  }));
  const ports = fakePorts(app, { id: 'key_cpu', appId: app.id, prefix: apiKey.slice(0, 12), createdAt: now }, hashKey(apiKey), notifiers);
  const api = createApi({
    ...ports,
    apps: unusedPort('AppStore'),
    sources: unusedPort('SourceStore'),
    silences: unusedPort('SilenceStore'),
    contacts: unusedPort('ContactStore'),
    sns: unusedPort('SnsVerifier'),
    deadLetters: unusedPort('DeadLetterQueues'),
    heartbeats: unusedPort('HeartbeatStore'),
    incidents: unusedPort('IncidentStore'),
    groups: unusedPort('GroupStore'),
    migrations: unusedPort('DataMigrations'),
    timers: unusedPort('TimerQueue'),
    messages: {},
    outbound: { allowPrivate: true },
    routing: new RoutingCache(ports.notifiers, { list: async () => [] }, { list: async () => [], listGroups: async () => [] }),
    clock: () => new Date(),
    auth: new Authenticator(generateKey('hrd_admin_'), ports.keys),
    providers: {},
    quota: new EventQuota(),
    silenceCounts: new SilenceCounts(),
  });
  const deliverDeps = {
    channels: { webhook },
    deliveries: ports.deliveries,
    notifiers: new NotifierStatusCache(ports.notifiers),
    retrySchedule: [5],
    load: new DestinationLoad(),
    clock: () => new Date(),
    context: { outbound: { allowPrivate: true }, messages: {}, httpTimeoutMs: 10_000, now: () => new Date() },
  };
  const received: ReceivedMessage = { retryIn: async () => undefined, deadLetter: async () => undefined, setAside: async () => undefined };
  const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
  const one = async (i: number) => {
    const res = await api.request('/v1/events', {
      method: 'POST',
      headers,
      body: JSON.stringify({ type: 'bench.deployed', title: `Deployed v${i}`, message: `Build ${i} went out`, data: { version: `v${i}` } }),
    });
    if (res.status !== 202) throw new Error(`in-process ingest answered ${res.status}: ${await res.text()}`);
    const tally = new AttemptMetrics();
    await deliver(deliverDeps, ports.takeQueued(), received, tally);
    tally.publish();
  };
  const restore = answerHttpAtOnce();
  try {
    const { result } = await captureOutput(async () => {
      for (let i = 0; i < 200; i++) await one(i); // warm: JIT, caches
      const before = process.cpuUsage();
      for (let i = 0; i < events; i++) await one(i);
      const used = process.cpuUsage(before);
      return (used.user + used.system) / 1000;
    });
    return { deliveries: deliveriesPerEvent, events, cpuMsPerDelivery: result / (events * deliveriesPerEvent) };
  } finally {
    restore();
  }
}

/** node:http's and node:https's request answering 200 at once, for the webhook channel: I/O stubbed, the channel's code run. */
function answerHttpAtOnce(): () => void {
  const real = [http.request, https.request] as const;
  const answering = ((_url: unknown, _options: unknown, callback: (res: http.IncomingMessage) => void) => {
    const req = Object.assign(new EventEmitter(), {
      end() {
        setImmediate(() => {
          const res = Object.assign(new PassThrough(), { statusCode: 200, headers: {} });
          callback(res as unknown as http.IncomingMessage);
          res.end();
        });
        return req;
      },
      destroy: () => req,
    });
    return req;
  }) as unknown as typeof http.request;
  http.request = https.request = answering;
  syncBuiltinESMExports();
  return () => {
    [http.request, https.request] = real;
    syncBuiltinESMExports();
  };
}
