import { api, type App } from './api.js';
import { useLoad } from './components/use-load.js';
import { html, useEffect, useState, type VNode } from './html.js';
import { href, navigate, useRoute } from './router.js';
import { AppScreen } from './screens/app-settings.js';
import { AppsScreen } from './screens/apps.js';
import { CatalogScreen } from './screens/catalog.js';
import { ContactsScreen } from './screens/contacts.js';
import { DeadLettersScreen } from './screens/dead-letters.js';
import { DeliveriesScreen } from './screens/deliveries.js';
import { GroupsScreen } from './screens/groups.js';
import { IncidentsScreen, OpenIncidents } from './screens/incidents.js';
import { NotifierFormScreen } from './screens/notifier-form.js';
import { NotifiersScreen } from './screens/notifiers.js';
import { PreviewScreen } from './screens/preview.js';
import { ServersScreen } from './screens/servers.js';
import { SilencesScreen } from './screens/silences.js';
import { SourcesScreen } from './screens/sources.js';

const LAST_APP = 'herald.app';

/** The frame around every screen: the app picker, the navigation, the theme and sign-out. */
export function Shell({ onSignOut }: { onSignOut: () => void }) {
  const route = useRoute();
  const apps = useLoad(() => api.get('/v1/apps', { query: { limit: 100 } }), []);
  const [menuOpen, setMenuOpen] = useState(false);
  const [scope, appFromRoute] = route.parts;
  const appId = scope === 'apps' && appFromRoute ? appFromRoute : (localStorage.getItem(LAST_APP) ?? apps.data?.apps[0]?.id);
  useEffect(() => {
    if (scope === 'apps' && appFromRoute) localStorage.setItem(LAST_APP, appFromRoute);
  }, [scope, appFromRoute]);
  useEffect(() => setMenuOpen(false), [location.hash]);
  // The start page: the last app's deliveries, else the apps (once they are known).
  const loaded = !!apps.data || !!apps.error;
  useEffect(() => {
    if (!scope && loaded) navigate(appId ? ['apps', appId, 'deliveries'] : ['apps'], undefined, true);
  }, [scope, loaded]);
  if (!scope) return null;
  // The global screens (#/global/contacts) are sections of their own: `global-contacts`.
  const section =
    scope === 'apps' ? (route.parts[2] ?? (appFromRoute ? 'settings' : 'apps')) : scope === 'global' ? `global-${appFromRoute}` : scope;
  const link = (label: string, target: string, parts: string[] | undefined, badge?: VNode | null) =>
    parts
      ? html`<a href=${href(parts)} aria-current=${section === target ? 'page' : undefined}>${label}${badge}</a>`
      : html`<span class="disabled" title="Create an app first">${label}</span>`;
  const forApp = (rest: string) => (appId ? ['apps', appId, rest] : undefined);
  return html`<div class="shell">
    <a
      class="skip"
      href="#main"
      onClick=${(e: Event) => {
        e.preventDefault();
        document.getElementById('main')?.focus();
      }}
      >Skip to content</a
    >
    <header class="topbar">
      <button class="menu-button" type="button" aria-expanded=${menuOpen} aria-controls="nav" onClick=${() => setMenuOpen(!menuOpen)}>
        Menu
      </button>
      <div class="brand"><img src="icon.svg" alt="" width="24" height="24" /> Herald</div>
      <${AppPicker} apps=${apps.data?.apps ?? []} appId=${appId} section=${section} />
      <div class="spacer"></div>
      <${ThemeToggle} />
      <button class="button ghost" type="button" onClick=${onSignOut}>Sign out</button>
    </header>
    <nav id="nav" class=${menuOpen ? 'open' : ''} aria-label="Console">
      <div class="nav-group">${appId ? html`App <strong>${appId}</strong>` : 'No app yet'}</div>
      ${link('Deliveries', 'deliveries', forApp('deliveries'))} ${link('Notifiers', 'notifiers', forApp('notifiers'))}
      ${link('Sources', 'sources', forApp('sources'))} ${link('Servers', 'servers', forApp('servers'))}
      ${link('Silences', 'silences', forApp('silences'))} ${link('Contacts', 'contacts', forApp('contacts'))}
      ${link('Groups', 'groups', forApp('groups'))}
      ${link('Incidents', 'incidents', forApp('incidents'), appId ? html`<${OpenIncidents} key=${appId} appId=${appId} section=${section} />` : null)}
      ${link('App settings', 'settings', appId ? ['apps', appId] : undefined)}
      <div class="nav-group">Installation</div>
      ${link('Apps', 'apps', ['apps'])} ${link('Dead letters', 'dlq', ['dlq'])} ${link('Preview', 'preview', ['preview'])}
      ${link('Catalog', 'catalog', ['catalog'])} ${link('Global contacts', 'global-contacts', ['global', 'contacts'])}
      ${link('Global groups', 'global-groups', ['global', 'groups'])}
    </nav>
    <main id="main" tabindex="-1">${screen(route.parts, route.query, apps.reload)}</main>
  </div>`;
}

