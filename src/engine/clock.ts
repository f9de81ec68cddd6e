import type { ClockMode } from '../config.js';

/** Every time-dependent rule reads time from here, never from Date.now(). */
export interface Clock {
  readonly mode: ClockMode;
  now(): number;
  /** Moves a virtual clock forward; a system clock refuses. Returns the new time. */
  advance(ms: number): number;
  /** Sets a virtual clock (never backwards); a system clock refuses. Returns the new time. */
  set(ms: number): number;
}

export class ClockControlError extends Error {}

export function createClock(mode: ClockMode, start = Date.now()): Clock {
  if (mode === 'system') {
    const refuse = (): never => {
      throw new ClockControlError('the clock is the system clock; start the emulator with CLOCK=virtual to move time');
    };
    return { mode, now: () => Date.now(), advance: refuse, set: refuse };
  }
  let current = start;
  return {
    mode,
    now: () => current,
    advance(ms) {
      if (!Number.isSafeInteger(ms) || ms < 0) throw new ClockControlError('advance must be a non-negative duration');
      current += ms;
      return current;
    },
    set(ms) {
      if (!Number.isSafeInteger(ms)) throw new ClockControlError('set must be a time in milliseconds since the epoch');
      if (ms < current) throw new ClockControlError('the virtual clock never moves backwards');
      current = ms;
      return current;
    },
  };
}
