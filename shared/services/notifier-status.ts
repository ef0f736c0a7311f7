import type { NotifierStatus, NotifierStore } from '../core/ports.js';
import type { DeliveryMessage } from '../core/types.js';

const TTL_MS = 30_000;

/**
 * What a channel function knows of the notifiers it sends for: whether each still exists
 * and is enabled, and whether its endpoint has been failing. Read at most once per 30 s
 * per notifier, so that an attempt reads nothing before it sends when the cache is warm.
 */
export class NotifierStatusCache {
  private readonly cache = new Map<string, { status: Promise<NotifierStatus>; until: number }>();

  constructor(
    private readonly store: Pick<NotifierStore, 'get' | 'markFailing' | 'clearFailing'>,
    private readonly now: () => number = Date.now,
  ) {}

  status(appId: string, notifierId: string): Promise<NotifierStatus> {
    const key = `${appId}/${notifierId}`;
    const hit = this.cache.get(key);
    if (hit && hit.until > this.now()) return hit.status;
    const status = this.store
      .get(appId, notifierId)
      .then((n): NotifierStatus =>
        n
          ? { exists: true, enabled: n.enabled, ...(n.failingSince ? { failingSince: n.failingSince } : {}) }
          : { exists: false, enabled: false },
      );
    this.cache.set(key, { status, until: this.now() + TTL_MS });
    status.catch(() => this.cache.delete(key));
    return status;
  }

  /**
   * The status of a message's notifier, and where it lives: the notifier's own scope (the
   * app, or `*` for a global notifier). A message queued before it named the scope looks
   * in the event's app, then among the global notifiers.
   */
  async ofMessage(message: Pick<DeliveryMessage, 'delivery' | 'notifier'>): Promise<{ appId: string; status: NotifierStatus }> {
    const own = message.notifier.appId;
    if (own) return { appId: own, status: await this.status(own, message.delivery.notifierId) };
    const inApp = await this.status(message.delivery.appId, message.delivery.notifierId);
    if (inApp.exists) return { appId: message.delivery.appId, status: inApp };
    return { appId: '*', status: await this.status('*', message.delivery.notifierId) };
  }

  /**
   * Keep the notifier's failure run up to date: noted when a delivery fails and none is
   * noted, cleared when one goes through. A write only when the run starts or ends.
   */
  async observe(appId: string, notifierId: string, succeeded: boolean, at: Date): Promise<void> {
    const status = await this.status(appId, notifierId);
    if (!status.exists) return;
    const key = `${appId}/${notifierId}`;
    if (succeeded && status.failingSince) {
      await this.store.clearFailing(appId, notifierId);
      this.cache.set(key, { status: Promise.resolve({ exists: true, enabled: status.enabled }), until: this.now() + TTL_MS });
    } else if (!succeeded && !status.failingSince) {
      await this.store.markFailing(appId, notifierId, at.toISOString());
      this.cache.set(key, { status: Promise.resolve({ ...status, failingSince: at.toISOString() }), until: this.now() + TTL_MS });
    }
  }
}
