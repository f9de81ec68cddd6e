import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/schema.js';
import { COMPLETE_CONFIRMATIONS } from '../domain/lifecycle.js';
import { notFound, invalidParam } from '../errors.js';
import type { EngineContext } from './context.js';
import type { Block, ChainTransaction, ChainView } from './entities.js';

/** Serialises block production across processes: heights stay consecutive. */
const MINING_LOCK = 0x6269_7470; // "bitp"

const MAX_BLOCKS_PER_REQUEST = 1000;

/** Takes the mining lock for the caller's transaction: no block is mined until it ends. */
export async function lockChain(trx: Db): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${MINING_LOCK})`.execute(trx);
}

function blockHash(previous: string | null, height: number, time: number, txids: string[]): string {
  const once = createHash('sha256').update(`${previous ?? ''}|${height}|${time}|${txids.join(',')}`).digest();
  return createHash('sha256').update(once).digest().reverse().toString('hex');
}

/**
 * A fresh database starts with a genesis block, so confirmations count from a real tip. Processes
 * starting together on one database compute the same block: any conflict means it exists.
 */
export async function ensureGenesis(ctx: EngineContext): Promise<void> {
  const time = ctx.clock.now();
  await ctx.db
    .insertInto('blocks')
    .values({ height: 0, hash: blockHash(null, 0, time, []), previous_hash: null, time })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function tip(db: Db): Promise<Block> {
  return db.selectFrom('blocks').selectAll().orderBy('height', 'desc').limit(1).executeTakeFirstOrThrow();
}

export function confirmations(tx: Pick<ChainTransaction, 'block_height'>, tipHeight: number): number {
  return tx.block_height === null ? 0 : tipHeight - tx.block_height + 1;
}

export function newTxid(ctx: EngineContext): string {
  return ctx.random.bytes(32).toString('hex');
}

interface MiningPlan {
  count: number;
  /** Block times, one per block; default: now. */
  times?: number[];
}

/**
 * Mines the blocks `plan` asks for, given the tip it sees under the mining lock; the first block
 * takes the whole mempool. Every invoice with a payment that had fewer than the confirmations
 * that can still matter before these blocks is marked due for the scheduler, however many
 * blocks the batch holds.
 */
async function mine(ctx: EngineContext, plan: (tip: Block) => MiningPlan): Promise<Block[]> {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    await lockChain(trx);
    const before = await tip(trx);
    let previous = before;
    const { count, times } = plan(previous);
    if (count < 1) return [];
    const mempool = await trx
      .selectFrom('chain_transactions')
      .select('txid')
      .where('block_height', 'is', null)
      .where('double_spent_at', 'is', null)
      .orderBy('seq')
      .execute();
    const blocks: Block[] = [];
    for (let i = 0; i < count; i++) {
      const height = previous.height + 1;
      const time = Math.max(times?.[i] ?? now, previous.time);
      const txids = i === 0 ? mempool.map((t) => t.txid) : [];
      const block = { height, hash: blockHash(previous.hash, height, time, txids), previous_hash: previous.hash, time };
      blocks.push(block);
      previous = block;
    }
    await trx.insertInto('blocks').values(blocks).execute();
    if (mempool.length > 0) {
      await trx
        .updateTable('chain_transactions')
        .set({ block_height: (blocks[0] as Block).height })
        .where('block_height', 'is', null)
        .where('double_spent_at', 'is', null)
        .execute();
    }
    await trx
      .updateTable('invoices')
      .set({ due_at: now })
      .where('status', 'in', ['paid', 'confirmed', 'invalid'])
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('chain_transactions')
          .select('invoice_id')
          // Mined at or below this height, a payment already had every confirmation that matters.
          .where('block_height', '>', before.height - COMPLETE_CONFIRMATIONS)
          .where('invoice_id', 'is not', null)
          .$narrowType<{ invoice_id: string }>(),
      )
      .execute();
    // Payouts being sent may have their confirmation now.
    await trx.updateTable('payouts').set({ due_at: now }).where('status', '=', 'processing').where('due_at', 'is', null).execute();
    return blocks;
  });
}

/** `POST /sandbox/blocks {count}`. */
export async function mineBlocks(ctx: EngineContext, count: number): Promise<Block[]> {
  if (!Number.isInteger(count) || count < 1 || count > MAX_BLOCKS_PER_REQUEST) {
    throw invalidParam('request', `count must be an integer from 1 to ${MAX_BLOCKS_PER_REQUEST}`);
  }
  return mine(ctx, () => ({ count }));
}

/** The blocks BLOCK_INTERVAL says are due since the tip, at their scheduled times; none if it is 0. */
export async function mineDueBlocks(ctx: EngineContext): Promise<Block[]> {
  const interval = ctx.config.blockIntervalMs;
  if (interval <= 0) return [];
  return mine(ctx, (last) => {
    const count = Math.min(Math.floor((ctx.clock.now() - last.time) / interval), MAX_BLOCKS_PER_REQUEST);
    return { count, times: Array.from({ length: Math.max(count, 0) }, (_, i) => last.time + (i + 1) * interval) };
  });
}

export async function findTransaction(db: Db, txid: string): Promise<ChainTransaction> {
  const tx = await db.selectFrom('chain_transactions').selectAll().where('txid', '=', txid).executeTakeFirst();
  if (!tx) throw notFound('request', `Transaction ${txid} not found`);
  return tx;
}

type Nullable<T> = { [K in keyof T]: T[K] | null };

/** The tip and the invoices' transactions in one round trip (every invoice read needs both). */
export async function chainViewOf(db: Db, invoiceIds: string[]): Promise<ChainView> {
  const transactions = new Map<string, ChainTransaction[]>(invoiceIds.map((id) => [id, []]));
  const matching = invoiceIds.length === 0 ? sql`false` : sql`t.invoice_id IN (${sql.join(invoiceIds)})`;
  const { rows } = await sql<{ tip_height: number } & Nullable<ChainTransaction>>`
    SELECT tip.height AS tip_height, t.*
    FROM (SELECT max(height) AS height FROM blocks) AS tip
    LEFT JOIN chain_transactions AS t ON ${matching}
    ORDER BY t.seq`.execute(db);
  for (const { tip_height: _tip, ...row } of rows) {
    if (row.txid !== null) transactions.get(row.invoice_id as string)?.push(row as ChainTransaction);
  }
  return { tipHeight: (rows[0] as { tip_height: number }).tip_height, transactions };
}

/** The newest blocks and the mempool, for the sandbox's chain view. */
export async function recentChain(db: Db, limit: number) {
  const [blocks, mempool] = await Promise.all([
    db.selectFrom('blocks').selectAll().orderBy('height', 'desc').limit(limit).execute(),
    db
      .selectFrom('chain_transactions')
      .selectAll()
      .where('block_height', 'is', null)
      .where('double_spent_at', 'is', null)
      .orderBy('seq')
      .execute(),
  ]);
  return { blocks, mempool, tipHeight: (blocks[0] as Block).height };
}
