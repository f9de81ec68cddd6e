/** Read-through: `load` runs on a miss; undefined (not found) is never cached. */
export interface ReadThroughCache<K, V> {
  get(key: K, load: () => Promise<V | undefined>): Promise<V | undefined>;
}

/**
 * A small read-through cache for data that every request reads and that rarely changes (API
 * tokens, rates). Entries live `ttlMs`; the process that changes the data invalidates them at
 * once, other processes on the same database see the change within `ttlMs`.
 */
export interface TtlCache<K, V> extends ReadThroughCache<K, V> {
  delete(key: K): void;
  clear(): void;
}

const MAX_ENTRIES = 10_000;

export function createTtlCache<K, V>(ttlMs: number): TtlCache<K, V> {
  const entries = new Map<K, { value: V; expires: number }>();
  return {
    async get(key, load) {
      const hit = entries.get(key);
      if (hit && hit.expires > Date.now()) return hit.value;
      const value = await load();
      if (value === undefined) entries.delete(key);
      else {
        if (entries.size >= MAX_ENTRIES) entries.clear();
        entries.set(key, { value, expires: Date.now() + ttlMs });
      }
      return value;
    },
    delete: (key) => void entries.delete(key),
    clear: () => entries.clear(),
  };
}

/**
 * A read-through cache for data that must never be served stale: an entry holds only while
 * `version()` is what it was before the entry was loaded (see db/change-feed.ts); a null
 * version means nothing may be cached.
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
