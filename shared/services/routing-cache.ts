import type { Contact, ContactGroup } from '../core/contacts.js';
import type { ContactStore, NotifierStore, SilenceStore } from '../core/ports.js';
import type { Silence } from '../core/silences.js';
import type { App, Notifier } from '../core/types.js';

const TTL_MS = 30_000;

export interface RoutingView {
  app?: App;
  /** The app's own notifiers, then the global ones. */
  notifiers: Notifier[];
  /** The app's own silences, then the global ones (ended ones too: silencing() checks the time). */
  silences: Silence[];
  /** The contacts and groups its notifiers may name: the app's own, then the installation-wide ones. */
  contacts: Contact[];
  contactGroups: ContactGroup[];
}

type Stored = Omit<RoutingView, 'app'> & { app?: App };

/**
 * What ingest needs to route an app's events, cached for 30 s: a cold event costs one
 * read round trip (the app's partition and the global one, and their silences', contacts'
 * and contact groups', in parallel), a warm one none. Writes made through this process invalidate at once.
 */
export class RoutingCache {
  private readonly views = new Map<string, { view: Promise<Stored>; until: number }>();
  /** Each app's view as last merged, while neither part changed: ingest merges no arrays per event (nor builds a contact book: reach.ts). */
  private readonly merged = new Map<string, { own: Stored; global: Stored; view: RoutingView }>();

  constructor(
    private readonly store: NotifierStore,
    private readonly silences: Pick<SilenceStore, 'list'>,
    private readonly contacts: Pick<ContactStore, 'list' | 'listGroups'>,
    private readonly now: () => number = Date.now,
  ) {}

  async view(appId: string): Promise<RoutingView> {
    const [own, global] = await Promise.all([this.cached(appId), this.cached('*')]);
    const last = this.merged.get(appId);
    if (last?.own === own && last.global === global) return last.view;
    const view: RoutingView = {
      ...(own.app ? { app: own.app } : {}),
      notifiers: [...own.notifiers, ...global.notifiers],
      silences: [...own.silences, ...global.silences],
      contacts: [...own.contacts, ...global.contacts],
      contactGroups: [...own.contactGroups, ...global.contactGroups],
    };
    this.merged.set(appId, { own, global, view });
    return view;
  }

  invalidate(appId: string): void {
    this.views.delete(appId);
    this.merged.delete(appId);
  }

  private cached(appId: string): Promise<Stored> {
    const hit = this.views.get(appId);
    if (hit && hit.until > this.now()) return hit.view;
    const view = Promise.all([
      this.store.routingView(appId),
      this.silences.list(appId),
      this.contacts.list(appId),
      this.contacts.listGroups(appId),
    ]).then(([v, silences, contacts, contactGroups]) => ({ ...v, silences, contacts, contactGroups }));
    this.views.set(appId, { view, until: this.now() + TTL_MS });
    view.catch(() => this.views.delete(appId));
    return view;
  }
}
