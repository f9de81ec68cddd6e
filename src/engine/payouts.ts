import type { Transaction } from 'kysely';
import { simulatedWalletAddress } from '../chain/addresses.js';
import type { Database, Db } from '../db/schema.js';
import { base58Text } from '../domain/ids.js';
import { feeOf } from '../domain/ledger.js';
import { Decimal, priceToSats } from '../domain/money.js';
import { canMovePayout, holdsLedgerMoney, nextPayoutCutoff, type PayoutStatus } from '../domain/payouts.js';
import { conflict, EngineError, notFound } from '../errors.js';
import { findCurrency } from '../fixtures.js';
import { chainViewOf, confirmations, newTxid } from './chain.js';
import type { EngineContext } from './context.js';
import { anythingDue } from './due.js';
import { availableBalance, writeLedgerEntries, type NewLedgerEntry } from './ledger.js';
import { activeRecipient } from './payout-recipients.js';
import { currentRateSheet } from './rates.js';
import type { PayoutRecipient } from './entities.js';
import type { Payout } from './entities.js';
import { publish } from './publish.js';

export interface NewPayout {
  /** decimal string, in `currency` */
  amount: string;
  currency: string;
  /** the ledger the money comes from */
  ledgerCurrency: string;
  recipient: { recipientId?: string; email?: string; shopperId?: string };
  reference?: string;
  label?: string;
  notificationUrl?: string;
  notificationEmail?: string;
  /** when it may be paid, ms; now when absent */
  effectiveDate?: number;
  ignoreEmails?: boolean;
}

const payoutNotFound = (id: string) => notFound('payout', `Payout ${id} not found`);

function checkedCurrency(code: string, field: string): string {
  const currency = findCurrency(code);
  if (!currency) throw new EngineError('invalid', `Invalid parameter ${field}: ${code} is not a supported currency`, { subject: 'payout', field: { path: field, problem: 'is not a supported currency' } });
  return currency.code;
}

/** A new payout to an active recipient, `new` until its ledger funds it (on or after its effective date). */
export async function createPayout(db: Db, ctx: EngineContext, merchantId: string, apiToken: string, request: NewPayout, groupId: string | null = null): Promise<Payout> {
  const currency = checkedCurrency(request.currency, 'currency');
  const ledgerCurrency = checkedCurrency(request.ledgerCurrency, 'ledgerCurrency');
  const amount = new Decimal(request.amount);
  const minimum = findCurrency(currency)?.minimum ?? 0;
  if (amount.lte(0) || amount.lt(minimum)) {
    throw new EngineError('invalid', `Invalid parameter amount: must be at least ${minimum} ${currency}`, { subject: 'payout', field: { path: 'amount', problem: `must be at least ${minimum}` } });
  }
  const recipient = await activeRecipient(db, merchantId, request.recipient);
  const rates = await currentRateSheet(ctx);
  for (const code of [currency, ledgerCurrency]) {
    if (!rates.perBtc.has(code)) throw new EngineError('invalid', `Invalid parameter: there is no rate for ${code}`, { subject: 'payout' });
  }
  const now = ctx.clock.now();
  const effective = request.effectiveDate ?? now;
  return db
    .insertInto('payouts')
    .values({
      id: base58Text(ctx.random, 22),
      merchant_id: merchantId,
      recipient_id: recipient.id,
      status: 'new',
      amount: amount.toString(),
      currency,
      ledger_currency: ledgerCurrency,
      ledger_amount: null,
      ledger_fee: null,
      exchange_rates: rates.lockedJson,
      reference: request.reference ?? null,
      label: request.label ?? null,
      notification_url: request.notificationUrl ?? null,
      notification_email: request.notificationEmail ?? null,
      ignore_emails: request.ignoreEmails === true,
      effective_date: effective,
      request_date: now,
      date_executed: null,
      // A payout made alone is a group of its own (BitPay's answers always name one).
      group_id: groupId ?? base58Text(ctx.random, 22),
      resource_token: base58Text(ctx.random, 44),
      api_token: apiToken,
      message: null,
      due_at: nextPayoutCutoff(Math.max(effective, now)),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function getPayout(db: Db, merchantId: string, id: string): Promise<Payout> {
  const payout = await db.selectFrom('payouts').selectAll().where('id', '=', id).where('merchant_id', '=', merchantId).executeTakeFirst();
  if (!payout) throw payoutNotFound(id);
  return payout;
}

export interface PayoutFilter {
  from?: number;
  to?: number;
  status?: PayoutStatus;
  reference?: string;
  groupId?: string;
  limit: number;
  offset: number;
}

export async function listPayouts(db: Db, merchantId: string, filter: PayoutFilter): Promise<Payout[]> {
  let query = db.selectFrom('payouts').selectAll().where('merchant_id', '=', merchantId);
  if (filter.from !== undefined) query = query.where('request_date', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('request_date', '<', filter.to);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.reference !== undefined) query = query.where('reference', '=', filter.reference);
  if (filter.groupId !== undefined) query = query.where('group_id', '=', filter.groupId);
  return query.orderBy('request_date', 'desc').orderBy('seq', 'desc').limit(filter.limit).offset(filter.offset).execute();
}

/** The recipients of payouts, by id, for presenting them (their e-mail and shopper id). */
export async function recipientsOf(db: Db, payouts: Payout[]): Promise<Map<string, PayoutRecipient>> {
  const ids = [...new Set(payouts.map((p) => p.recipient_id))];
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('payout_recipients').selectAll().where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r]));
}

