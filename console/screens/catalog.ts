import { api, type EventType } from '../api.js';
import { ErrorNote, Page, Table } from '../components/ui.js';
import { useLoad } from '../components/use-load.js';
import { html, useState } from '../html.js';

/** The event catalog by category: each type's display name, default severity and whether it is critical. */
export function CatalogScreen() {
  const catalog = useLoad(() => api.get('/v1/event-types', {}), []);
  const [filter, setFilter] = useState('');
  const types = ((catalog.data?.eventTypes ?? []) as EventType[]).filter(
    (t) => !filter || `${t.type} ${t.displayName} ${t.category}`.toLowerCase().includes(filter.toLowerCase()),
  );
  const categories = [...new Set(types.map((t) => t.category))].sort();
  return html`<${Page}
    title="Catalog"
    actions=${html`<label><span class="visually-hidden">Find a type</span><input type="search" placeholder="Find a type" value=${filter} onInput=${(e: Event) => setFilter((e.target as HTMLInputElement).value)} /></label>`}
  >
    <${ErrorNote} error=${catalog.error} />
    <p class="muted">
      Any other well-formed type is accepted too, as <code>custom</code>. Select a category in a notifier with <code>@category</code>.
    </p>
    ${categories.map(
      (c) =>
        html`<section class="card">
          <h2>@${c}</h2>
          <${Table} head=${['Type', 'Name', 'Severity', 'Critical']}>
            ${types
              .filter((t) => t.category === c)
              .map(
                (t) =>
                  html`<tr>
                    <td><code>${t.type}</code></td>
                    <td title=${t.description}>${t.displayName}</td>
                    <td><span class=${`sev sev-${t.severity}`}>${t.severity}</span></td>
                    <td>${t.critical ? 'yes' : ''}</td>
                  </tr>`,
              )}
          <//>
        </section>`,
    )}
  <//>`;
}
