import { api, errorText, type Notifier } from '../api.js';
import { digestSummary } from '../components/digest-fields.js';
import { groupingSummary } from '../components/grouping-fields.js';
import { ago, Empty, ErrorNote, Page, Status, Table } from '../components/ui.js';
import { entryName, type EntryOptions } from '../components/entry-list.js';
import { escalationSummary } from '../components/escalation-fields.js';
import { failoverSummary } from '../components/failover-fields.js';
import { rateSummary } from '../components/rate-fields.js';
import { useContacts } from '../components/use-contacts.js';
import { useLoad } from '../components/use-load.js';
import { html, useState } from '../html.js';
import { href } from '../router.js';
import { BrowserNotifications } from './browser-notifications.js';

/** What a notifier sends to, masked as the API gives it: its target's first field, the contacts and groups it names, or its policy. */
export function recipientOf(n: Notifier, named: EntryOptions = {}): string {
  if (n.escalation) return escalationSummary(n.escalation);
  if (!n.target)
    return [...(n.contacts ?? []).map((contact) => ({ contact })), ...(n.groups ?? []).map((group) => ({ group }))]
      .map((e) => entryName(e, named))
      .join(', ');
  return targetText(n.target);
}

/** A target's first field, masked as the API gives it: its address, URL or chat. */
export function targetText(target: Record<string, unknown>): string {
  const first = Object.values(target)[0];
  if (Array.isArray(first))
    return first.map((v) => (typeof v === 'object' && v ? String((v as { endpoint?: string }).endpoint ?? '…') : String(v))).join(', ');
  return String(first ?? '');
}

export function selectionOf(n: Notifier): string {
  const events = n.events.length > 4 ? `${n.events.slice(0, 3).join(', ')} and ${n.events.length - 3} more` : n.events.join(', ');
  const excluded = n.exclude?.length ? `, not ${n.exclude.join(', ')}` : '';
  return `${events}${excluded}${n.minSeverity !== 'info' ? ` (${n.minSeverity}+)` : ''}`;
}

/** The notifiers of an app and the global ones, each with its last delivery and a Test button. */
export function NotifiersScreen({ appId }: { appId: string }) {
  const own = useLoad(() => api.get('/v1/apps/{appId}/notifiers', { path: { appId }, query: { limit: 100 } }), [appId]);
  const global = useLoad(() => api.get('/v1/notifiers', { query: { limit: 100 } }), []);
  const people = useContacts(appId);
  // Names for the ids a notifier holds: its contacts and groups, its steps' and failover's notifiers.
  const named: EntryOptions = {
    notifier: [...(own.data?.notifiers ?? []), ...(global.data?.notifiers ?? [])],
    contact: people.data?.contacts ?? [],
    group: people.data?.groups ?? [],
  };
  const changed = () => {
    own.reload();
    global.reload();
  };
  return html`<${Page}
    title="Notifiers"
    actions=${html`<a class="button primary" href=${href(['apps', appId, 'notifiers', 'new'])}>New notifier</a>`}
  >
    <${ErrorNote} error=${own.error ?? global.error} />
    ${
      own.data && !own.data.notifiers.length
        ? html`<${Empty} title="No notifiers">A notifier sends the events it selects through one channel. Add one, then press Test.</${Empty}>`
        : null
    }
    ${own.data?.notifiers.length ? html`<${NotifierTable} appId=${appId} notifiers=${own.data.notifiers} named=${named} onChange=${changed} />` : null}
    <div class="section-head">
      <h2>Global notifiers</h2>
      <a class="button" href=${href(['global', 'notifiers', 'new'])}>New global notifier</a>
    </div>
    <p class="muted">
      They get the events of every app. Their figures here are for ${appId}; their tests are filed under the installation.
    </p>
    ${global.data && !global.data.notifiers.length ? html`<p class="muted">None yet.</p>` : null}
    ${global.data?.notifiers.length ? html`<${NotifierTable} appId=${appId} global notifiers=${global.data.notifiers} named=${named} onChange=${changed} />` : null}
    <${BrowserNotifications} appId=${appId} onChange=${changed} />
  <//>`;
}

