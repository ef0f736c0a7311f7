import { api, type Delivery } from '../api.js';
import { DeliveryLinkNotes } from '../components/delivery-links.js';
import { Empty, ErrorNote, Page, Status, Time, Table } from '../components/ui.js';
import { useLoad } from '../components/use-load.js';
import { useOlder } from '../components/use-older.js';
import { useNotifiers } from '../components/use-notifiers.js';
import { html, useEffect, useRef, useState } from '../html.js';
import { href, navigate } from '../router.js';
import { DeliveryDetail, Reason } from './delivery-detail.js';

const STATUSES = [
  'queued',
  'retrying',
  'sent',
  'failed',
  'dead',
  'suppressed',
  'grouped',
  'coalesced',
] as const satisfies readonly Delivery['status'][];
const RANGES: Record<string, number | undefined> = { '1h': 3600e3, '24h': 86400e3, '7d': 7 * 86400e3, '30d': 30 * 86400e3, all: undefined };
const POLL_MS = 2000;

/**
 * The notification log, newest first: filtered by status (several at once), channel,
 * notifier, event type and time range, all kept in the route. It updates as deliveries
 * change (polled every 2 s while the page is visible); a row opens its delivery.
 */
export function DeliveriesScreen({ appId, query, selected }: { appId: string; query: URLSearchParams; selected?: string }) {
  const filters = Object.fromEntries(query) as Record<string, string>;
  const statuses = filters['status']?.split(',').filter(Boolean) ?? [];
  const range = filters['range'] ?? '24h';
  const params = {
    ...(filters['status'] ? { status: filters['status'] } : {}),
    ...(filters['channel'] ? { channel: filters['channel'] as Delivery['channel'] } : {}),
    ...(filters['notifierId'] ? { notifierId: filters['notifierId'] } : {}),
    ...(filters['type'] ? { type: filters['type'] } : {}),
    // One event's deliveries: an incident links to the failure that opened it.
    ...(filters['eventId'] ? { eventId: filters['eventId'] } : {}),
  };
  const page = useLoad(
    () => {
      const span = RANGES[range];
      return api.get('/v1/apps/{appId}/deliveries', {
        path: { appId },
        query: { ...params, limit: 50, ...(span ? { since: new Date(Date.now() - span).toISOString() } : {}) },
      });
    },
    [appId, query.toString()],
    POLL_MS,
  );
  const notifiers = useNotifiers(appId);
  const nameOf = (id: string) => notifiers.nameOf(id) ?? id;
  const setFilter = (name: string, value?: string) => navigate(['apps', appId, 'deliveries'], { ...filters, [name]: value || undefined });
  // The event type as typed: the log polls every 2 s, and a render from the route alone would put back what the box had before.
  const [typed, setTyped] = useState(filters['type'] ?? '');
  // The box follows the route when something else changes the type (a link, Back), not when the box applied it itself:
  // the route's render comes a frame later, and would put back what was applied over what was typed since.
  const applied = useRef(filters['type'] ?? '');
  useEffect(() => {
    const type = filters['type'] ?? '';
    if (type === applied.current) return;
    applied.current = type;
    setTyped(type);
  }, [filters['type']]);
  const applyType = (value: string) => {
    applied.current = value.trim();
    setFilter('type', applied.current);
  };
  const toggleStatus = (s: string) =>
    setFilter('status', (statuses.includes(s) ? statuses.filter((x) => x !== s) : [...statuses, s]).join(','));
  // Older pages are of the filters they were asked with (changed here, or by a link: a grouped delivery's carrier).
  const older = useOlder(query.toString(), page.data?.nextCursor, async (cursor) => {
    const next = await api.get('/v1/apps/{appId}/deliveries', { path: { appId }, query: { ...params, limit: 50, cursor } });
    return { items: next.deliveries, nextCursor: next.nextCursor };
  });
  const rows = [...(page.data?.deliveries ?? []), ...older.items];
  return html`<${Page} title="Deliveries">
    <form class="filters" aria-label="Filters" onSubmit=${(e: Event) => e.preventDefault()}>
      <fieldset class="chips">
        <legend class="visually-hidden">Status</legend>
        ${STATUSES.map((s) => html`<label class=${`chip status-chip status-${s}${statuses.includes(s) ? ' on' : ''}`}><input type="checkbox" checked=${statuses.includes(s)} onChange=${() => toggleStatus(s)} /> ${s}</label>`)}
      </fieldset>
      <label
        >Channel
        <select value=${filters['channel'] ?? ''} onChange=${(e: Event) => setFilter('channel', (e.target as HTMLSelectElement).value)}>
          <option value="">any</option>
          ${[...new Set((notifiers.data ?? []).flatMap((n) => n.channel ?? []))].map((c) => html`<option value=${c}>${c}</option>`)}
        </select></label
      >
      <label
        >Notifier
        <select
          value=${filters['notifierId'] ?? ''}
          onChange=${(e: Event) => setFilter('notifierId', (e.target as HTMLSelectElement).value)}
        >
          <option value="">any</option>
          ${(notifiers.data ?? []).map((n) => html`<option value=${n.id}>${n.name}</option>`)}
        </select></label
      >
      <label
        >Event type
        <input
          value=${typed}
          placeholder="app_crashed"
          size="14"
          onInput=${(e: Event) => setTyped((e.target as HTMLInputElement).value)}
          onChange=${(e: Event) => applyType((e.target as HTMLInputElement).value)}
      /></label>
      ${
        params.eventId
          ? html`<span class="chip on event-filter"
              >Event <code>${params.eventId}</code>
              <button class="button small ghost" type="button" aria-label="Show every event's deliveries" onClick=${() => setFilter('eventId')}>
                ×
              </button></span
            >`
          : null
      }
      <label
        >Created
        <select value=${range} onChange=${(e: Event) => setFilter('range', (e.target as HTMLSelectElement).value)}>
          <option value="1h">last hour</option>
          <option value="24h">last 24 hours</option>
          <option value="7d">last 7 days</option>
          <option value="30d">last 30 days</option>
          <option value="all">any time</option>
        </select></label
      >
    </form>
    <${ErrorNote} error=${page.error} />
    ${
      page.data && !rows.length
        ? html`<${Empty} title="No deliveries here">${statuses.length || params.channel || params.notifierId || params.type || params.eventId ? 'Nothing matches these filters: widen them.' : html`Post an event for ${appId}, or press Test on a <a href=${href(['apps', appId, 'notifiers'])}>notifier</a>.`}</${Empty}>`
        : null
    }
    ${
      rows.length
        ? html`<${Table}
            head=${['Created', 'Status', 'Event', 'Channel', 'Recipient', 'Notifier', 'Attempts', 'Last outcome']}
            className="deliveries"
            live
          >
            ${rows.map(
              (d) =>
                html`<tr class=${d.id === selected ? 'selected' : ''} data-delivery=${d.id}>
                  <td>
                    <a href=${href(['apps', appId, 'deliveries', d.id], filters)}><${Time} at=${d.createdAt} /></a>
                  </td>
                  <td><${Status} status=${d.status} /></td>
                  <td><code>${d.eventType ?? '—'}</code></td>
                  <td>${d.channel}</td>
                  <td class="recipient">${d.recipient}</td>
                  <td>${nameOf(d.notifierId)} <${DeliveryLinkNotes} appId=${appId} delivery=${d} /></td>
                  <td class="num">${d.attemptCount}</td>
                  <td>
                    ${d.lastAttempt ? html`${d.lastAttempt.statusCode ?? ''} <span class="muted">${d.lastAttempt.error ?? d.lastAttempt.outcome}</span>` : html`<span class="muted">${d.reason ? html`<${Reason} appId=${appId} delivery=${d} />` : '—'}</span>`}
                  </td>
                </tr>`,
            )}
          <//>`
        : null
    }
    ${older.cursor ? html`<button class="button" type="button" onClick=${older.load}>Older deliveries</button>` : null}
    ${selected ? html`<${DeliveryDetail} appId=${appId} id=${selected} notifierName=${nameOf} onClose=${() => navigate(['apps', appId, 'deliveries'], filters)} />` : null}
  <//>`;
}
