import type { Clock } from '../../engine/clock.js';

const WINDOW_MS = 60_000;

/**
 * Seed 001's limit of N requests per minute per API key: fixed one-minute windows on the
 * emulator's clock (so a test can move past a window), counted in this process.
 */
export function createRateLimiter(clock: Clock, perMinute: number) {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    /** Counts a request; the seconds to wait when it is over the limit, else null. */
    take(key: string): number | null {
      if (perMinute <= 0) return null;
      const now = clock.now();
      const start = now - (now % WINDOW_MS);
      const window = windows.get(key);
      if (!window || window.start !== start) {
        if (windows.size > 10_000) windows.clear();
        windows.set(key, { start, count: 1 });
        return null;
      }
      window.count += 1;
      return window.count > perMinute ? Math.max(1, Math.ceil((start + WINDOW_MS - now) / 1000)) : null;
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
