import { isGroupNotice } from '../../../core/grouping.js';
import { signWebhook } from '../../../core/webhook-signature.js';
import type { Channel } from '../../channel.js';
import { withSender } from '../../channel.js';
import { postJson } from '../../http-post.js';
import type { WebhookTarget } from './target.js';
import { addressing } from './addressing.js';

/**
 * Webhooks with the Standard Webhooks headers: `webhook-id` (the delivery id, the same on
 * every retry, for receivers to dedupe), `webhook-timestamp`, and `webhook-signature` when
 * the notifier has a secret. The body: docs/http-api.md, "Webhook body".
 */
export const sender: Channel<WebhookTarget> = withSender(addressing, {
  send(message, context) {
    const target = message.notifier.target as WebhookTarget;
    const { delivery, event, app } = message;
    const timestamp = Math.floor(context.now().getTime() / 1000);
    const body = JSON.stringify({
      id: delivery.id,
      event_id: event.id,
      event_type: event.type,
      timestamp,
      app: { id: app.id, name: app.name },
      severity: event.severity,
      title: event.title,
      message: event.message,
      data: event.data ?? {},
      occurred_at: event.occurredAt,
      source: event.source ?? {},
      ...(isGroupNotice(event.type) ? { group: event.data?.['group'] } : {}),
      ...(event.incident ? { incident: { id: event.incident.id } } : {}),
      ...(event.incident?.acknowledgeUrl ? { links: { acknowledge: event.incident.acknowledgeUrl } } : {}),
    });
    const headers: Record<string, string> = {
      ...target.headers,
      'webhook-id': delivery.id,
      'webhook-timestamp': String(timestamp),
      ...(target.secret ? { 'webhook-signature': signatures(target, delivery.id, timestamp, body, context.now()) } : {}),
    };
    return postJson(delivery.recipient, body, headers, context);
  },
});

/** One `v1,` signature per secret in use: the current one, and any replaced in the last 24 h. */
function signatures(target: WebhookTarget, id: string, timestamp: number, body: string, now: Date): string {
  const secrets = [
    target.secret as string,
    ...(target.previousSecrets ?? []).filter((p) => Date.parse(p.until) > now.getTime()).map((p) => p.secret),
  ];
  return secrets.map((secret) => signWebhook(secret, id, timestamp, body)).join(' ');
}
