import { formatDuration } from '../../shared/core/duration.js';
import { api, type Incident } from '../api.js';
import { Empty, ErrorNote, Page, Status, Table, When } from '../components/ui.js';
import { useLoad } from '../components/use-load.js';
import { useOlder } from '../components/use-older.js';
import { useNotifiers } from '../components/use-notifiers.js';
import { html, useEffect, useState } from '../html.js';
import { href, navigate } from '../router.js';
import { IncidentDialog, type IncidentAction } from './incident-dialog.js';

const FILTERS = ['open', 'acknowledged', 'resolved', 'all'] as const;
type Filter = (typeof FILTERS)[number];
const POLL_MS = 5000;
/** Said when a person acknowledged or resolved one here: the nav's count loads again. */
const CHANGED = 'herald:incidents';

const EMPTY: Record<Filter, string> = {
  open: 'No open incidents',
  acknowledged: 'No acknowledged incidents',
  resolved: 'No resolved incidents',
  all: 'No incidents yet',
};

/**
 * An app's incidents, open ones by default (`?status=` picks the others, or all), newest
 * first: what failed and how badly, since when and for how long, who acknowledged it with
 * their note, who resolved it (or its recovery), who was told, and the failure that opened it.
 * Acknowledge and Resolve ask who and why in a dialog; a row acted on stays in view with its
 * new state even when it no longer matches the filter.
 */
export function IncidentsScreen({ appId, query }: { appId: string; query: URLSearchParams }) {
  const asked = query.get('status') as Filter | null;
  const filter: Filter = asked && FILTERS.includes(asked) ? asked : 'open';
  const status = filter === 'all' ? {} : { status: filter };
  const [changed, setChanged] = useState<Record<string, Incident>>({});
  const [acting, setActing] = useState<{ incident: Incident; action: IncidentAction }>();
  const [done, setDone] = useState<string>();
  const page = useLoad(
    () => api.get('/v1/apps/{appId}/incidents', { path: { appId }, query: { ...status, limit: 50 } }),
    [appId, filter],
    POLL_MS,
  );
  const notifiers = useNotifiers(appId);
  const setFilter = (next: Filter) => navigate(['apps', appId, 'incidents'], { status: next === 'open' ? undefined : next });
  // Another filter starts from its first page (useOlder), without the rows acted on under the last one:
  // reset once the route has changed, as state set before it would render first, with the
  // old filter's radio checked again under the pointer.
  useEffect(() => setChanged({}), [appId, filter]);
  const older = useOlder(`${appId} ${filter}`, page.data?.nextCursor, async (cursor) => {
    const next = await api.get('/v1/apps/{appId}/incidents', { path: { appId }, query: { ...status, limit: 50, cursor } });
    return { items: next.incidents, nextCursor: next.nextCursor };
  });
  const update = (incident: Incident) => {
    setChanged((c) => ({ ...c, [incident.id]: incident }));
    older.update((items) => items.map((i) => (i.id === incident.id ? incident : i)));
    page.reload();
    dispatchEvent(new Event(CHANGED));
  };
  // Someone else was quicker: the row shows what they did.
  const refresh = async (id: string) => {
    const { incident } = await api
      .get('/v1/apps/{appId}/incidents/{incidentId}', { path: { appId, incidentId: id } })
      .catch(() => ({ incident: undefined }));
    if (incident) update(incident);
  };

  const listed = [...(page.data?.incidents ?? []), ...older.items];
  const rows = [...listed, ...Object.values(changed).filter((c) => !listed.some((i) => i.id === c.id))].sort((a, b) =>
    b.since.localeCompare(a.since),
  );
  return html`<${Page} title="Incidents">
    <p class="muted">
      A failing check opens an incident (an event with <code>data.check</code> and a failing <code>data.status</code>, a${' '}
      <code>monitor.down</code>, a firing alert); its recovery resolves it. Acknowledged, its further failures are sent to nobody until
      it recovers.
    </p>
    <form class="filters" aria-label="Filters" onSubmit=${(e: Event) => e.preventDefault()}>
      <fieldset class="chips" role="radiogroup" aria-label="Status">
        ${FILTERS.map(
          (f) =>
            html`<label class=${`chip${filter === f ? ' on' : ''}`}
              ><input type="radio" name="incident-status" value=${f} checked=${filter === f} onChange=${() => setFilter(f)} /> ${f}</label
            >`,
        )}
      </fieldset>
    </form>
    <${ErrorNote} error=${page.error} />
    ${done ? html`<p class="ok-note" role="status">${done}</p>` : null}
    ${page.loading && !page.data ? html`<p class="muted" aria-live="polite">Loading…</p>` : null}
    ${
      page.data && !rows.length
        ? html`<${Empty} title=${EMPTY[filter]}>${filter === 'resolved' ? 'None has recovered or been resolved yet.' : 'Nothing is failing.'}</${Empty}>`
        : null
    }
    ${
      rows.length
        ? html`<${Table} head=${['Status', 'Incident', 'Since', 'Acknowledged', 'Resolved', 'Told']} actions className="incidents" live>
            ${rows.map(
              (i) =>
                html`<${IncidentRow}
                  key=${i.id}
                  appId=${appId}
                  incident=${i}
                  nameOf=${notifiers.nameOf}
                  onAct=${(action: IncidentAction) => {
                    setDone(undefined);
                    setActing({ incident: i, action });
                  }}
                />`,
            )}
          <//>`
        : null
    }
    ${older.cursor ? html`<button class="button" type="button" onClick=${older.load}>Older incidents</button>` : null}
    ${
      acting
        ? html`<${IncidentDialog}
            appId=${appId}
            incident=${acting.incident}
            action=${acting.action}
            onClose=${() => setActing(undefined)}
            onConflict=${() => refresh(acting.incident.id)}
            onDone=${(incident: Incident) => {
              setActing(undefined);
              setDone(
                `${incident.title}: ${incident.status} by ${incident.status === 'resolved' ? incident.resolvedBy : incident.acknowledgedBy}.`,
              );
              update(incident);
            }}
          />`
        : null
    }
  <//>`;
}

