import { getRequestListener } from '@hono/node-server';
import { snsVerifierOf } from '../../shared/services/inbound/sns-verifier.js';
import { createApi } from '../../functions/api/api.js';
import { loadProviderSettings } from '../../shared/aws/provider-settings.js';
import { deliverDeps, type FamilySend } from '../../shared/channel-function.js';
import type { Channel } from '../../shared/channels/channel.js';
import { outboundOf, readConfig, type Config } from '../../shared/config.js';
import { assertOverrides } from '../../shared/core/messages/render.js';
import { FAMILY_NAMES, type Family } from '../../shared/core/types.js';
import { SWEEPER } from '../../shared/resources.js';
import { Authenticator } from '../../shared/services/auth.js';
import { AttemptMetrics } from '../../shared/services/attempt-metrics.js';
import { deliver } from '../../shared/services/deliver.js';
import type { TimerQueue } from '../../shared/core/ports.js';
import { sweepAndWatch } from '../../shared/sweeper-function.js';
import { timerHandlers } from '../../shared/services/timer-handlers.js';
import type { TimerHandlers } from '../../shared/services/timers.js';
import { logger } from '../../shared/telemetry.js';
import { familyConsumer, timerConsumer } from './engine/consumer.js';
import type { Engine } from './engine/engine.js';
import { embeddedDeps } from './engine/wiring.js';
import type { NodeListener } from './http-gateway.js';
import type { AckLinks } from '../../shared/services/incidents.js';

/** Items whose retention ended are deleted this often (DynamoDB's TTL, which deletes late too). */
const DELETE_EXPIRED_EVERY_MS = 60_000;

export interface LocalServices {
  /** The api function's code (hono's app), served as Node's requests come. */
  api: { listener: NodeListener };
  /** The acknowledge links the messages carry (their base URL is known once the gateway listens). */
  links?: AckLinks;
  allowPrivateOutbound: boolean;
  /** The timer queue, and what each kind of timer does when due (a test swaps one to see a timer fire). */
  timers: { queue: TimerQueue; handlers: TimerHandlers };
  /** Stops the consumers (waiting for the attempts under way) and the timers. */
  stop(): Promise<void>;
}

/**
 * Herald's services on the embedded engine, as the Lambda functions run them on AWS: the
 * api (hono's app, as API Gateway invokes it), each family's channels fed from its queue,
 * the timers from theirs, the sweeper and the heartbeat watch on a timer, and the deletion
 * of expired items.
 */
export async function startLocalServices(engine: Engine): Promise<LocalServices> {
  const config = readConfig();
  // The installation's overrides are checked where they are served: a bad one stops the start.
  assertOverrides(config.messages.templates ?? {}, 'HERALD_TEMPLATES');
  const deps = embeddedDeps(engine, config);
  const app = createApi({
    ...deps,
    providers: await loadProviderSettings(config),
    auth: new Authenticator(config.adminKey as string, deps.keys),
    sns: snsVerifierOf(config),
  });
  // Served from Node's request as it is (building a Lambda event and a web Request from it cost a tenth of an event's CPU);
  // every answer leaves once what the request changed is on the disk: a 202 means the event is kept.
  const api = {
    listener: getRequestListener(async (request) => {
      const response = await app.fetch(request);
      await engine.durable();
      return response;
    }),
  };

  const consumers = await Promise.all(
    FAMILY_NAMES.map(async (family) => {
      const { channels, sendContext } = await familyOf(family);
      const delivering = deliverDeps(Object.values(channels), config, await sendContext(config), deps);
      const tally = new AttemptMetrics(); // published after each message, as a Lambda invocation would
      return familyConsumer(engine.queues, family, (messages, received) =>
        deliver(delivering, messages, received, tally).finally(() => tally.publish()),
      );
    }),
  );
  // The timers (a group's next notification), as the sweeper function takes them on AWS.
  const handlers = timerHandlers(deps);
  consumers.push(timerConsumer(engine.queues, deps, handlers));
  for (const consumer of consumers) consumer.start();

  // At start (what a data dir moved in, or the last run, left unqueued), then more often than on AWS (EventBridge's minute): it costs little here.
  const sweeping = every(SWEEPER.localEverySeconds * 1000, 'sweeper', () => sweepAndWatch(deps, config.disableAfterDays));
  const deleting = every(DELETE_EXPIRED_EVERY_MS, 'deleting expired items', async () => engine.deleteExpired(new Date()));

  return {
    api,
    ...(deps.links ? { links: deps.links } : {}),
    allowPrivateOutbound: outboundOf(config).allowPrivate,
    timers: { queue: deps.timers, handlers },
    async stop() {
      sweeping.stop();
      deleting.stop();
      await Promise.all(consumers.map((c) => c.stop()));
      await Promise.all([sweeping.running(), deleting.running()]);
    },
  };
}

/** Runs `work` now and every `ms`, one run at a time. */
function every(ms: number, what: string, work: () => Promise<unknown>) {
  let run: Promise<unknown> = Promise.resolve();
  const go = () => {
    run = run.then(work).catch((err: unknown) => logger.error(`${what} failed`, { error: err as Error }));
  };
  go();
  const timer = setInterval(go, ms);
  return { stop: () => clearInterval(timer), running: () => run };
}

/** What functions/<family>/family.ts exports: its channels and what they send with. */
export interface FamilyModule {
  channels: Readonly<Record<string, Channel<any>>>;
  sendContext: (config: Config) => Promise<FamilySend>;
}

/** A family's channels and what they send with (functions/<family>/family.ts), as its Lambda function has them. */
const familyOf = (family: Family): Promise<FamilyModule> => import(`../../functions/${family}/family.ts`);
