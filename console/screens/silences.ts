import { errorText, silencesOf, type Silence } from '../api.js';
import { Dialog, Empty, ErrorNote, Page, Status, Table, When } from '../components/ui.js';
import { useLoad } from '../components/use-load.js';
import { html, useState } from '../html.js';
import { SilenceForm } from './silence-form.js';

/**
 * An app's silences and the global ones (every app's events): what each matches, from when
 * to when, why and who, how many events it silenced; New silence (with its preview) and
 * Expire, which ends one now.
 */
export function SilencesScreen({ appId }: { appId: string }) {
  const [adding, setAdding] = useState<string>();
  // Bumped when one is made: the lists load again.
  const [created, setCreated] = useState(0);
  const form = (scope: string) =>
    adding === scope
      ? html`<${SilenceForm}
          appId=${appId}
          scope=${scope}
          onCancel=${() => setAdding(undefined)}
          onCreated=${() => {
            setAdding(undefined);
            setCreated((n) => n + 1);
          }}
        />`
      : null;
  return html`<${Page}
    title="Silences"
    actions=${adding ? null : html`<button class="button primary" type="button" onClick=${() => setAdding(appId)}>New silence</button>`}
  >
    <p class="muted">
      An event every matcher of an active silence matches is sent to nobody: the delivery log shows it suppressed, with the reason${' '}
      <code>${'silenced: <id>'}</code>. For maintenance, or a problem someone is already on.
    </p>
    ${form(appId)}
    <${SilenceList} key=${`${appId}/${created}`} scope=${appId} empty=${`No silences for ${appId}`} />
    <div class="section-head">
      <h2>All apps</h2>
      ${adding ? null : html`<button class="button" type="button" onClick=${() => setAdding('*')}>New global silence</button>`}
    </div>
    <p class="muted">Global silences: they silence the events of every app.</p>
    ${form('*')}
    <${SilenceList} key=${`*/${created}`} scope="*" empty="No global silences" />
  <//>`;
}

function SilenceList({ scope, empty }: { scope: string; empty: string }) {
  const list = useLoad(() => silencesOf(scope).list(), [scope], 10_000);
  const [asked, setAsked] = useState<Silence>();
  return html`
    <${ErrorNote} error=${list.error} />
    ${list.loading && !list.data ? html`<p class="muted" aria-live="polite">Loading…</p>` : null}
    ${list.data && !list.data.length ? html`<${Empty} title=${empty}>New silence: matchers, how long, and why.</${Empty}>` : null}
    ${
      list.data?.length
        ? html`<${Table} head=${['State', 'Matchers', 'Starts', 'Ends', 'Comment', 'By', 'Silenced']} actions className="silences">
            ${list.data.map(
              (s) =>
                html`<tr data-silence=${s.id}>
                  <td><${Status} status=${s.state} /></td>
                  <td><${Matchers} silence=${s} /></td>
                  <td><${When} at=${s.startsAt} /></td>
                  <td><${When} at=${s.expiredAt ?? s.endsAt} /></td>
                  <td class="silence-comment">${s.comment}</td>
                  <td>${s.createdBy}</td>
                  <td class="num">${s.silenced}</td>
                  <td class="row-actions">
                    ${
                      s.state === 'expired'
                        ? null
                        : html`<button class="button small danger" type="button" aria-label=${`Expire the silence ${s.comment}`} onClick=${() => setAsked(s)}>
                            Expire
                          </button>`
                    }
                  </td>
                </tr>`,
            )}
          <//>`
        : null
    }
    ${
      asked
        ? html`<${ExpireDialog}
            scope=${scope}
            silence=${asked}
            onClose=${() => setAsked(undefined)}
            onDone=${() => {
              setAsked(undefined);
              list.reload();
            }}
          />`
        : null
    }
  `;
}

/** `field op "value"`, one chip each: what every event it silences has. */
function Matchers({ silence }: { silence: Silence }) {
  return html`<ul class="matchers" aria-label="Matchers (all must match)">
    ${silence.matchers.map((m) => html`<li class="matcher"><code>${m.field} ${m.op} ${JSON.stringify(m.value)}</code></li>`)}
  </ul>`;
}

/** Expire, once the user says so: the silence ends now (and stays listed, expired). */
function ExpireDialog({ scope, silence, onClose, onDone }: { scope: string; silence: Silence; onClose: () => void; onDone: () => void }) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const go = async () => {
    setBusy(true);
    try {
      await silencesOf(scope).expire(silence.id);
      onDone();
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };
  return html`<${Dialog} title="Expire this silence?" onClose=${onClose}>
    <p>
      <strong>${silence.comment}</strong>: the events it matches are sent again from now on${scope === '*' ? ', for every app' : ''}. It stays
      listed, expired.
    </p>
    <${ErrorNote} error=${error} />
    <div class="dialog-actions">
      <button class="button danger" type="button" disabled=${busy} onClick=${go}>Expire silence</button>
      <button class="button" type="button" onClick=${onClose}>Cancel</button>
    </div>
  <//>`;
}
