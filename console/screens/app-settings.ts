import { api, errorText, type App } from '../api.js';
import { Dialog, ErrorNote, Page, Table, Time } from '../components/ui.js';
import { useLoad } from '../components/use-load.js';
import { html, useState } from '../html.js';
import { navigate } from '../router.js';
import { AppForm, KeyOnce } from './apps.js';

/** One app: its settings, its keys (new, revoke), and deleting it. */
export function AppScreen({ appId, onChange }: { appId: string; onChange: () => void }) {
  const app = useLoad(() => api.get('/v1/apps/{appId}', { path: { appId } }), [appId]);
  const keys = useLoad(() => api.get('/v1/apps/{appId}/keys', { path: { appId } }), [appId]);
  const [newKey, setNewKey] = useState<string>();
  const [deleting, setDeleting] = useState(false);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<string>();
  const act = (fn: () => Promise<unknown>) => fn().catch((err: unknown) => setError(errorText(err)));
  if (!app.data) return html`<${Page} title=${appId}><${ErrorNote} error=${app.error} /><//>`;
  return html`<${Page}
    title=${app.data.app.name}
    actions=${html`<button class="button danger" type="button" onClick=${() => setDeleting(true)}>Delete app</button>`}
  >
    <${ErrorNote} error=${error} />
    ${saved ? html`<p class="ok-note" role="status">Saved.</p>` : null}
    <${AppForm}
      app=${app.data.app}
      onSaved=${() => {
        setSaved(true);
        app.reload();
        onChange();
      }}
    />
    <div class="card">
      <div class="card-head">
        <h2>Ingest keys</h2>
        <button
          class="button"
          type="button"
          onClick=${() =>
            act(async () => {
              setNewKey((await api.post('/v1/apps/{appId}/keys', { path: { appId } })).apiKey);
              keys.reload();
            })}
        >
          New key
        </button>
      </div>
      <p class="muted">
        To rotate a key: make a new one, move your app to it, then revoke the old one. A revoked key is refused from the next request on.
      </p>
      <${Table} head=${['Key', 'Created', 'Revoked']} actions>
        ${(keys.data?.keys ?? []).map(
          (k) =>
            html`<tr>
              <td><code>${k.prefix}…</code></td>
              <td><${Time} at=${k.createdAt} /></td>
              <td><${Time} at=${k.revokedAt} /></td>
              <td class="row-actions">
                ${
                  k.revokedAt
                    ? null
                    : html`<button
                        class="button small danger"
                        type="button"
                        onClick=${() =>
                          act(async () => {
                            await api.delete('/v1/apps/{appId}/keys/{keyId}', { path: { appId, keyId: k.id } });
                            keys.reload();
                          })}
                      >
                        Revoke
                      </button>`
                }
              </td>
            </tr>`,
        )}
      <//>
    </div>
      ${newKey ? html`<${KeyOnce} title="A new ingest key" apiKey=${newKey} onDone=${() => setNewKey(undefined)} />` : null}
      ${
        deleting
          ? html`<${DeleteApp}
              app=${app.data.app}
              onClose=${() => setDeleting(false)}
              onDeleted=${() => {
                onChange();
                localStorage.removeItem('herald.app');
                navigate(['apps']);
              }}
            />`
          : null
      }
    <//>`;
}

function DeleteApp({ app, onClose, onDeleted }: { app: App; onClose: () => void; onDeleted: () => void }) {
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string>();
  const remove = async () => {
    try {
      await api.delete('/v1/apps/{appId}', { path: { appId: app.id } });
      onDeleted();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return html`<${Dialog} title=${`Delete ${app.name}?`} onClose=${onClose}>
    <p>
      Its keys stop working and its notifiers go, after they are told (<code>app_deleted</code>). Type <strong>${app.id}</strong> to
      confirm.
    </p>
    <${ErrorNote} error=${error} />
    <label for="confirm-id" class="visually-hidden">App id</label>
    <input id="confirm-id" autocomplete="off" value=${typed} onInput=${(e: Event) => setTyped((e.target as HTMLInputElement).value)} />
    <div class="dialog-actions">
      <button class="button danger" type="button" disabled=${typed !== app.id} onClick=${remove}>Delete app</button>
      <button class="button" type="button" onClick=${onClose}>Cancel</button>
    </div>
  <//>`;
}
