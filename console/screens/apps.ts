import { api, errorText, HeraldApiError, type App } from '../api.js';
import { CopyButton, Dialog, Empty, ErrorNote, Field, fieldErrors, Page, Time, type FieldErrors, Table } from '../components/ui.js';
import { useLoad } from '../components/use-load.js';
import { html, useState } from '../html.js';
import { href, navigate } from '../router.js';

/** Apps: the list, and a new app (its ingest key shown once). */
export function AppsScreen({ onChange }: { onChange: () => void }) {
  const apps = useLoad(() => api.get('/v1/apps', { query: { limit: 100 } }), []);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<{ app: App; apiKey: string }>();
  return html`<${Page}
    title="Apps"
    actions=${html`<button class="button primary" type="button" onClick=${() => setCreating(true)}>New app</button>`}
  >
    <${ErrorNote} error=${apps.error} />
    ${
      created
        ? html`<${KeyOnce}
            title=${`${created.app.name} is ready`}
            apiKey=${created.apiKey}
            onDone=${() => {
              setCreated(undefined);
              navigate(['apps', created.app.id, 'notifiers']);
            }}
          />`
        : null
    }
    ${
      creating
        ? html`<${AppForm}
            onCancel=${() => setCreating(false)}
            onSaved=${(result: { app: App; apiKey: string }) => {
              setCreating(false);
              setCreated(result);
              apps.reload();
              onChange();
            }}
          />`
        : null
    }
    ${
      apps.data && !apps.data.apps.length && !creating
        ? html`<${Empty} title="No apps yet">An app is what posts events. Create one: it gets an ingest key and a default notifier that mails its owner.</${Empty}>`
        : null
    }
    ${
      apps.data?.apps.length
        ? html`<${Table} head=${['App', 'Owner', 'Created']} actions>
            ${apps.data.apps.map(
              (a) =>
                html`<tr>
                  <td>
                    <a href=${href(['apps', a.id, 'deliveries'])}><strong>${a.name}</strong></a> <code class="muted">${a.id}</code>
                  </td>
                  <td>${a.owner.email}</td>
                  <td><${Time} at=${a.createdAt} /></td>
                  <td class="row-actions">
                    <a href=${href(['apps', a.id, 'notifiers'])}>Notifiers</a> <a href=${href(['apps', a.id])}>Settings</a>
                  </td>
                </tr>`,
            )}
          <//>`
        : null
    }
  <//>`;
}

/** A key shown this once, with a copy button. */
export function KeyOnce({ title, apiKey, onDone }: { title: string; apiKey: string; onDone: () => void }) {
  return html`<${Dialog} title=${title} onClose=${onDone}>
    <p>
      This ingest key is shown <strong>this once</strong>. Apps post events and heartbeats with it (<code>Authorization: Bearer …</code>).
    </p>
    <div class="key-once"><code data-testid="new-key">${apiKey}</code> <${CopyButton} text=${apiKey} /></div>
    <div class="dialog-actions"><button class="button primary" type="button" onClick=${onDone}>I have kept it</button></div>
  <//>`;
}

function metadataText(m?: Record<string, string>): string {
  return Object.entries(m ?? {})
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
}
function parseMetadata(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\n')
      .map((l) => /^\s*([^:]+?)\s*:\s*(.*)$/.exec(l))
      .filter((m): m is RegExpExecArray => !!m)
      .map((m) => [m[1], m[2]]),
  );
}

export function AppForm({ app, onSaved, onCancel }: { app?: App; onSaved: (r: any) => void; onCancel?: () => void }) {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const f = (e.target as HTMLFormElement).elements as unknown as Record<string, HTMLInputElement>;
    const metadata = parseMetadata(f['metadata']?.value ?? '');
    setBusy(true);
    try {
      if (app) {
        // A merge patch: a metadata entry taken out is removed (null).
        const removed = Object.fromEntries(
          Object.keys(app.metadata ?? {})
            .filter((k) => !(k in metadata))
            .map((k) => [k, null]),
        );
        const body = { name: f['name']?.value, owner: { email: f['owner']?.value ?? '' }, metadata: { ...removed, ...metadata } };
        onSaved(await api.patch('/v1/apps/{appId}', { path: { appId: app.id }, body }));
      } else {
        const body = {
          id: f['id']?.value ?? '',
          name: f['name']?.value ?? '',
          owner: { email: f['owner']?.value ?? '' },
          ...(Object.keys(metadata).length ? { metadata } : {}),
        };
        onSaved(await api.post('/v1/apps', { body }));
      }
      setErrors({});
      setError(undefined);
    } catch (err) {
      setErrors(err instanceof HeraldApiError ? fieldErrors(err.details) : {});
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  // The fields hold what is typed (defaultValue, not value): the render of a press of the button, or of a refusal, keeps it.
  return html`<form class="card form" onSubmit=${submit} novalidate>
    <h2>${app ? 'Settings' : 'New app'}</h2>
    <${ErrorNote} error=${error} />
    ${
      app
        ? null
        : html`<${Field} id="app-id" label="Id" hint="a-z, 0-9 and -: it names the app in URLs and events" error=${errors['id']}>
            <input id="app-id" name="id" required pattern="[a-z0-9][a-z0-9-]{0,62}" autocomplete="off" />
          <//>`
    }
    <${Field} id="app-name" label="Name" error=${errors['name']}><input id="app-name" name="name" required defaultValue=${app?.name ?? ''} /><//>
    <${Field}
      id="app-owner"
      label="Owner's email"
      hint="the default notifier mails the owner critical events"
      error=${errors['owner.email'] ?? errors['owner']}
    >
      <input id="app-owner" name="owner" type="email" required defaultValue=${app?.owner.email ?? ''} />
    <//>
    <${Field}
      id="app-metadata"
      label="Metadata (optional)"
      hint="One per line, Name: value (url, website, host…)"
      error=${Object.entries(errors).find(([p]) => p.startsWith('metadata'))?.[1]}
    >
      <textarea id="app-metadata" name="metadata" rows="3" spellcheck="false">${metadataText(app?.metadata)}</textarea>
    <//>
    <div class="form-actions">
      <button class="button primary" type="submit" disabled=${busy}>${app ? 'Save' : 'Create app'}</button>
      ${onCancel ? html`<button class="button" type="button" onClick=${onCancel}>Cancel</button>` : null}
    </div>
  </form>`;
}
