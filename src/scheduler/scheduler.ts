import { mineDueBlocks } from '../engine/chain.js';
import type { EngineContext } from '../engine/context.js';
import { drainDueWork } from '../engine/lifecycle.js';
import { advanceDuePayouts } from '../engine/payouts.js';
import { settleDue } from '../engine/settlements.js';
import { deliverDueSubscriptions } from '../engine/subscriptions.js';
import { startLoop } from './loop.js';

export interface Scheduler {
  /** One full pass now: re-read the clock, mine due blocks, apply due transitions. Passes never overlap. */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The due-work loop. All state is in the database, so a restart resumes where it stopped, and
 * several processes on one PostgreSQL share the work (drainDueWork claims with SKIP LOCKED,
 * mining takes an advisory lock). `afterPass` lets the webhook worker send what a pass queued.
 */
export function startScheduler(ctx: EngineContext, intervalMs: number, afterPass: () => void): Scheduler {
  const loop = startLoop(
    'scheduler',
    async () => {
      await ctx.clock.refresh();
      await mineDueBlocks(ctx);
      const invoices = await drainDueWork(ctx);
      const payouts = await advanceDuePayouts(ctx);
      const settlements = await settleDue(ctx);
      const subscriptions = await deliverDueSubscriptions(ctx);
      if (invoices + payouts + settlements + subscriptions > 0) afterPass();
    },
    intervalMs,
    ctx.logger,
  );
  return { tick: loop.run, stop: loop.stop };
}
