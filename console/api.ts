import { HeraldApi, HeraldApiError, HeraldContacts, HeraldSources } from '@herald/client';
import type { components } from '@herald/client';

/**
 * The console's only way to Herald: the typed client, on this origin. The admin key lives
 * in sessionStorage (this tab, until it closes or signs out): never in a URL, a log line
 * or the page's HTML.
 */
const KEY = 'herald.adminKey';

export const api = new HeraldApi({
  url: '',
  key: () => sessionStorage.getItem(KEY) ?? undefined,
  // A key Herald no longer takes (another admin key since a restart) signs out.
  fetch: async (input, init) => {
    const res = await fetch(input, init);
    if (res.status === 401) {
      signOut();
      dispatchEvent(new Event('herald:unauthorized'));
    }
    return res;
  },
});

/** An app's inbound sources, through the client's typed methods (the `herald sources` command uses the same). */
export const sources = new HeraldSources(api);

/** Contacts and groups of an app, or installation-wide ones (`*`), through the client (the `herald contacts` command uses the same). */
export const contacts = new HeraldContacts(api);

export type Schemas = components['schemas'];
export type Contact = Schemas['Contact'];
export type ContactGroup = Schemas['ContactGroup'];
export type Silence = Schemas['Silence'];
export type SilenceInput = Schemas['SilenceInput'];

/** An app's silences, or the global ones (`*`: every app's events), through one set of calls. */
export function silencesOf(appId: string) {
  const global = appId === '*';
  return {
    list: async () =>
      (global ? api.get('/v1/silences', {}) : api.get('/v1/apps/{appId}/silences', { path: { appId } })).then((r) => r.silences),
    create: async (body: SilenceInput) =>
      (global ? api.post('/v1/silences', { body }) : api.post('/v1/apps/{appId}/silences', { path: { appId }, body })).then(
        (r) => r.silence,
      ),
    expire: async (silenceId: string) => {
      if (global) await api.delete('/v1/silences/{silenceId}', { path: { silenceId } });
      else await api.delete('/v1/apps/{appId}/silences/{silenceId}', { path: { appId, silenceId } });
    },
  };
}
export type App = Schemas['App'];
export type Notifier = Schemas['Notifier'];
export type Delivery = Schemas['Delivery'];
export type Incident = Schemas['Incident'];
export type Installation = Schemas['Installation'];
export type EventType = { type: string; category: string; displayName: string; description: string; severity: string; critical: boolean };

export const signedIn = (): boolean => !!sessionStorage.getItem(KEY);

/**
 * Checks the key against a route only the admin key may call: 401 is a wrong key, 403 a
 * valid key that is not the admin key (an app's ingest key).
 */
export async function signIn(key: string): Promise<void> {
  const trimmed = key.trim();
  if (!trimmed) throw new Error('Paste the admin key (hrd_admin_…), as npm start printed it.');
  const probe = new HeraldApi({ url: '', key: trimmed });
  try {
    await probe.get('/v1/apps', { query: { limit: 1 } });
  } catch (err) {
    if (err instanceof HeraldApiError && err.status === 403)
      throw new Error("This is an app's ingest key. The console needs the admin key (hrd_admin_…).");
    if (err instanceof HeraldApiError && err.status === 401) throw new Error('Herald does not know this key. Check it and try again.');
    throw new Error(`Herald did not answer: ${(err as Error).message}`);
  }
  sessionStorage.setItem(KEY, trimmed);
}

export function signOut(): void {
  sessionStorage.removeItem(KEY);
}

/** What an API error says, for a person: its message, and each field at fault. */
export function errorText(err: unknown): string {
  if (err instanceof HeraldApiError) {
    const fields = err.details.map((d) => `${d.path}: ${d.message}`).join('; ');
    return fields ? `${err.message} (${fields})` : err.message;
  }
  return (err as Error)?.message ?? String(err);
}

export { HeraldApiError };
