import { sql, type Transaction } from 'kysely';
import type { Database, Db } from '../db/schema.js';
import { toJson } from '../db/json.js';
import type { SettlementWithholding } from '../db/tables/settlements.js';
import { base58Text } from '../domain/ids.js';
import { Decimal } from '../domain/money.js';
import { notFound } from '../errors.js';
import type { EngineContext } from './context.js';
import { anythingDue } from './due.js';
import { heldForRefunds, writeLedgerEntries } from './ledger.js';
import type { LedgerEntry } from './entities.js';
import type { Settlement } from './entities.js';

/** How long a settlement is `processing` before the bank has it (`completed`, with its execution date). */
const EXECUTION_DELAY_MS = 86_400_000;

const settlementNotFound = (id: string) => notFound('settlement', `Settlement ${id} not found`);

/** The bank account a merchant's settlements go to when it has set none. */
export function defaultPayoutInfo(merchantName: string): Record<string, unknown> {
  return {
    label: 'Sandbox bank account',
    bankCountry: 'United States',
    name: merchantName,
    bank: 'Sandbox Bank',
    swift: 'SNDBUS33',
    account: '000123456789',
    routing: '021000021',
    wire: true,
  };
}

/**
 * Settles one ledger of a merchant in the caller's transaction: what it gained since the previous
 * settlement of that currency, with the balance it opened with, less what refunds still in
 * progress withhold. Nothing when there is nothing to pay. The ledger is debited by the total.
 */
