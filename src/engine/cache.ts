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