type PayoutChanges = Partial<Pick<Payout, 'ledger_amount' | 'ledger_fee' | 'message' | 'due_at' | 'date_executed'>>;

/** Writes a payout's move and tells the dialects, in the caller's transaction; refuses a move the status table forbids. */
async function movePayout(trx: Db, ctx: EngineContext, payout: Payout, status: PayoutStatus, changes: PayoutChanges = {}): Promise<Payout> {
  if (!canMovePayout(payout.status, status)) throw conflict('payout', 'state', `Payout ${payout.id} is ${payout.status}; it cannot become ${status}`);
  const moved = await trx.updateTable('payouts').set({ ...changes, status }).where('id', '=', payout.id).returningAll().executeTakeFirstOrThrow();
  await publish(trx, ctx, [{ type: 'payout-changed', payout: moved }], ctx.clock.now());
  return moved;
}

/** What funding takes from the ledger: the amount in the ledger's currency at the rates locked at creation, and the merchant's fee. */
function ledgerCost(payout: Payout, feePercent: string) {
  const decimals = findCurrency(payout.ledger_currency)?.decimals ?? 2;
  const rates = payout.exchange_rates.BTC ?? {};
  const perBtc = (code: string) => (code === 'BTC' ? new Decimal(1) : new Decimal(rates[code] ?? Number.NaN));
  const amount = payout.currency === payout.ledger_currency
    ? new Decimal(payout.amount)
    : new Decimal(payout.amount).div(perBtc(payout.currency)).mul(perBtc(payout.ledger_currency)).toDecimalPlaces(decimals, Decimal.ROUND_HALF_UP);
  return { amount, fee: feeOf(amount, feePercent, decimals) };
}

/** Entries that take a payout's money from its ledger (signed -1), or give it back (+1). */
function ledgerMovement(payout: Payout, amount: Decimal, fee: Decimal, sign: 1 | -1): NewLedgerEntry[] {
  const about = { merchantId: payout.merchant_id, currency: payout.ledger_currency, payoutId: payout.id };
  if (sign === 1) return [{ ...about, kind: 'payout-return', amount: amount.plus(fee) }];
  return [{ ...about, kind: 'payout', amount: amount.neg() }, ...(fee.isZero() ? [] : [{ ...about, kind: 'payout-fee' as const, amount: fee.neg() }])];
}

/** Returns a funded or processing payout's money to its ledger, in the caller's transaction. */
async function returnLedgerMoney(trx: Db, ctx: EngineContext, payout: Payout): Promise<void> {
  if (!holdsLedgerMoney(payout.status) || payout.ledger_amount === null) return;
  await writeLedgerEntries(trx, ctx, ledgerMovement(payout, new Decimal(payout.ledger_amount), new Decimal(payout.ledger_fee ?? 0), 1), ctx.clock.now());
}

/**
 * One look at a due payout: `new` → funded when its ledger holds the amount and fee (then
 * processing: its transaction enters the mempool), or it waits, saying why; processing →
 * complete once its transaction has a confirmation.
 */
