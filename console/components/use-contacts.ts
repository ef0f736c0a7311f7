import { contacts, type Contact, type ContactGroup } from '../api.js';
import { useLoad, type Loaded } from './use-load.js';

export interface People {
  contacts: Contact[];
  groups: ContactGroup[];
}

/**
 * The contacts and groups a notifier or group of `appId` may name: the app's own and the
 * installation-wide ones (for `*`, those only), with the name of one by its id.
 */
export function useContacts(appId: string): Loaded<People> & { nameOf(id: string): string | undefined } {
  const people = useLoad(async () => {
    const scopes = appId === '*' ? ['*'] : [appId, '*'];
    const [own, wide] = await Promise.all(
      scopes.map(async (s) => ({ contacts: await contacts.list(s), groups: await contacts.listGroups(s) })),
    );
    return { contacts: [...(own?.contacts ?? []), ...(wide?.contacts ?? [])], groups: [...(own?.groups ?? []), ...(wide?.groups ?? [])] };
  }, [appId]);
  const nameOf = (id: string) => [...(people.data?.contacts ?? []), ...(people.data?.groups ?? [])].find((c) => c.id === id)?.name;
  return { ...people, nameOf };
}
