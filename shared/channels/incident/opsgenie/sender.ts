import { renderParts } from '../../../core/messages/render.js';
import type { Channel } from '../../channel.js';
import { clip, withSender } from '../../channel.js';
import { callProvider } from '../../http-post.js';
import { incidentUpdate, isNewest, NOT_AN_INCIDENT, SUPERSEDED } from '../../incident.js';
import type { OpsgenieTarget } from './target.js';
import { addressing } from './addressing.js';

const API = { us: 'https://api.opsgenie.com', eu: 'https://api.eu.opsgenie.com' } as const;

/** The Opsgenie API of the notifier's region, unless the installation names one (a stand-in). */
export const opsgenieApi = (target: Pick<OpsgenieTarget, 'region'>, settings?: { apiUrl?: string }): string =>
  (settings?.apiUrl ?? API[target.region ?? 'us']).replace(/\/$/, '');
const PRIORITY = { info: 'P5', warning: 'P3', critical: 'P1' } as const;

/**
 * Opsgenie alerts: a failure creates an alert (message ≤ 130, description ≤ 15000, priority
 * P1/P3 by severity) under an alias; its recovery closes the alert by that alias, and
 * Herald's incident acknowledged acknowledges it. Opsgenie
 * answers 202 and processes later; updates out of order are held back as for PagerDuty.
 */
export const sender: Channel<OpsgenieTarget> = withSender(addressing, {
  async send(message, context) {
    const target = message.notifier.target as OpsgenieTarget;
    const update = incidentUpdate(message);
    if (!update) return { suppressed: NOT_AN_INCIDENT };
    if (!(await isNewest(message, update, context))) return { suppressed: SUPERSEDED };
    const { event, app } = message;
    const parts = renderParts(message, context.messages, context.now());
    const base = opsgenieApi(target, context.providers?.opsgenie);
    const by = typeof event.data?.['by'] === 'string' ? clip(event.data['by'], 100) : undefined;
    const call =
      update.action === 'acknowledge'
        ? {
            url: `${base}/v2/alerts/${encodeURIComponent(update.key)}/acknowledge?identifierType=alias`,
            label: 'Opsgenie acknowledge alert',
            body: JSON.stringify({ source: 'Herald', ...(by ? { user: by } : {}), note: clip(parts.chat.title, 25000) }),
          }
        : update.action === 'resolve'
          ? {
              url: `${base}/v2/alerts/${encodeURIComponent(update.key)}/close?identifierType=alias`,
              label: 'Opsgenie close alert',
              body: JSON.stringify({ source: 'Herald', note: clip(parts.chat.title, 25000) }),
            }
          : {
              url: `${base}/v2/alerts`,
              label: 'Opsgenie create alert',
              body: JSON.stringify({
                message: clip(parts.chat.title, 130),
                alias: update.key,
                description: clip(parts.chat.body, 15000),
                priority: PRIORITY[event.severity],
                source: 'Herald',
                entity: app.name,
                tags: [...(target.tags ?? []), event.type].slice(0, 20),
                details: { app: app.id, eventId: event.id, eventType: event.type, severity: event.severity },
              }),
            };
    return callProvider({ ...call, headers: { authorization: `GenieKey ${target.apiKey}` } }, context, (json) => json['message']);
  },
});