function IncidentRow({
  appId,
  incident: i,
  nameOf,
  onAct,
}: {
  appId: string;
  incident: Incident;
  nameOf: (id: string) => string | undefined;
  onAct: (action: IncidentAction) => void;
}) {
  const end = i.resolvedAt ? Date.parse(i.resolvedAt) : Date.now();
  const lasted = formatDuration(Math.max(0, Math.round((end - Date.parse(i.since)) / 1000)));
  // Each notifier once, by name; one the screen cannot name (deleted, or past 100) by its channel and masked recipient.
  const told = [...new Set(i.told.map((t) => nameOf(t.notifierId) ?? `${t.channel} ${t.recipient}`))];
  return html`<tr data-incident=${i.id}>
    <td class="incident-status">
      <${Status} status=${i.status} />
      <div><span class=${`sev sev-${i.severity}`}>${i.severity}</span></div>
    </td>
    <td class="incident-title">
      <strong>${i.title}</strong>
      <div class="muted">
        <code>${i.check}</code> ·${' '}
        <a href=${href(['apps', appId, 'deliveries'], { eventId: i.eventId, range: 'all' })} aria-label=${`Opening event of ${i.title}: its deliveries`}
          >opening event</a
        >
      </div>
    </td>
    <td class="incident-since">
      <${When} at=${i.since} />
      <div class="muted">${i.resolvedAt ? `lasted ${lasted}` : `${lasted} so far`}</div>
    </td>
    <td class="incident-ack">
      ${
        i.acknowledgedBy
          ? html`${i.acknowledgedBy} ${i.acknowledgedAt ? html`<div class="muted"><${When} at=${i.acknowledgedAt} /></div>` : null}
            ${i.note ? html`<div class="incident-note">${i.note}</div>` : null}`
          : html`<span class="muted">—</span>`
      }
    </td>
    <td>
      ${i.resolvedBy ? html`${i.resolvedBy} ${i.resolvedAt ? html`<div class="muted"><${When} at=${i.resolvedAt} /></div>` : null}` : html`<span class="muted">—</span>`}
    </td>
    <td>${told.length ? html`<ul class="told">${told.map((t) => html`<li>${t}</li>`)}</ul>` : html`<span class="muted">nobody yet</span>`}</td>
    <td class="row-actions">
      ${
        i.status === 'open'
          ? html`<button class="button small primary" type="button" aria-label=${`Acknowledge ${i.title}`} onClick=${() => onAct('ack')}>Acknowledge</button>`
          : null
      }
      ${
        i.status !== 'resolved'
          ? html`<button class="button small" type="button" aria-label=${`Resolve ${i.title}`} onClick=${() => onAct('resolve')}>Resolve</button>`
          : null
      }
    </td>
  </tr>`;
}

/** How many incidents of the app are open, beside Incidents in the nav (nothing when none). */
export function OpenIncidents({ appId, section }: { appId: string; section: string }) {
  const open = useLoad(
    () => api.get('/v1/apps/{appId}/incidents', { path: { appId }, query: { status: 'open', limit: 100 } }),
    [appId, section],
    15_000,
  );
  useEffect(() => {
    addEventListener(CHANGED, open.reload);
    return () => removeEventListener(CHANGED, open.reload);
  }, []);
  const n = open.data?.incidents.length ?? 0;
  if (!n) return null;
  return html` <span class="nav-count">${open.data?.nextCursor ? `${n}+` : n}<span class="visually-hidden"> open</span></span>`;
}