function NotifierTable({
  appId,
  notifiers,
  global,
  named,
  onChange,
}: {
  appId: string;
  notifiers: Notifier[];
  global?: boolean;
  named: EntryOptions;
  onChange: () => void;
}) {
  return html`<${Table} head=${['Notifier', 'Channel', 'Recipient', 'Selection', 'Last 24 h']} actions className="notifiers">
    ${notifiers.map((n) => html`<${NotifierRow} key=${n.id} appId=${appId} notifier=${n} global=${global} named=${named} onChange=${onChange} />`)}
  <//>`;
}

function NotifierRow({
  appId,
  notifier: n,
  global,
  named,
  onChange,
}: {
  appId: string;
  notifier: Notifier;
  global?: boolean;
  named: EntryOptions;
  onChange: () => void;
}) {
  const stats = useLoad(() => api.get('/v1/apps/{appId}/notifiers/{id}/stats', { path: { appId, id: n.id } }), [appId, n.id, n.updatedAt]);
  const [test, setTest] = useState<{ status: string; detail: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const runTest = async () => {
    setBusy(true);
    setTest(undefined);
    try {
      const { delivery } = global
        ? await api.post('/v1/notifiers/{id}/test', { path: { id: n.id } })
        : await api.post('/v1/apps/{appId}/notifiers/{id}/test', { path: { appId, id: n.id } });
      const last = delivery.lastAttempt;
      setTest({
        status: delivery.status,
        detail: last ? `${last.statusCode ?? ''} ${last.error ?? ''} ${last.latencyMs} ms`.trim() : (delivery.reason ?? ''),
      });
      stats.reload();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const toggle = async () => {
    try {
      const body = { enabled: !n.enabled };
      if (global) await api.patch('/v1/notifiers/{id}', { path: { id: n.id }, body });
      else await api.patch('/v1/apps/{appId}/notifiers/{id}', { path: { appId, id: n.id }, body });
      onChange();
    } catch (err) {
      setError(errorText(err));
    }
  };
  const s = stats.data?.stats;
  const editHref = global ? href(['global', 'notifiers', n.id]) : href(['apps', appId, 'notifiers', n.id]);
  return html`<tr data-notifier=${n.name}>
    <td>
      <a href=${editHref}><strong>${n.name}</strong></a>
      ${n.default ? html` <span class="tag">default</span>` : null}
      ${n.enabled ? null : html` <span class="tag warn" title=${n.disabledReason ?? ''}>disabled</span>`}
      ${n.failingSince ? html` <span class="tag bad">failing since ${ago(n.failingSince)}</span>` : null}
      ${error ? html`<div class="field-error" role="alert">${error}</div>` : null}
    </td>
    <td>${n.channel ?? (n.escalation ? 'escalation' : 'contacts')}</td>
    <td class="recipient">
      ${recipientOf(n, named)} ${n.failover ? html`<div class="muted small failover-summary">${failoverSummary(n.failover, named)}</div>` : null}
      ${n.rate ? html`<div class="muted small rate-summary">${rateSummary(n.rate)}</div>` : null}
    </td>
    <td class="selection" title=${n.events.join(', ')}>
      ${selectionOf(n)} ${n.grouping ? html`<div class="muted small grouping-summary">${groupingSummary(n.grouping)}</div>` : null}
      ${n.digest ? html`<div class="muted small digest-summary">${digestSummary(n.digest)}</div>` : null}
    </td>
    <td>
      ${s?.last ? html`<${Status} status=${s.last.status} /> <span class="muted" title=${s.last.at}>${ago(s.last.at)}</span>` : html`<span class="muted">no delivery</span>`}
      ${s && s.successRate !== null ? html`<div class="muted small">${Math.round(s.successRate * 100)} % of ${s.sent + s.failed + s.dead} sent${s.latencyMs ? `, p95 ${s.latencyMs.p95} ms` : ''}</div>` : null}
    </td>
    <td class="row-actions">
      ${
        // A policy has nothing of its own to test: its steps' notifiers have.
        n.escalation
          ? null
          : html`<button class="button small" type="button" onClick=${runTest} disabled=${busy} aria-label=${`Test ${n.name}`}>
              ${busy ? 'Testing…' : 'Test'}
            </button>`
      }
      <button class="button small ghost" type="button" onClick=${toggle}>${n.enabled ? 'Disable' : 'Enable'}</button>
      ${test ? html`<div class="test-result" role="status">Test: <${Status} status=${test.status} /> <span class="muted">${test.detail}</span></div>` : null}
    </td>
  </tr>`;
}
