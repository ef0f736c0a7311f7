import { api } from '../api.js';
import { ago, Empty, ErrorNote, Page, Status, Time, Table } from '../components/ui.js';
import { useLoad } from '../components/use-load.js';
import { html } from '../html.js';

/** The servers that send heartbeats for an app: online or offline, since when. */
export function ServersScreen({ appId }: { appId: string }) {
  const servers = useLoad(() => api.get('/v1/apps/{appId}/servers', { path: { appId } }), [appId], 10_000);
  const data = servers.data;
  return html`<${Page} title="Servers">
    <${ErrorNote} error=${servers.error} />
    ${data ? html`<p class="muted">A server silent for ${data.heartbeat.offlineAfterSeconds} s is offline${data.heartbeat.forgetOffline ? ' and forgotten' : ' (server.offline goes out)'}.</p>` : null}
    ${
      data && !data.servers.length
        ? html`<${Empty} title="No heartbeats yet">Servers say they are alive with the app's ingest key: <code>POST /v1/heartbeats {"server":"web-1"}</code>, every minute or so.</${Empty}>`
        : null
    }
    ${
      data?.servers.length
        ? html`<${Table} head=${['Server', 'State', 'Since', 'Last heartbeat']}>
            ${data.servers.map(
              (s) =>
                html`<tr>
                  <td><strong>${s.server}</strong></td>
                  <td><${Status} status=${s.state} /></td>
                  <td><${Time} at=${s.since} /></td>
                  <td>${ago(s.lastSeenAt)}</td>
                </tr>`,
            )}
          <//>`
        : null
    }
  <//>`;
}
