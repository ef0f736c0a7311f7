import type { ApiKey, App, DeliveryMessage, Notifier } from '../../shared/core/types.js';
import type {
  DeliveryQueue,
  DeliveryStore,
  EventStore,
  KeyStore,
  NotifierStore,
  RepeatCounter,
  StateStore,
} from '../../shared/core/ports.js';

/**
 * In-memory ports (shared/core/ports.ts) for the in-process CPU figure: each does what the
 * hot path needs at once, so that what is measured is Herald's own code. A method the bench
 * did not expect to be called says so instead of returning nothing.
 */
function fake<T extends object>(name: string, methods: Partial<T>): T {
  return new Proxy(methods as T, {
    get(target, property) {
      const method = (target as Record<PropertyKey, unknown>)[property];
      if (method !== undefined || typeof property === 'symbol' || property === 'then') return method;
      return () => {
        throw new Error(`the bench's fake ${name} has no ${String(property)}: the hot path calls more than it expected`);
      };
    },
  });
}

/** A port the hot path should never call. */
export const unusedPort = <T extends object>(name: string): T => fake<T>(name, {});

export interface FakePorts {
  keys: KeyStore;
  notifiers: NotifierStore;
  events: EventStore;
  deliveries: DeliveryStore;
  queue: DeliveryQueue;
  repeats: RepeatCounter;
  states: StateStore;
  /** What the queue was handed, taken. */
  takeQueued(): DeliveryMessage[];
}

export function fakePorts(app: App, key: ApiKey, keyHash: string, notifiers: Notifier[]): FakePorts {
  let queued: DeliveryMessage[] = [];
  const attempts = new Map<string, number>();
  return {
    keys: fake<KeyStore>('KeyStore', { findByHash: async (hash) => (hash === keyHash ? key : undefined) }),
    notifiers: fake<NotifierStore>('NotifierStore', {
      routingView: async (appId) => (appId === app.id ? { app, notifiers } : { notifiers: [] }),
      get: async (_appId, id) => notifiers.find((n) => n.id === id),
      clearFailing: async () => undefined,
      markFailing: async () => undefined,
    }),
    events: fake<EventStore>('EventStore', { save: async () => undefined }),
    deliveries: fake<DeliveryStore>('DeliveryStore', {
      claim: async (deliveries) =>
        deliveries.map((delivery) => {
          const n = (attempts.get(delivery.id) ?? 0) + 1;
          attempts.set(delivery.id, n);
          return { claim: { n, attemptInRound: n } };
        }),
      record: async () => undefined,
    }),
    queue: fake<DeliveryQueue>('DeliveryQueue', {
      enqueue: async (messages) => {
        queued.push(...messages);
        return [];
      },
    }),
    // The first of everything: no quota reached, no repeat throttled.
    repeats: fake<RepeatCounter>('RepeatCounter', { count: async () => 1 }),
    states: fake<StateStore>('StateStore', {}),
    takeQueued() {
      const taken = queued;
      queued = [];
      return taken;
    },
  };
}