async function advance(trx: Transaction<Database>, ctx: EngineContext, payout: Payout): Promise<void> {
  const now = ctx.clock.now();
  if (payout.status === 'new') {
    const merchant = await trx.selectFrom('merchants').select(['id', 'fee_percent']).where('id', '=', payout.merchant_id).forUpdate().executeTakeFirstOrThrow();
    const { amount, fee } = ledgerCost(payout, merchant.fee_percent);
    const balance = await availableBalance(trx, payout.merchant_id, payout.ledger_currency);
    if (balance.lt(amount.plus(fee))) {
      const message = `Insufficient funds: the ${payout.ledger_currency} ledger has ${balance.toFixed()} available, the payout needs ${amount.toFixed()} plus a ${fee.toFixed()} fee`;
      await trx.updateTable('payouts').set({ message, due_at: nextPayoutCutoff(now + 1) }).where('id', '=', payout.id).execute();
      return;
    }
    await writeLedgerEntries(trx, ctx, ledgerMovement(payout, amount, fee, -1), now);
    const funded = await movePayout(trx, ctx, payout, 'funded', { ledger_amount: amount.toString(), ledger_fee: fee.toString(), message: null, due_at: null });
    await send(trx, ctx, funded);
    return;
  }
  if (payout.status === 'processing') {
    const tx = await trx.selectFrom('chain_transactions').selectAll().where('payout_id', '=', payout.id).where('double_spent_at', 'is', null).executeTakeFirst();
    const tip = (await chainViewOf(trx, [])).tipHeight;
    if (tx && confirmations(tx, tip) >= 1) await movePayout(trx, ctx, payout, 'complete', { date_executed: now, due_at: null });
    else await trx.updateTable('payouts').set({ due_at: null }).where('id', '=', payout.id).execute();
  }
}

/** A funded payout is sent: a transaction from the merchant's wallet to the recipient's enters the mempool. */
async function send(trx: Db, ctx: EngineContext, payout: Payout): Promise<Payout> {
  const rates = payout.exchange_rates.BTC ?? {};
  const sats = payout.currency === 'BTC' ? new Decimal(payout.amount).mul(100_000_000).round() : priceToSats(payout.amount, rates[payout.currency] ?? Number.NaN);
  await trx
    .insertInto('chain_transactions')
    .values({
      txid: newTxid(ctx),
      invoice_id: null,
      refund_id: null,
      payout_id: payout.id,
      address: simulatedWalletAddress(ctx.random, ctx.config.btcNetwork),
      output_index: 0,
      amount_sats: sats.toNumber(),
      fee_sats: 0,
      rbf: false,
      received_at: ctx.clock.now(),
      block_height: null,
      double_spent_at: null,
    })
    .execute();
  return movePayout(trx, ctx, payout, 'processing');
}

const BATCH = 200;

/** The scheduler's pass over payouts that are due, claimed with SKIP LOCKED like invoices. */
export async function advanceDuePayouts(ctx: EngineContext): Promise<number> {
  const now = ctx.clock.now();
  if (!(await anythingDue(ctx.db, 'payouts', now))) return 0;
  return ctx.db.transaction().execute(async (trx) => {
    const due = await trx.selectFrom('payouts').selectAll().where('due_at', '<=', now).orderBy('due_at').limit(BATCH).forUpdate().skipLocked().execute();
    for (const payout of due) await advance(trx, ctx, payout);
    return due.length;
  });
}

/** `DELETE /payouts/:id`: a payout not yet sent is cancelled, and what funding took goes back to the ledger. */
export async function cancelPayout(trx: Db, ctx: EngineContext, merchantId: string, id: string): Promise<Payout> {
  const payout = await trx.selectFrom('payouts').selectAll().where('id', '=', id).where('merchant_id', '=', merchantId).forUpdate().executeTakeFirst();
  if (!payout) throw payoutNotFound(id);
  if (payout.status !== 'new' && payout.status !== 'funded') {
    throw conflict('payout', 'state', `Payout ${id} is ${payout.status}; only a new or funded payout can be cancelled`);
  }
  await returnLedgerMoney(trx, ctx, payout);
  return movePayout(trx, ctx, payout, 'cancelled', { due_at: null });
}

export async function cancelPayoutNow(ctx: EngineContext, merchantId: string, id: string): Promise<Payout> {
  return ctx.db.transaction().execute((trx) => cancelPayout(trx, ctx, merchantId, id));
}

/** Sandbox: the payout fails (before it completes); what funding took goes back to the ledger. */
export async function failPayout(ctx: EngineContext, id: string, reason = 'Failed in the sandbox'): Promise<Payout> {
  return ctx.db.transaction().execute(async (trx) => {
    const payout = await trx.selectFrom('payouts').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!payout) throw payoutNotFound(id);
    if (!canMovePayout(payout.status, 'failed')) throw conflict('payout', 'state', `Payout ${id} is ${payout.status}; it can no longer fail`);
    await returnLedgerMoney(trx, ctx, payout);
    await trx.updateTable('chain_transactions').set({ double_spent_at: ctx.clock.now() }).where('payout_id', '=', id).where('block_height', 'is', null).execute();
    return movePayout(trx, ctx, payout, 'failed', { message: reason, due_at: null });
  });
}

