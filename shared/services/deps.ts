import type { AppStore, DeliveryQueue, DeliveryStore, EventStore, KeyStore, NotifierStore } from '../core/ports.js';
import type { Authenticator } from './auth.js';
import type { RoutingCache } from './routing-cache.js';

/** What the API's services work with: ports, caches and a clock. Built once per cold start. */
export interface ApiDeps {
  apps: AppStore;
  keys: KeyStore;
  notifiers: NotifierStore;
  events: EventStore;
  deliveries: DeliveryStore;
  queue: DeliveryQueue;
  routing: RoutingCache;
  auth: Authenticator;
  clock: () => Date;
}
