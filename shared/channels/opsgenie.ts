import { z } from 'zod';
import { renderParts } from '../core/messages/render.js';
import type { Channel, ChannelAddressing } from './channel.js';
import { clip, maskSecret, withSender } from './channel.js';
import { callProvider } from './http-post.js';
import { incidentUpdate, isNewest, NOT_AN_INCIDENT, SUPERSEDED } from './incident.js';

/** Pure (see channel.ts): a bundle that never validates targets leaves zod out. */
export const opsgenieTarget = /* @__PURE__ */ (() =>
  z
    .object({
      /** The API key of an API integration (Teams → Integrations → API). */
      apiKey: z.uuid({ error: 'must be an Opsgenie API integration key (a UUID)' }),
      /** Where the account lives: api.opsgenie.com (us) or api.eu.opsgenie.com (eu). Default us. */
      region: z.enum(['us', 'eu']).optional(),
      tags: z.array(z.string().min(1).max(50)).max(20).optional(),
    })
    .strict())();

export type OpsgenieTarget = z.infer<typeof opsgenieTarget>;

const API = { us: 'https://api.opsgenie.com', eu: 'https://api.eu.opsgenie.com' } as const;

/** The Opsgenie API of the notifier's region, unless the installation names one (a stand-in). */
export const opsgenieApi = (target: Pick<OpsgenieTarget, 'region'>, settings?: { apiUrl?: string }): string =>
  (settings?.apiUrl ?? API[target.region ?? 'us']).replace(/\/$/, '');
const PRIORITY = { info: 'P5', warning: 'P3', critical: 'P1' } as const;

export const opsgenieAddressing: ChannelAddressing<OpsgenieTarget> = {
  name: 'opsgenie',
  settings: 'opsgenie',
  recipients: (target) => [`${target.region ?? 'us'}:${target.apiKey}`],
  maskTarget: (target) => ({ ...target, apiKey: maskSecret(target.apiKey) }),
  maskRecipient: (recipient) => maskSecret(recipient.slice(3)),
  endpoints: () => [],
};

/**
 * Opsgenie alerts: a failure creates an alert (message ≤ 130, description ≤ 15000, priority
 * P1/P3 by severity) under an alias; its recovery closes the alert by that alias. Opsgenie
 * answers 202 and processes later; updates out of order are held back as for PagerDuty.
 */
export const opsgenie: Channel<OpsgenieTarget> = /* @__PURE__ */ withSender(opsgenieAddressing, {
  async send(message, context) {
    const target = message.notifier.target as OpsgenieTarget;
    const update = incidentUpdate(message);
    if (!update) return { suppressed: NOT_AN_INCIDENT };
    if (!(await isNewest(message, update, context))) return { suppressed: SUPERSEDED };
    const { event, app } = message;
    const parts = renderParts(message, context.messages, context.now());
    const base = opsgenieApi(target, context.providers?.opsgenie);
    const call =
      update.action === 'resolve'
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