/** The merchant asks to be told of the payout again, as it is now (by e-mail where it has no notificationURL). */
export async function requestPayoutNotification(ctx: EngineContext, merchantId: string, id: string): Promise<void> {
  const payout = await getPayout(ctx.db, merchantId, id);
  await publish(ctx.db, ctx, [{ type: 'payout-notification-requested', payout }], ctx.clock.now());
}

/** Sandbox: money arrives in a merchant's ledger (a deposit); payouts waiting for it are funded at the next cut-off. */
export async function depositToLedger(ctx: EngineContext, merchantId: string, currency: string, amount: Decimal): Promise<void> {
  const code = checkedCurrency(currency, 'currency');
  await writeLedgerEntries(ctx.db, ctx, [{ merchantId, currency: code, kind: 'deposit', amount }], ctx.clock.now());
}

/**
 * Sandbox: the payout cut-off comes now for the merchant's new payouts whose effective date has
 * come (all merchants' when none is named); those the ledger can fund are funded and sent.
 */
export async function processPayoutsNow(ctx: EngineContext, merchantId: string | null): Promise<number> {
  const now = ctx.clock.now();
  let query = ctx.db.updateTable('payouts').set({ due_at: now }).where('status', '=', 'new').where('effective_date', '<=', now);
  if (merchantId !== null) query = query.where('merchant_id', '=', merchantId);
  const result = await query.executeTakeFirst();
  while ((await advanceDuePayouts(ctx)) === BATCH);
  return Number(result.numUpdatedRows);
}

export interface GroupOutcome<T> {
  done: Payout[];
  failed: (T & { errMessage: string })[];
}

/** `POST /payouts/group`: each instruction is a payout of the group, or a failure saying why; the good ones are kept. */
export async function createPayoutGroup(ctx: EngineContext, merchantId: string, apiToken: string, instructions: { request: NewPayout | null; payee: string; problem?: string }[]): Promise<{ groupId: string } & GroupOutcome<{ payee: string }>> {
  const groupId = base58Text(ctx.random, 22);
  const done: Payout[] = [];
  const failed: { payee: string; errMessage: string }[] = [];
  for (const { request, payee, problem } of instructions) {
    if (!request) {
      failed.push({ payee, errMessage: problem ?? 'Invalid payout instruction' });
      continue;
    }
    try {
      done.push(await createPayout(ctx.db, ctx, merchantId, apiToken, request, groupId));
    } catch (error) {
      if (!(error instanceof EngineError)) throw error;
      failed.push({ payee, errMessage: error.message });
    }
  }
  return { groupId, done, failed };
}

/** `DELETE /payouts/group/:id`: every payout of the group that can still be cancelled is; the others say why not. */
export async function cancelPayoutGroup(ctx: EngineContext, merchantId: string, groupId: string): Promise<GroupOutcome<{ payoutId: string }>> {
  const members = await listPayouts(ctx.db, merchantId, { groupId, limit: 10_000, offset: 0 });
  if (members.length === 0) throw notFound('payout', `Payout group ${groupId} not found`);
  const done: Payout[] = [];
  const failed: { payoutId: string; errMessage: string }[] = [];
  for (const member of members.reverse()) {
    try {
      done.push(await cancelPayoutNow(ctx, merchantId, member.id));
    } catch (error) {
      if (!(error instanceof EngineError)) throw error;
      failed.push({ payoutId: member.id, errMessage: error.message });
    }
  }
  return { done, failed };
}

/** The payouts' transactions, with their confirmations, by payout id. */
export async function payoutTransactions(db: Db, payoutIds: string[]) {
  if (payoutIds.length === 0) return new Map<string, { txid: string; amountSats: number; date: number; confirmations: number }[]>();
  const [rows, view] = await Promise.all([db.selectFrom('chain_transactions').selectAll().where('payout_id', 'in', payoutIds).orderBy('seq').execute(), chainViewOf(db, [])]);
  const byPayout = new Map<string, { txid: string; amountSats: number; date: number; confirmations: number }[]>();
  for (const tx of rows) {
    const list = byPayout.get(tx.payout_id as string) ?? [];
    list.push({ txid: tx.txid, amountSats: tx.amount_sats, date: tx.received_at, confirmations: tx.double_spent_at === null ? confirmations(tx, view.tipHeight) : 0 });
    byPayout.set(tx.payout_id as string, list);
  }
  return byPayout;
}
