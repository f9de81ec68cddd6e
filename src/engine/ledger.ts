import { sql } from 'kysely';
import type { Db } from '../db/schema.js';
import { insertRows } from '../db/insert-rows.js';
import { toJson } from '../db/json.js';
import type { LedgerEntryDetails } from '../db/tables/ledger.js';
import type { Step } from '../domain/lifecycle.js';
import { feeOf, type LedgerEntryKind } from '../domain/ledger.js';
import { base58Text } from '../domain/ids.js';
import { Decimal } from '../domain/money.js';
import { findCurrency } from '../fixtures.js';
import type { EngineContext } from './context.js';
import type { Invoice } from './entities.js';
import type { LedgerEntry } from './entities.js';

export interface NewLedgerEntry {
  merchantId: string;
  currency: string;
  kind: LedgerEntryKind;
  /** signed: credits positive, debits negative */
  amount: Decimal;
  invoiceId?: string;
  refundId?: string;
  payoutId?: string;
  settlementId?: string;
  details?: LedgerEntryDetails;
}

/** Writes entries in the caller's transaction: they exist if and only if what caused them committed. */
export async function writeLedgerEntries(db: Db, ctx: EngineContext, entries: NewLedgerEntry[], at: number): Promise<void> {
  if (entries.length === 0) return;
  await insertRows(
    db,
    'ledger_entries',
    entries.map((entry) => ({
        id: base58Text(ctx.random, 22),
        merchant_id: entry.merchantId,
        currency: entry.currency,
        kind: entry.kind,
        amount: entry.amount.toString(),
        occurred_at: at,
        invoice_id: entry.invoiceId ?? null,
        refund_id: entry.refundId ?? null,
        payout_id: entry.payoutId ?? null,
        settlement_id: entry.settlementId ?? null,
        details: toJson(entry.details ?? {}),
    })),
  );
}

/** What a ledger shows about an invoice beside an amount. */
export function invoiceDetails(invoice: Invoice): LedgerEntryDetails {
  return {
    invoicePrice: new Decimal(invoice.price).toString(),
    invoiceCurrency: invoice.currency,
    buyer: invoice.buyer,
    ...(invoice.order_id ? { orderId: invoice.order_id } : {}),
    transactionCurrency: 'BTC',
  };
}

/**
 * Credits each invoice that just completed with its price, in its currency's ledger, less the
 * merchant's fee, in the caller's transaction (lifecycle.recordSteps calls it for every step).
 */
export async function creditCompletedInvoices(db: Db, ctx: EngineContext, histories: { invoice: Invoice; steps: Step[] }[], at: number): Promise<void> {
  const completed = histories.filter(({ steps }) => steps.some((step) => step.to === 'complete' && step.from !== 'complete')).map(({ invoice }) => invoice);
  if (completed.length === 0) return;
  const merchants = await db.selectFrom('merchants').select(['id', 'fee_percent']).where('id', 'in', [...new Set(completed.map((i) => i.merchant_id))]).execute();
  const feePercent = new Map(merchants.map((m) => [m.id, m.fee_percent]));
  const entries = completed.flatMap((invoice): NewLedgerEntry[] => {
    const price = new Decimal(invoice.price);
    const fee = feeOf(price, feePercent.get(invoice.merchant_id) ?? 0, findCurrency(invoice.currency)?.decimals ?? 2);
    const about = { merchantId: invoice.merchant_id, currency: invoice.currency, invoiceId: invoice.id, details: invoiceDetails(invoice) };
    return [{ ...about, kind: 'invoice', amount: price }, ...(fee.isZero() ? [] : [{ ...about, kind: 'invoice-fee' as const, amount: fee.neg() }])];
  });
  await writeLedgerEntries(db, ctx, entries, at);
}

/** Each ledger of the merchant with its balance: the sum of its entries (decimal strings). */
export async function ledgerBalances(db: Db, merchantId: string): Promise<{ currency: string; balance: string }[]> {
  const rows = await db
    .selectFrom('ledger_entries')
    .select(['currency', sql<string>`sum(amount)::text`.as('balance')])
    .where('merchant_id', '=', merchantId)
    .groupBy('currency')
    .orderBy('currency')
    .execute();
  return rows.map((row) => ({ currency: row.currency, balance: new Decimal(row.balance).toString() }));
}

/** The balance of one ledger now, in the caller's transaction. */
export async function ledgerBalance(db: Db, merchantId: string, currency: string): Promise<Decimal> {
  const row = await db
    .selectFrom('ledger_entries')
    .select(sql<string | null>`sum(amount)::text`.as('balance'))
    .where('merchant_id', '=', merchantId)
    .where('currency', '=', currency)
    .executeTakeFirst();
  return new Decimal(row?.balance ?? 0);
}

/** One ledger's entries, oldest first, optionally within [from, to). */
export async function ledgerEntries(db: Db, merchantId: string, currency: string, range: { from?: number; to?: number } = {}): Promise<LedgerEntry[]> {
  let query = db.selectFrom('ledger_entries').selectAll().where('merchant_id', '=', merchantId).where('currency', '=', currency);
  if (range.from !== undefined) query = query.where('occurred_at', '>=', range.from);
  if (range.to !== undefined) query = query.where('occurred_at', '<', range.to);
  return query.orderBy('occurred_at').orderBy('seq').execute();
}

/** Whether an invoice's price was credited to its merchant's ledger (it completed). */
export async function wasCredited(db: Db, invoiceId: string): Promise<boolean> {
  const found = await db.selectFrom('ledger_entries').select('id').where('invoice_id', '=', invoiceId).where('kind', '=', 'invoice').executeTakeFirst();
  return found !== undefined;
}

/** What refunds requested and not yet sent will take from a ledger: those of invoices it was credited with. */
export async function heldForRefunds(db: Db, merchantId: string, currency: string): Promise<Decimal> {
  const row = await db
    .selectFrom('refunds as r')
    .select(sql<string>`coalesce(sum(r.amount + CASE WHEN r.buyer_pays_refund_fee THEN 0 ELSE r.refund_fee END), 0)::text`.as('held'))
    .where('r.merchant_id', '=', merchantId)
    .where('r.currency', '=', currency)
    .where('r.status', 'in', ['created', 'pending'])
    .where(({ exists, selectFrom }) => exists(selectFrom('ledger_entries as e').select('e.id').whereRef('e.invoice_id', '=', 'r.invoice_id').where('e.kind', '=', 'invoice')))
    .executeTakeFirstOrThrow();
  return new Decimal(row.held);
}

/** A ledger's balance less what refunds in progress will take from it: what payouts and new refunds may use. */
export async function availableBalance(db: Db, merchantId: string, currency: string): Promise<Decimal> {
  const [balance, held] = await Promise.all([ledgerBalance(db, merchantId, currency), heldForRefunds(db, merchantId, currency)]);
  return balance.minus(held);
}
