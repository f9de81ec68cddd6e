import type { Kysely } from 'kysely';
import type { ClockMode } from '../config.js';
import type { Database } from '../db/schema.js';
import { invalidParam, conflict } from '../errors.js';

/** Every time-dependent rule reads time from here, never from Date.now(). */
export interface Clock {
  readonly mode: ClockMode;
  now(): number;
  /** Moves a virtual clock forward by `ms`; returns the new time. */
  advance(ms: number): Promise<number>;
  /** Sets a virtual clock to `ms` (never backwards); returns the new time. */
  set(ms: number): Promise<number>;
  /** Re-reads the shared virtual time, which another process may have moved. */
  refresh(): Promise<void>;
}

const systemClockRefusal = () =>
  conflict('request', 'state', 'The emulator runs on the system clock; start it with CLOCK=virtual to move time');

/**
 * The system clock, or a virtual clock whose time lives in the database (table virtual_clock):
 * it survives restarts and is shared by every process on one PostgreSQL. Each process keeps
 * the time in memory and re-reads it on every scheduler tick.
 */
export async function openClock(db: Kysely<Database>, mode: ClockMode): Promise<Clock> {
  if (mode === 'system') {
    return {
      mode,
      now: () => Date.now(),
      advance: () => Promise.reject(systemClockRefusal()),
      set: () => Promise.reject(systemClockRefusal()),
      refresh: async () => {},
    };
  }
  await db.insertInto('virtual_clock').values({ now: Date.now() }).onConflict((oc) => oc.column('id').doNothing()).execute();
  let current = (await db.selectFrom('virtual_clock').select('now').executeTakeFirstOrThrow()).now;
  const store = (value: number) => {
    current = Math.max(current, value);
    return current;
  };
  return {
    mode,
    now: () => current,
    async advance(ms) {
      if (!Number.isSafeInteger(ms) || ms < 0) throw invalidParam('request', 'advance must be a non-negative duration');
      const row = await db.updateTable('virtual_clock').set((eb) => ({ now: eb('now', '+', ms) })).returning('now').executeTakeFirstOrThrow();
      return store(row.now);
    },
    async set(ms) {
      if (!Number.isSafeInteger(ms) || ms < 0) throw invalidParam('request', 'set must be a time in milliseconds since the epoch');
      const row = await db.updateTable('virtual_clock').set({ now: ms }).where('now', '<=', ms).returning('now').executeTakeFirst();
      if (!row) throw conflict('request', 'state', 'The virtual clock never moves backwards');
      return store(row.now);
    },
    async refresh() {
      store((await db.selectFrom('virtual_clock').select('now').executeTakeFirstOrThrow()).now);
    },
  };
}
