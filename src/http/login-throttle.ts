/**
 * Slows down guessing of SANDBOX_TOKEN: after FREE_FAILURES wrong tokens from one address,
 * that address must wait before its next attempt is even checked, twice as long after each
 * further failure (1 s, 2 s, 4 s, … up to 15 minutes). A right token clears the count; an
 * address that stops failing is forgotten after FORGET_MS. Wall-clock time, not the emulator's
 * clock: a virtual clock must not let anyone skip the wait.
 */
const FREE_FAILURES = 5;
const MAX_WAIT_MS = 15 * 60_000;
const FORGET_MS = 15 * 60_000;
/** A bound on remembered addresses, so that a flood of them cannot grow memory without end. */
const MAX_ADDRESSES = 10_000;

interface Record {
  failures: number;
  lastFailure: number;
}

export interface LoginThrottle {
  /** Milliseconds this address must still wait before a token it presents is checked; 0 if none. */
  waitMs(address: string): number;
  failed(address: string): void;
  succeeded(address: string): void;
}

export function createLoginThrottle(now: () => number = Date.now): LoginThrottle {
  const records = new Map<string, Record>();
  const current = (address: string): Record | undefined => {
    const record = records.get(address);
    if (record && now() - record.lastFailure > FORGET_MS) {
      records.delete(address);
      return undefined;
    }
    return record;
  };
  return {
    waitMs(address) {
      const record = current(address);
      if (!record || record.failures < FREE_FAILURES) return 0;
      const wait = Math.min(1000 * 2 ** (record.failures - FREE_FAILURES), MAX_WAIT_MS);
      return Math.max(0, record.lastFailure + wait - now());
    },
    failed(address) {
      const record = current(address) ?? { failures: 0, lastFailure: 0 };
      record.failures++;
      record.lastFailure = now();
      records.delete(address);
      records.set(address, record);
      if (records.size > MAX_ADDRESSES) records.delete(records.keys().next().value as string);
    },
    succeeded(address) {
      records.delete(address);
    },
  };
}
