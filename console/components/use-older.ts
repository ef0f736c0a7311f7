import { useEffect, useRef, useState } from '../html.js';

/** A page of a list, as the API answers it. */
export interface ListPage<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Older<T> {
  /** The older rows loaded under the first page, for the filters shown. */
  items: T[];
  /** Where the next older page starts: the first page's cursor until an older page came; none at the end. */
  cursor: string | null | undefined;
  /** Asks for the next older page (one at a time for the same filters). */
  load(): Promise<void>;
  /** Changes rows already shown (an incident acted on). */
  update(change: (items: T[]) => T[]): void;
}

/**
 * The older pages of a list, shown under its first page (which polls), kept for the filters
 * they were asked with (`filters`, a key). Other filters start again from their first page,
 * at once; a page still on its way when the filters change is dropped rather than shown
 * under the new ones; a second click while a page is on its way asks for nothing.
 */
export function useOlder<T>(
  filters: string,
  firstCursor: string | null | undefined,
  fetchPage: (cursor: string) => Promise<ListPage<T>>,
): Older<T> {
  // `loaded`: an older page came for these filters (an empty one too: a sparse filter's page may hold no row, and a cursor).
  const [older, setOlder] = useState<{ filters: string; loaded: boolean; items: T[]; cursor: string | null }>({
    filters,
    loaded: false,
    items: [],
    cursor: null,
  });
  const shown = useRef(filters);
  shown.current = filters;
  // Shown for their filters alone at once (below); forgotten once the filters changed, so that coming back to them starts again too.
  useEffect(() => {
    if (older.filters !== filters) setOlder({ filters, loaded: false, items: [], cursor: null });
  }, [filters]);
  const asking = useRef<string | undefined>(undefined);
  const mine = older.filters === filters && older.loaded;
  const items = mine ? older.items : [];
  const cursor = mine ? older.cursor : firstCursor;
  return {
    items,
    cursor,
    async load() {
      if (!cursor || asking.current === filters) return;
      asking.current = filters;
      try {
        const next = await fetchPage(cursor);
        if (shown.current !== filters) return; // asked under the filters before
        setOlder((o) => ({
          filters,
          loaded: true,
          items: [...(o.filters === filters && o.loaded ? o.items : []), ...next.items],
          cursor: next.nextCursor,
        }));
      } finally {
        if (asking.current === filters) asking.current = undefined;
      }
    },
    update: (change) => setOlder((o) => ({ ...o, items: change(o.items) })),
  };
}