async function settleLedger(trx: Transaction<Database>, ctx: EngineContext, merchant: { id: string; name: string; payout_info: Record<string, unknown> | null }, currency: string, now: number): Promise<Settlement | null> {
  const previous = await trx
    .selectFrom('settlements')
    .select(['closing_entry_seq', 'closing_date'])
    .where('merchant_id', '=', merchant.id)
    .where('currency', '=', currency)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const openingSeq = previous?.closing_entry_seq ?? 0;
  const sums = await trx
    .selectFrom('ledger_entries')
    .select([
      sql<string>`coalesce(sum(amount) FILTER (WHERE seq <= ${openingSeq}), 0)::text`.as('opening'),
      sql<string>`coalesce(sum(amount) FILTER (WHERE seq > ${openingSeq}), 0)::text`.as('period'),
      sql<string | null>`min(occurred_at) FILTER (WHERE seq > ${openingSeq})`.as('first'),
    ])
    .where('merchant_id', '=', merchant.id)
    .where('currency', '=', currency)
    .executeTakeFirstOrThrow();
  const openingBalance = new Decimal(sums.opening);
  const ledgerEntriesSum = new Decimal(sums.period);
  const available = openingBalance.plus(ledgerEntriesSum);
  const held = Decimal.min(await heldForRefunds(trx, merchant.id, currency), Decimal.max(available, 0));
  const withholdings: SettlementWithholding[] = held.isZero() ? [] : [{ amount: held.toString(), code: 'W001', description: 'Refunds requested and not yet sent' }];
  const total = available.minus(held);
  if (total.lte(0)) return null;
  const settlement = await trx
    .insertInto('settlements')
    .values({
      id: base58Text(ctx.random, 22),
      merchant_id: merchant.id,
      currency,
      status: 'processing',
      opening_date: previous?.closing_date ?? Number(sums.first ?? now),
      closing_date: now,
      opening_entry_seq: openingSeq,
      closing_entry_seq: null,
      opening_balance: openingBalance.toString(),
      ledger_entries_sum: ledgerEntriesSum.toString(),
      withholdings: toJson(withholdings),
      withholdings_sum: held.toString(),
      total_amount: total.toString(),
      payout_info: toJson(merchant.payout_info ?? defaultPayoutInfo(merchant.name)),
      resource_token: base58Text(ctx.random, 44),
      date_created: now,
      date_executed: null,
      due_at: now + EXECUTION_DELAY_MS,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await writeLedgerEntries(trx, ctx, [{ merchantId: merchant.id, currency, kind: 'settlement', amount: total.neg(), settlementId: settlement.id }], now);
  const debit = await trx.selectFrom('ledger_entries').select('seq').where('settlement_id', '=', settlement.id).executeTakeFirstOrThrow();
  return trx.updateTable('settlements').set({ closing_entry_seq: debit.seq }).where('id', '=', settlement.id).returningAll().executeTakeFirstOrThrow();
}

/** Settles every ledger of a merchant with something to pay, now; the next scheduled settlement is an interval away. */
export async function settleMerchant(ctx: EngineContext, merchantId: string): Promise<Settlement[]> {
  return ctx.db.transaction().execute(async (trx) => {
    const merchant = await trx.selectFrom('merchants').select(['id', 'name', 'payout_info', 'settlement_interval_ms']).where('id', '=', merchantId).forUpdate().executeTakeFirst();
    if (!merchant) throw notFound('request', `Merchant ${merchantId} not found`);
    const now = ctx.clock.now();
    const currencies = await trx.selectFrom('ledger_entries').select('currency').distinct().where('merchant_id', '=', merchantId).orderBy('currency').execute();
    const settled: Settlement[] = [];
    for (const { currency } of currencies) {
      const settlement = await settleLedger(trx, ctx, merchant, currency, now);
      if (settlement) settled.push(settlement);
    }
    await trx.updateTable('merchants').set({ next_settlement_at: now + Number(merchant.settlement_interval_ms) }).where('id', '=', merchantId).execute();
    return settled;
  });
}

/** The scheduler's pass: merchants whose settlement is due are settled; settlements the bank has had a day are completed. */
export async function settleDue(ctx: EngineContext): Promise<number> {
  const now = ctx.clock.now();
  const due = await ctx.db
    .selectFrom('merchants')
    .select('id')
    .where('settlement_interval_ms', '>', 0)
    .where(sql<boolean>`coalesce(next_settlement_at, created_at + settlement_interval_ms) <= ${now}`)
    .execute();
  for (const { id } of due) await settleMerchant(ctx, id);
  if (!(await anythingDue(ctx.db, 'settlements', now))) return due.length;
  const completed = await ctx.db
    .updateTable('settlements')
    .set({ status: 'completed', date_executed: sql<number>`due_at`, due_at: null })
    .where('due_at', '<=', now)
    .executeTakeFirst();
  return due.length + Number(completed.numUpdatedRows);
}

export interface SettlementFilter {
  from?: number;
  to?: number;
  currency?: string;
  status?: string;
  limit: number;
  offset: number;
}

export async function listSettlements(db: Db, merchantId: string, filter: SettlementFilter): Promise<Settlement[]> {
  let query = db.selectFrom('settlements').selectAll().where('merchant_id', '=', merchantId);
  if (filter.from !== undefined) query = query.where('date_created', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('date_created', '<', filter.to);
  if (filter.currency) query = query.where('currency', '=', filter.currency);
  if (filter.status) query = query.where('status', '=', filter.status as Settlement['status']);
  return query.orderBy('date_created', 'desc').orderBy('seq', 'desc').limit(filter.limit).offset(filter.offset).execute();
}

export async function getSettlement(db: Db, merchantId: string, id: string): Promise<Settlement> {
  const settlement = await db.selectFrom('settlements').selectAll().where('id', '=', id).where('merchant_id', '=', merchantId).executeTakeFirst();
  if (!settlement) throw settlementNotFound(id);
  return settlement;
}

export async function findSettlementByResourceToken(db: Db, token: string): Promise<Settlement | undefined> {
  return db.selectFrom('settlements').selectAll().where('resource_token', '=', token).executeTakeFirst();
}

/** The ledger entries a settlement covers, its own debit last, with the invoices they are about. */
export async function settlementEntries(db: Db, settlement: Settlement): Promise<{ entries: LedgerEntry[]; invoices: Map<string, { order_id: string | null; invoice_time: number; price: string; currency: string }> }> {
  const entries = await db
    .selectFrom('ledger_entries')
    .selectAll()
    .where('merchant_id', '=', settlement.merchant_id)
    .where('currency', '=', settlement.currency)
    .where('seq', '>', settlement.opening_entry_seq)
    .where('seq', '<=', settlement.closing_entry_seq ?? 0)
    .orderBy('seq')
    .execute();
  const ids = [...new Set(entries.flatMap((e) => (e.invoice_id ? [e.invoice_id] : [])))];
  const rows = ids.length === 0 ? [] : await db.selectFrom('invoices').select(['id', 'order_id', 'invoice_time', 'price', 'currency']).where('id', 'in', ids).execute();
  return { entries, invoices: new Map(rows.map((r) => [r.id, r])) };
}
