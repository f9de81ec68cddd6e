import { mineDueBlocks } from '../engine/chain.js';
import type { EngineContext } from '../engine/context.js';
import { drainDueWork } from '../engine/lifecycle.js';

export interface Scheduler {
  /** One full pass now: re-read the clock, mine due blocks, apply due transitions. Passes never overlap. */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The due-work loop. All state is in the database, so a restart resumes where it stopped, and
 * several processes on one PostgreSQL share the work (drainDueWork claims with SKIP LOCKED,
 * mining takes an advisory lock).
 */
export function startScheduler(ctx: EngineContext, intervalMs: number): Scheduler {
  let running: Promise<void> | null = null;
  let stopped = false;

  const pass = async () => {
    await ctx.clock.refresh();
    await mineDueBlocks(ctx);
    await drainDueWork(ctx);
  };

  const tick = async (): Promise<void> => {
    while (running) await running.catch(() => {});
    running = pass().finally(() => {
      running = null;
    });
    return running;
  };

  const timer = setInterval(() => {
    if (stopped || running) return;
    tick().catch((error: Error) => ctx.logger.error('scheduler pass failed', { error: error.message, stack: error.stack }));
  }, intervalMs);
  timer.unref();

  return {
    tick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      while (running) await running.catch(() => {});
    },
  };
}
