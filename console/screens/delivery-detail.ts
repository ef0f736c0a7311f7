import { carrierOf, eventIdOfDelivery } from '../../shared/delivery-ids.js';
import { api, errorText, type Delivery } from '../api.js';
import { ErrorNote, Status, Time } from '../components/ui.js';
import { useLoad } from '../components/use-load.js';
import { html, useEffect, useRef, useState } from '../html.js';
import { href } from '../router.js';

/** The rendered part a channel sends (README, "Messages"): the webhook sends the event itself. */
const partOf = (channel: string): string | undefined =>
  channel === 'webhook'
    ? undefined
    : channel === 'email' || channel === 'slack'
      ? channel
      : /sms|twilio|vonage/.test(channel)
        ? 'sms'
        : 'chat';

/**
 * Why a delivery is as it is. A grouped or coalesced one names the delivery that carried it (its group's
 * notification) as a link that opens that delivery among its event's deliveries.
 */
export function Reason({ appId, delivery: d }: { appId: string; delivery: Pick<Delivery, 'reason'> }) {
  const carrier = carrierOf(d.reason);
  if (!carrier) return d.reason ?? null;
  return html`<span class="carried-by"
    >carried by${' '}<a
      href=${href(['apps', appId, 'deliveries', carrier], { eventId: eventIdOfDelivery(carrier) })}
      title="Open the notification that carried it"
      ><code>${carrier}</code></a
    ></span
  >`;
}

/**
 * One delivery, beside the log: its event, the message as rendered for its channel, and its
 * attempts' timeline. Resend for a failed or dead one; it updates as the attempts come.
 */
export function DeliveryDetail({
  appId,
  id,
  notifierName,
  onClose,
}: {
  appId: string;
  id: string;
  notifierName: (id: string) => string;
  onClose: () => void;
}) {
  const delivery = useLoad(() => api.get('/v1/apps/{appId}/deliveries/{id}', { path: { appId, id } }), [appId, id], 2000);
  const d = delivery.data?.delivery;
  const context = useLoad(async () => {
    if (!d) return undefined;
    const { event } = await api.get('/v1/apps/{appId}/events/{eventId}', { path: { appId, eventId: d.eventId } });
    const preview = await api
      .post('/v1/preview', {
        body: {
          appId,
          notifierId: d.notifierId,
          event: {
            type: event.type,
            severity: event.severity,
            ...(event.title ? { title: event.title } : {}),
            ...(event.message ? { message: event.message } : {}),
            ...(event.data ? { data: event.data } : {}),
            occurredAt: event.occurredAt,
            ...(event.source ? { source: event.source } : {}),
          },
        },
      })
      .catch(() => undefined);
    return { event, preview };
  }, [d?.eventId]);
  const [error, setError] = useState<string>();
  const panel = useRef<HTMLElement>(null);
  useEffect(() => panel.current?.focus(), [id]);
  const resend = async () => {
    try {
      await api.post('/v1/apps/{appId}/deliveries/{id}/resend', { path: { appId, id } });
      delivery.reload();
    } catch (err) {
      setError(errorText(err));
    }
  };
  const part = d ? partOf(d.channel) : undefined;
  const rendered = context.data?.preview?.parts as Record<string, Record<string, unknown>> | undefined;
  return html`<aside
    class="drawer"
    aria-label="Delivery"
    tabindex="-1"
    ref=${panel}
    onKeyDown=${(e: KeyboardEvent) => e.key === 'Escape' && onClose()}
  >
    <div class="drawer-head">
      <h2>Delivery</h2>
      <button class="button ghost" type="button" onClick=${onClose} aria-label="Close the delivery">Close</button>
    </div>
    <${ErrorNote} error=${error ?? delivery.error} />
    ${
      d
        ? html`<dl class="facts">
              <dt>Status</dt>
              <dd><${Status} status=${d.status} /> ${d.reason ? html`<span class="muted"><${Reason} appId=${appId} delivery=${d} /></span>` : null}</dd>
              <dt>Id</dt>
              <dd><code>${d.id}</code></dd>
              <dt>Notifier</dt>
              <dd>${notifierName(d.notifierId)} · ${d.channel}</dd>
              <dt>Recipient</dt>
              <dd class="recipient">${d.recipient}</dd>
              <dt>Created</dt>
              <dd><${Time} at=${d.createdAt} /></dd>
              ${
                d.nextAttemptAt
                  ? html`<dt>Next attempt</dt>
                      <dd><${Time} at=${d.nextAttemptAt} /></dd>`
                  : null
              }
            </dl>
            ${d.status === 'failed' || d.status === 'dead' ? html`<button class="button primary" type="button" onClick=${resend}>Resend</button>` : null}
            <h3>Attempts</h3>
            ${
              d.attempts.length
                ? html`<ol class="timeline">
                    ${d.attempts.map(
                      (a) =>
                        html`<li class=${`attempt attempt-${a.outcome}`}>
                          <strong>#${a.n}</strong>
                          <${Status} status=${a.outcome} /> ${a.statusCode ? html`<code>${a.statusCode}</code>` : null}
                          <span class="muted">${a.latencyMs} ms · <${Time} at=${a.at} /></span>
                          ${a.error ? html`<div class="attempt-error">${a.error}</div>` : null}
                        </li>`,
                    )}
                  </ol>`
                : html`<p class="muted">No attempt yet.</p>`
            }
            <h3>Event</h3>
            ${
              context.data
                ? html`<p>
                      <code>${context.data.event.type}</code> · ${context.data.event.severity} ·
                      <${Time} at=${context.data.event.occurredAt} />
                    </p>
                    <pre class="code">${JSON.stringify(context.data.event, null, 2)}</pre>`
                : html`<p class="muted">Loading…</p>`
            }
            <h3>Message</h3>
            ${
              part && rendered?.[part]
                ? html`<dl class="parts">
                    ${Object.entries(rendered[part] ?? {})
                      .filter(([k]) => k !== 'html' && k !== 'blocks')
                      .map(
                        ([k, v]) =>
                          html`<dt>${part}.${k}</dt>
                            <dd><pre>${String(v)}</pre></dd>`,
                      )}
                  </dl>`
                : html`<p class="muted">The webhook sends the event as JSON.</p>`
            }`
        : null
    }
  </aside>`;
}
