import { batch, createEffect, createSignal, on, onCleanup, type Accessor } from 'solid-js';

/** One page as the API answers it. */
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/** The state of a cursor-paginated list and its actions. */
export interface PagedList<T> {
  items: Accessor<T[]>;
  /** The first page is loading (the list was reset). */
  loading: Accessor<boolean>;
  /** A further page is loading. */
  loadingMore: Accessor<boolean>;
  error: Accessor<unknown>;
  hasMore: Accessor<boolean>;
  loadMore: () => void;
  retry: () => void;
  /** Replaces one loaded item (after an edit), matched by `same`. */
  replace: (item: T, same: (a: T, b: T) => boolean) => void;
}

/**
 * A cursor-paginated list bound to a reactive key: whenever `key` changes the list restarts from the first
 * page, and any request still in flight for the previous key is aborted, so a late answer to an old query
 * can never overwrite the new one and the server stops working on it.
 */
export function createPagedList<K, T>(
  key: Accessor<K>,
  fetchPage: (key: K, cursor: string | null, signal: AbortSignal) => Promise<Page<T>>,
): PagedList<T> {
  const [items, setItems] = createSignal<T[]>([]);
  const [cursor, setCursor] = createSignal<string | null>(null);
  const [loading, setLoading] = createSignal(true);
  const [loadingMore, setLoadingMore] = createSignal(false);
  const [error, setError] = createSignal<unknown>(undefined);
  let controller: AbortController | undefined;

  const load = (k: K, from: string | null) => {
    controller?.abort();
    const current = new AbortController();
    controller = current;
    batch(() => {
      setError(undefined);
      if (from === null) setLoading(true);
      else setLoadingMore(true);
    });
    fetchPage(k, from, current.signal).then(
      (page) => {
        if (current.signal.aborted) return;
        batch(() => {
          setItems(from === null ? page.items : [...items(), ...page.items]);
          setCursor(page.next_cursor);
          setLoading(false);
          setLoadingMore(false);
        });
      },
      (failure: unknown) => {
        if (current.signal.aborted) return;
        batch(() => {
          setError(failure);
          setLoading(false);
          setLoadingMore(false);
        });
      },
    );
  };

  createEffect(on(key, (k) => load(k, null)));
  onCleanup(() => controller?.abort());

  return {
    items,
    loading,
    loadingMore,
    error,
    hasMore: () => cursor() !== null,
    loadMore: () => {
      const next = cursor();
      if (next !== null && !loadingMore()) load(key(), next);
    },
    retry: () => load(key(), items().length ? cursor() : null),
    replace: (item, same) => setItems(items().map((existing) => (same(existing, item) ? item : existing))),
  };
}
