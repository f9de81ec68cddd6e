const MAX_ENTRIES = 10_000;

/** Read-through: `load` runs on a miss; undefined (not found) is never cached. */
export interface ReadThroughCache<K, V> {
  get(key: K, load: () => Promise<V | undefined>): Promise<V | undefined>;
}

/**
 * A per-process read-through cache for what every request reads, never served stale: an entry
 * holds only while `version()` (of the tables it is made of, see db/change-feed.ts) is what it
 * was before the entry was loaded; a null version means nothing may be cached.
 */
export function createVersionedCache<K, V>(version: () => number | null): ReadThroughCache<K, V> {
  const entries = new Map<K, { value: V; version: number }>();
  return {
    async get(key, load) {
      const before = version();
      const hit = entries.get(key);
      if (hit && hit.version === before) return hit.value;
      const value = await load();
      if (value === undefined || before === null || version() !== before) entries.delete(key);
      else {
        if (entries.size >= MAX_ENTRIES) entries.clear();
        entries.set(key, { value, version: before });
      }
      return value;
    },
  };
}

/**
 * What is made from an object a read cache returns (its presented JSON), kept for as long as that
 * object lives, once per `view` (facade, base URL): a new cache entry is a new object.
 */
export function createMadeFromCache<O extends object, V>(): (of: O, view: string, make: () => V) => V {
  const made = new WeakMap<O, Map<string, V>>();
  return (of, view, make) => {
    let byView = made.get(of);
    if (!byView) made.set(of, (byView = new Map()));
    let value = byView.get(view);
    if (value === undefined) byView.set(view, (value = make()));
    return value;
  };
}

/** A per-process map of what was made from a key that names all its inputs (so it never goes stale), emptied when full. */
export interface KeyedCache<V> {
  get(key: string): V | undefined;
  set(key: string, value: V): void;
}

export function createKeyedCache<V>(limit = MAX_ENTRIES): KeyedCache<V> {
  const entries = new Map<string, V>();
  return {
    get: (key) => entries.get(key),
    set(key, value) {
      if (entries.size >= limit) entries.clear();
      entries.set(key, value);
    },
  };
}
