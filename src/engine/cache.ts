/**
 * A small read-through cache for data that every request reads and that rarely changes (API
 * tokens, rates). Entries live `ttlMs`; the process that changes the data invalidates them at
 * once, other processes on the same database see the change within `ttlMs`.
 */
export interface TtlCache<K, V> {
  get(key: K, load: () => Promise<V | undefined>): Promise<V | undefined>;
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