function screen(parts: string[], query: URLSearchParams, appsChanged: () => void) {
  const [scope, app, section, id] = parts;
  if (scope === 'dlq') return html`<${DeadLettersScreen} family=${app} />`;
  if (scope === 'preview') return html`<${PreviewScreen} query=${query} />`;
  if (scope === 'catalog') return html`<${CatalogScreen} />`;
  // #/global/contacts, #/global/groups: the installation-wide ones.
  if (scope === 'global' && app === 'contacts') return html`<${ContactsScreen} key="*" appId="*" />`;
  if (scope === 'global' && app === 'groups') return html`<${GroupsScreen} key="*" appId="*" />`;
  // #/global/notifiers/new, #/global/notifiers/<id>: the global notifiers' form.
  if (scope === 'global')
    return html`<${NotifierFormScreen} key=${`*/${section}`} appId="*" id=${section === 'new' ? undefined : section} />`;
  if (scope !== 'apps') return html`<p>Nothing here. <a href="#/apps">Go to the apps</a>.</p>`;
  if (!app) return html`<${AppsScreen} onChange=${appsChanged} />`;
  if (section === 'notifiers' && id)
    return html`<${NotifierFormScreen} key=${`${app}/${id}`} appId=${app} id=${id === 'new' ? undefined : id} />`;
  if (section === 'notifiers') return html`<${NotifiersScreen} key=${app} appId=${app} />`;
  if (section === 'deliveries') return html`<${DeliveriesScreen} key=${app} appId=${app} query=${query} selected=${id} />`;
  if (section === 'servers') return html`<${ServersScreen} key=${app} appId=${app} />`;
  if (section === 'sources') return html`<${SourcesScreen} key=${app} appId=${app} />`;
  if (section === 'silences') return html`<${SilencesScreen} key=${app} appId=${app} />`;
  if (section === 'contacts') return html`<${ContactsScreen} key=${app} appId=${app} />`;
  if (section === 'groups') return html`<${GroupsScreen} key=${app} appId=${app} />`;
  if (section === 'incidents') return html`<${IncidentsScreen} key=${app} appId=${app} query=${query} />`;
  return html`<${AppScreen} key=${app} appId=${app} onChange=${appsChanged} />`;
}

function AppPicker({ apps, appId, section }: { apps: App[]; appId?: string | undefined; section: string }) {
  if (!apps.length) return null;
  const perApp = ['deliveries', 'notifiers', 'sources', 'servers', 'silences', 'contacts', 'groups', 'incidents', 'settings'].includes(
    section,
  )
    ? section
    : 'deliveries';
  return html`<label class="app-picker"
    ><span class="visually-hidden">App</span>
    <select
      value=${appId}
      onChange=${(e: Event) => {
        const id = (e.target as HTMLSelectElement).value;
        navigate(perApp === 'settings' ? ['apps', id] : ['apps', id, perApp]);
      }}
    >
      ${apps.map((a) => html`<option value=${a.id}>${a.name} (${a.id})</option>`)}
    </select>
  </label>`;
}

function ThemeToggle() {
  const [theme, setTheme] = useState(document.documentElement.dataset['theme'] ?? 'auto');
  const next = theme === 'auto' ? 'dark' : theme === 'dark' ? 'light' : 'auto';
  const apply = () => {
    if (next === 'auto') {
      delete document.documentElement.dataset['theme'];
      localStorage.removeItem('herald.theme');
    } else {
      document.documentElement.dataset['theme'] = next;
      localStorage.setItem('herald.theme', next);
    }
    setTheme(next);
  };
  return html`<button class="button ghost" type="button" onClick=${apply} title="Light, dark, or as the system says">
    Theme: ${theme}
  </button>`;
}
