import type { CreatedSource, Source } from '@herald/client';
import { errorText, sources } from '../api.js';
import { sourceSnippet } from '../components/source-snippets.js';
import { CopyButton, Dialog, Empty, ErrorNote, Page, Table, Time } from '../components/ui.js';
import { useLoad } from '../components/use-load.js';
import { html, useState } from '../html.js';
import { KIND_NAMES, SourceForm } from './source-form.js';

/**
 * An app's inbound sources: the URLs its monitoring tools, SNS topics and GitHub post to.
 * A source's secret is shown once, when it is made or rotated, with what to paste into the tool.
 */
export function SourcesScreen({ appId }: { appId: string }) {
  const list = useLoad(() => sources.list(appId), [appId]);
  const [adding, setAdding] = useState(false);
  const [shown, setShown] = useState<{ created: CreatedSource; rotated?: boolean }>();
  const [asked, setAsked] = useState<{ source: Source; action: 'rotate' | 'delete' }>();
  return html`<${Page}
    title="Sources"
    actions=${adding ? null : html`<button class="button primary" type="button" onClick=${() => setAdding(true)}>Add source</button>`}
  >
    <p class="muted">
      Tools that already watch your systems post their alerts here: Alertmanager, Grafana, CloudWatch alarms through Amazon SNS, GitHub,
      or any tool that posts JSON. Each alert becomes an event of ${appId}, routed like any other.
    </p>
    <${ErrorNote} error=${list.error} />
    ${
      adding
        ? html`<${SourceForm}
            appId=${appId}
            onCancel=${() => setAdding(false)}
            onCreated=${(created: CreatedSource) => {
              setAdding(false);
              setShown({ created });
              list.reload();
            }}
          />`
        : null
    }
    ${
      list.data && !list.data.length && !adding
        ? html`<${Empty} title="No sources yet">Add one: it gets a URL to paste into the tool, and a secret the tool proves itself with.</${Empty}>`
        : null
    }
    ${
      list.data?.length
        ? html`<${Table} head=${['Source', 'Kind', 'URL', 'Created', 'Secret']} actions className="sources">
            ${list.data.map(
              (s) =>
                html`<tr data-source=${s.name}>
                  <td><strong>${s.name}</strong></td>
                  <td>${KIND_NAMES[s.kind]}</td>
                  <td class="source-url"><code>${s.url}</code> <${CopyButton} text=${s.url} label="Copy URL" /></td>
                  <td><${Time} at=${s.createdAt} /></td>
                  <td>${rotationOf(s)}</td>
                  <td class="row-actions">
                    ${
                      s.kind === 'sns'
                        ? null
                        : html`<button class="button small" type="button" aria-label=${`Rotate the secret of ${s.name}`} onClick=${() => setAsked({ source: s, action: 'rotate' })}>
                            Rotate
                          </button>`
                    }
                    <button class="button small danger" type="button" aria-label=${`Delete ${s.name}`} onClick=${() => setAsked({ source: s, action: 'delete' })}>
                      Delete
                    </button>
                  </td>
                </tr>`,
            )}
          <//>`
        : null
    }
    ${shown ? html`<${SecretOnce} ...${shown} onDone=${() => setShown(undefined)} />` : null}
    ${
      asked
        ? html`<${Confirm}
            appId=${appId}
            ...${asked}
            onClose=${() => setAsked(undefined)}
            onDone=${(created?: CreatedSource) => {
              setAsked(undefined);
              if (created) setShown({ created, rotated: true });
              list.reload();
            }}
          />`
        : null
    }
  <//>`;
}

function rotationOf(s: Source) {
  if (s.kind === 'sns') return html`<span class="muted">none: SNS signs its messages</span>`;
  if (s.previousSecretUntil && Date.parse(s.previousSecretUntil) > Date.now())
    return html`<span class="tag warn">rotated</span> <span class="muted small">the old one is taken until <${Time} at=${s.previousSecretUntil} /></span>`;
  return html`<span class="muted">set</span>`;
}

/** The URL and the secret, this once, with what to paste into the tool. */
function SecretOnce({ created, rotated, onDone }: { created: CreatedSource; rotated?: boolean; onDone: () => void }) {
  const { source, secret } = created;
  const snippet = sourceSnippet(source, secret);
  return html`<${Dialog} title=${rotated ? `A new secret for ${source.name}` : `${source.name} is ready`} onClose=${onDone}>
    <p>Paste the URL into ${KIND_NAMES[source.kind]}${secret ? ', with the secret' : ''}.</p>
    <div class="key-once"><code data-testid="source-url">${source.url}</code> <${CopyButton} text=${source.url} label="Copy URL" /></div>
    ${
      secret
        ? html`<p>
              The secret is shown <strong>this once</strong>: Herald keeps ${source.kind === 'github' ? 'it to check signatures' : 'only its hash'}, and
              cannot show it again.${rotated ? ' The previous secret is still taken for 24 hours, time to paste this one into the tool.' : ''}
            </p>
            <div class="key-once"><code data-testid="source-secret">${secret}</code> <${CopyButton} text=${secret} label="Copy secret" /></div>`
        : html`<p class="muted">No secret: Herald checks the signature of every message SNS sends.</p>`
    }
    <p id="snippet-label"><strong>${snippet.label}</strong></p>
    <pre class="code snippet" aria-labelledby="snippet-label" tabindex="0"><code>${snippet.text}</code></pre>
    <div class="dialog-actions">
      <button class="button primary" type="button" onClick=${onDone}>I have kept it</button>
      <${CopyButton} text=${snippet.text} label="Copy snippet" />
    </div>
  <//>`;
}

/** Rotate or delete, once the user says so. */
function Confirm({
  appId,
  source,
  action,
  onClose,
  onDone,
}: {
  appId: string;
  source: Source;
  action: 'rotate' | 'delete';
  onClose: () => void;
  onDone: (created?: CreatedSource) => void;
}) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const go = async () => {
    setBusy(true);
    try {
      if (action === 'rotate') onDone(await sources.rotate(appId, source.id));
      else {
        await sources.delete(appId, source.id);
        onDone();
      }
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };
  const rotate = action === 'rotate';
  return html`<${Dialog} title=${rotate ? `Rotate the secret of ${source.name}?` : `Delete ${source.name}?`} onClose=${onClose}>
    <p>
      ${
        rotate
          ? 'A new secret is made and shown once. The current one is still taken for 24 hours: paste the new one into the tool before then.'
          : `Its URL refuses everything from now on: ${KIND_NAMES[source.kind]} gets 404 until it is pointed elsewhere. Events it sent stay.`
      }
    </p>
    <${ErrorNote} error=${error} />
    <div class="dialog-actions">
      <button class=${`button ${rotate ? 'primary' : 'danger'}`} type="button" disabled=${busy} onClick=${go}>
        ${rotate ? 'Rotate secret' : 'Delete source'}
      </button>
      <button class="button" type="button" onClick=${onClose}>Cancel</button>
    </div>
  <//>`;
}
