import { api, errorText } from '../api.js';
import { Empty, ErrorNote, Page, Status, Time, Table } from '../components/ui.js';
import { useLoad } from '../components/use-load.js';
import { html, useState } from '../html.js';
import { href } from '../router.js';

const FAMILIES = ['email', 'sms', 'slack', 'webhook', 'chat', 'push', 'incident'] as const;
type Family = (typeof FAMILIES)[number];

/** Dead letters: how many per channel family, the dead deliveries with their last error, and Redrive. */
export function DeadLettersScreen({ family }: { family?: string | undefined }) {
  const counts = useLoad(() => api.get('/v1/dlq', {}), [], 5000);
  const chosen = (FAMILIES as readonly string[]).includes(family ?? '') ? (family as Family) : undefined;
  const letters = useLoad(
    async () => (chosen ? api.get('/v1/dlq/{channel}', { path: { channel: chosen }, query: { limit: 100 } }) : undefined),
    [chosen],
    5000,
  );
  const [moved, setMoved] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const redrive = async () => {
    if (!chosen) return;
    setBusy(true);
    try {
      const result = await api.post('/v1/dlq/{channel}/redrive', { path: { channel: chosen } });
      setMoved(
        `Redrive: ${result.moved} ${result.moved === 1 ? 'delivery' : 'deliveries'} moved back to the ${chosen} queue, with fresh attempts.`,
      );
      counts.reload();
      letters.reload();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return html`<${Page} title="Dead letters">
    <p class="muted">
      A delivery that used up its attempts is dead. Fix the receiver, then redrive its family: each dead delivery gets a fresh set of
      attempts, and one sent meanwhile is not sent twice.
    </p>
    <${ErrorNote} error=${error ?? counts.error} />
    <div class="tiles" role="list">
      ${FAMILIES.map((f) => {
        const n = counts.data?.channels[f]?.messages ?? 0;
        return html`<a
          role="listitem"
          class=${`tile${f === chosen ? ' on' : ''}${n ? ' bad' : ''}`}
          href=${href(['dlq', f])}
          aria-current=${f === chosen ? 'page' : undefined}
        >
          <span class="tile-count" data-family=${f}>${n}</span><span>${f}</span>
        </a>`;
      })}
    </div>
    ${moved ? html`<p class="ok-note" role="status">${moved}</p>` : null}
    ${
      chosen
        ? html`<div class="section-head">
              <h2>${chosen}</h2>
              <button class="button primary" type="button" disabled=${busy} onClick=${redrive}>Redrive ${chosen}</button>
            </div>
            ${letters.data && !letters.data.deliveries.length ? html`<${Empty} title=${`No dead ${chosen} deliveries`}>Nothing to redrive.</${Empty}>` : null}
            ${
              letters.data?.deliveries.length
                ? html`<${Table} head=${['Died', 'App', 'Event', 'Channel', 'Recipient', 'Attempts', 'Last error']}>
                    ${letters.data.deliveries.map(
                      (d) =>
                        html`<tr>
                          <td>
                            <a href=${href(['apps', d.appId, 'deliveries', d.id])}><${Time} at=${d.lastAttempt?.at ?? d.createdAt} /></a>
                          </td>
                          <td>${d.appId}</td>
                          <td><code>${d.eventType ?? '—'}</code></td>
                          <td>${d.channel}</td>
                          <td class="recipient">${d.recipient}</td>
                          <td class="num">${d.attemptCount}</td>
                          <td>
                            <${Status} status="dead" /> ${d.lastAttempt?.statusCode ?? ''}
                            <span class="muted">${d.lastAttempt?.error ?? d.reason ?? ''}</span>
                          </td>
                        </tr>`,
                    )}
                  <//>`
                : null
            }`
        : html`<p>Pick a family to see its dead deliveries.</p>`
    }
  <//>`;
}
