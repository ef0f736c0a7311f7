import { api, type Notifier } from '../api.js';
import { useLoad, type Loaded } from './use-load.js';

/**
 * The notifiers a screen of an app names: the app's own and the global ones (100 of each),
 * with the name of one by its id (undefined when it is not among them: deleted, or past 100).
 */
export function useNotifiers(appId: string): Loaded<Notifier[]> & { nameOf(id: string): string | undefined } {
  const notifiers = useLoad(
    async () => [
      // `*`: a global notifier's screen, which names global ones only.
      ...(appId === '*' ? [] : (await api.get('/v1/apps/{appId}/notifiers', { path: { appId }, query: { limit: 100 } })).notifiers),
      ...(await api.get('/v1/notifiers', { query: { limit: 100 } })).notifiers,
    ],
    [appId],
  );
  return { ...notifiers, nameOf: (id) => notifiers.data?.find((n) => n.id === id)?.name };
}
