import type { Db } from '../db/schema.js';
import type { EngineContext } from './context.js';
import type { DomainEvent, DomainEventType } from './events.js';

/** Whether any served dialect's subscriber listens to events of this type now. */
export async function anyoneListensTo(ctx: EngineContext, type: DomainEventType): Promise<boolean> {
  for (const subscriber of ctx.subscribers) if (await subscriber.listensTo(ctx, type)) return true;
  return false;
}

/**
 * Hands events to every subscriber in the transaction that caused them, so that webhooks exist
 * if and only if the change committed.
 */
export async function publish(db: Db, ctx: EngineContext, events: DomainEvent[], at: number): Promise<void> {
  if (events.length === 0) return;
  for (const subscriber of ctx.subscribers) await subscriber.queue(db, ctx, events, at);
}
