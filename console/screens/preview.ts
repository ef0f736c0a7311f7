import { api, errorText, HeraldApiError, type EventType } from '../api.js';
import { ErrorNote, Field, fieldErrors, Page, type FieldErrors, Table } from '../components/ui.js';
import { useLoad } from '../components/use-load.js';
import { html, useEffect, useState } from '../html.js';

const CHANNELS = { email: 'Email', sms: 'SMS', slack: 'Slack', chat: 'Chat and push' } as const;
type Part = keyof typeof CHANNELS;

/**
 * Appmonitor's preview: pick an event type, a language and a channel, edit the event's data,
 * and see every part rendered with the placeholders and their values.
 */
export function PreviewScreen({ query }: { query: URLSearchParams }) {
  const catalog = useLoad(() => api.get('/v1/event-types', {}), []);
  const [type, setType] = useState(query.get('type') ?? 'app_deployed');
  const [locale, setLocale] = useState<'en' | 'de' | 'fr'>('en');
  const [part, setPart] = useState<Part>('email');
  const [title, setTitle] = useState('Deployed v42');
  const [data, setData] = useState('{\n  "commit": "ac77098",\n  "branch": "main"\n}');
  const [result, setResult] = useState<any>();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string>();
  useEffect(() => {
    const timer = setTimeout(async () => {
      let parsed: Record<string, unknown> | undefined;
      try {
        parsed = data.trim() ? (JSON.parse(data) as Record<string, unknown>) : undefined;
      } catch (err) {
        setErrors({ 'event.data': `not JSON: ${(err as Error).message}` });
        return;
      }
      try {
        setResult(
          await api.post('/v1/preview', {
            body: { event: { type, ...(title ? { title } : {}), ...(parsed ? { data: parsed } : {}) }, locale },
          }),
        );
        setErrors({});
        setError(undefined);
      } catch (err) {
        setErrors(err instanceof HeraldApiError ? fieldErrors(err.details) : {});
        setError(errorText(err));
      }
    }, 250);
    return () => clearTimeout(timer);
  }, [type, locale, title, data]);
  const types = (catalog.data?.eventTypes ?? []) as EventType[];
  const rendered = result?.parts?.[part] as Record<string, unknown> | undefined;
  return html`<${Page} title="Preview">
    <div class="preview">
      <form class="card form" onSubmit=${(e: Event) => e.preventDefault()} aria-label="The event">
        <${Field} id="p-type" label="Event type" error=${errors['event.type']}>
          <select id="p-type" value=${type} onChange=${(e: Event) => setType((e.target as HTMLSelectElement).value)}>
            ${types.map((t) => html`<option value=${t.type}>${t.displayName} (${t.type})</option>`)}
          </select>
        <//>
        <div class="grid2">
          <${Field} id="p-locale" label="Language">
            <select id="p-locale" value=${locale} onChange=${(e: Event) => setLocale((e.target as HTMLSelectElement).value as 'en')}>
              <option value="en">English</option>
              <option value="de">Deutsch</option>
              <option value="fr">Français</option>
            </select>
          <//>
          <${Field} id="p-channel" label="Channel">
            <select id="p-channel" value=${part} onChange=${(e: Event) => setPart((e.target as HTMLSelectElement).value as Part)}>
              ${Object.entries(CHANNELS).map(([k, label]) => html`<option value=${k}>${label}</option>`)}
            </select>
          <//>
        </div>
        <${Field} id="p-title" label="Title" error=${errors['event.title']}
          ><input id="p-title" value=${title} onInput=${(e: Event) => setTitle((e.target as HTMLInputElement).value)}
        /><//>
        <${Field} id="p-data" label="Data (JSON)" error=${errors['event.data']}>
          <textarea
            id="p-data"
            class="code"
            rows="8"
            spellcheck="false"
            value=${data}
            onInput=${(e: Event) => setData((e.target as HTMLTextAreaElement).value)}
          ></textarea>
        <//>
        <${ErrorNote} error=${error} />
      </form>
      <div class="card rendered" aria-live="polite">
        <h2>${CHANNELS[part]} <span class="muted">(${result?.locale ?? locale})</span></h2>
        ${
          rendered
            ? html`<dl class="parts">
                ${Object.entries(rendered)
                  .filter(([k]) => k !== 'blocks')
                  .map(
                    ([k, v]) =>
                      html`<dt>${part}.${k}</dt>
                        <dd><pre class=${k === 'html' ? 'code' : ''}>${String(v)}</pre></dd>`,
                  )}
              </dl>`
            : html`<p class="muted">Rendering…</p>`
        }
        <h3>Placeholders</h3>
        <${Table} head=${['Placeholder', 'Value']} className="placeholders">
          ${Object.entries(result?.placeholders ?? {}).map(
            ([k, v]) =>
              html`<tr>
                <td><code>{{ ${k} }}</code></td>
                <td>
                  ${v === null || v === undefined || v === '' ? html`<span class="muted">(empty)</span>` : typeof v === 'object' ? JSON.stringify(v) : String(v)}
                </td>
              </tr>`,
          )}
        <//>
      </div>
    </div>
    <//>`;
}
