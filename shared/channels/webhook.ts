import { z } from 'zod';
import { signWebhook } from '../core/webhook-signature.js';
import type { Channel, ChannelAddressing } from './channel.js';
import { maskUrl, withSender } from './channel.js';
import { postJson } from './http-post.js';
import { httpUrl } from './http-url.js';

const RESERVED_HEADERS = /^(host|content-type|content-length|connection|transfer-encoding|user-agent|webhook-.*)$/i;

/** Pure (see channel.ts): a bundle that never validates targets leaves zod out. */
export const webhookTarget = /* @__PURE__ */ (() => {
  const secret = z
    .string()
    .regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/, { error: 'must be whsec_ followed by base64' })
    .refine((s) => Buffer.from(s.slice(6), 'base64').length >= 24 && Buffer.from(s.slice(6), 'base64').length <= 64, {
      error: 'must hold 24 to 64 bytes',
    });
  return z
    .object({
      url: httpUrl,
      secret: secret.optional(),
      /** Secrets replaced less than 24 h ago: still signed with, so that receivers can switch over. */
      previousSecrets: z
        .array(z.object({ secret, until: z.iso.datetime() }).strict())
        .max(5)
        .optional(),
      headers: z
        .record(
          z
            .string()
            .regex(/^[A-Za-z0-9-]{1,64}$/, { error: 'must be a header name' })
            .refine((h) => !RESERVED_HEADERS.test(h), {
              error: 'is set by Herald',
            }),
          z
            .string()
            .max(1024)
            .regex(/^[^\r\n]*$/, { error: 'must be one line' }),
        )
        .optional(),
    })
    .strict();
})();

export type WebhookTarget = z.infer<typeof webhookTarget>;

export const webhookAddressing: ChannelAddressing<WebhookTarget> = {
  name: 'webhook',
  recipients: (target) => [target.url],
  maskTarget: (target) => ({
    url: maskUrl(target.url),
    ...(target.secret ? { secret: 'whsec_****' } : {}),
    ...(target.previousSecrets?.length
      ? { previousSecrets: target.previousSecrets.map((p) => ({ secret: 'whsec_****', until: p.until })) }
      : {}),
    ...(target.headers ? { headers: Object.fromEntries(Object.keys(target.headers).map((h) => [h, '****'])) } : {}),
  }),
  maskRecipient: maskUrl,
  endpoints: (target) => [{ field: 'url', url: target.url }],
};

/**
 * Webhooks with the Standard Webhooks headers: `webhook-id` (the delivery id, the same on
 * every retry, for receivers to dedupe), `webhook-timestamp`, and `webhook-signature` when
 * the notifier has a secret. The body: docs/http-api.md, "Webhook body".
 */
export const webhook: Channel<WebhookTarget> = /* @__PURE__ */ withSender(webhookAddressing, {
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
