import type { HeraldApi, components } from '@herald/client';

/**
 * Routes and filters that the console's issue (12) adds to the API, not yet in the
 * openapi.json this command line was built with: the deliveries list's channel, type, since and
 * until filters (and several statuses at once), resending a delivery, and a family's dead
 * letters. Called here by hand through HeraldApi.call, the only untyped calls of the command
 * line; once openapi.json has them, each becomes a typed `api.get`/`api.post` and this file goes.
 * An API without the filters ignores them (the command line filters what it shows: see `tail`).
 */

export type Delivery = components['schemas']['Delivery'];
type Untyped = (method: 'get' | 'post', path: string, args: object) => Promise<unknown>;
const untyped = (api: HeraldApi): Untyped => api.call.bind(api) as unknown as Untyped;
const enc = encodeURIComponent;

export interface DeliveryFilter {
  status?: string;
  channel?: string;
  notifierId?: string;
  eventId?: string;
  type?: string;
  since?: string;
  until?: string;
  limit?: number;
  cursor?: string;
}

export function listDeliveries(
  api: HeraldApi,
  appId: string,
  query: DeliveryFilter,
): Promise<{ deliveries: Delivery[]; nextCursor: string | null }> {
  return untyped(api)('get', `/v1/apps/${enc(appId)}/deliveries`, { query }) as Promise<{
    deliveries: Delivery[];
    nextCursor: string | null;
  }>;
}

export function resendDelivery(api: HeraldApi, appId: string, deliveryId: string): Promise<{ delivery: Delivery }> {
  return untyped(api)('post', `/v1/apps/${enc(appId)}/deliveries/${enc(deliveryId)}/resend`, {}) as Promise<{ delivery: Delivery }>;
}

export function deadLetters(
  api: HeraldApi,
  family: string,
  query: { limit?: number; cursor?: string },
): Promise<{ deliveries: Delivery[]; nextCursor: string | null }> {
  return untyped(api)('get', `/v1/dlq/${enc(family)}`, { query }) as Promise<{ deliveries: Delivery[]; nextCursor: string | null }>;
}
