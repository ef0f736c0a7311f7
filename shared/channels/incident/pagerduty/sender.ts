import { renderParts } from '../../../core/messages/render.js';
import type { Channel } from '../../channel.js';
import { clip, withSender } from '../../channel.js';
import { answerJson, judge, sendHttp } from '../../http-post.js';
import { incidentUpdate, isNewest, NOT_AN_INCIDENT, SUPERSEDED } from '../../incident.js';
import type { PagerdutyTarget } from './target.js';
import { addressing } from './addressing.js';

const SEVERITY = { info: 'info', warning: 'warning', critical: 'critical' } as const;

/**
 * PagerDuty Events API v2: a failure triggers an alert, its recovery resolves it, and
 * Herald's incident acknowledged acknowledges it, with the same `dedup_key` (see incident.ts); an update older than one already sent is not sent,
 * so a resolve that overtook its trigger leaves no incident open. Summary ≤ 1024.
 */
export const sender: Channel<PagerdutyTarget> = withSender(addressing, {
  async send(message, context) {
    const update = incidentUpdate(message);
    if (!update) return { suppressed: NOT_AN_INCIDENT };
    if (!(await isNewest(message, update, context))) return { suppressed: SUPERSEDED };
    const { event, app } = message;
    const parts = renderParts(message, context.messages, context.now());
    const link = parts.placeholders['link'];
    const body =
      update.action !== 'trigger'
        ? { routing_key: message.delivery.recipient, event_action: update.action, dedup_key: update.key }
        : {
            routing_key: message.delivery.recipient,
            event_action: 'trigger',
            dedup_key: update.key,
            payload: {
              summary: clip(parts.chat.title, 1024),
              source: clip(String(event.source?.['host'] ?? app.metadata?.['host'] ?? app.id), 255),
              severity: SEVERITY[event.severity],
              timestamp: event.occurredAt,
              component: app.name,
              class: event.type,
              custom_details: { message: event.message, event_id: event.id, app: app.id, data: event.data ?? {} },
            },
            client: 'Herald',
            ...(typeof link === 'string' ? { client_url: link, links: [{ href: link, text: app.name }] } : {}),
          };
    const call = {
      url: `${(context.providers?.pagerduty?.apiUrl ?? 'https://events.pagerduty.com').replace(/\/$/, '')}/v2/enqueue`,
      label: `PagerDuty ${update.action}`,
      readBody: true,
      body: JSON.stringify(body),
    };
    const answer = await sendHttp(call, context);
    const json = answerJson<{ message: string; errors: string[] }>(answer);
    return judge(answer, call, context, { detail: [json?.message, ...(json?.errors ?? [])].filter(Boolean).join(': ') || undefined });
  },
});
