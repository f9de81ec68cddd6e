import type { Db } from '../db/schema.js';
import { toJson } from '../db/json.js';
import { newMerchantId } from '../domain/ids.js';
import type { TransactionSpeed } from '../domain/invoice.js';
import { notFound, invalidParam, missingParam } from '../errors.js';
import type { EngineContext } from './context.js';
import type { Merchant } from './entities.js';

export const DEFAULT_MERCHANT_NAME = 'Sandbox Merchant';
const NAME_MAX_LENGTH = 100;

/** The account every unqualified action uses. Created on first start; safe when several processes start at once. */
export async function ensureDefaultMerchant(ctx: EngineContext): Promise<Merchant> {
  await ctx.db
    .insertInto('merchants')
    .values({
      id: newMerchantId(ctx.random),
      name: DEFAULT_MERCHANT_NAME,
      is_default: true,
      created_at: ctx.clock.now(),
    })
    .onConflict((oc) => oc.column('is_default').where('is_default', '=', true).doNothing())
    .execute();
  return defaultMerchant(ctx.db);
}

export async function defaultMerchant(db: Db): Promise<Merchant> {
  return db.selectFrom('merchants').selectAll().where('is_default', '=', true).executeTakeFirstOrThrow();
}

/** A store's settings: the defaults of the invoices made without them. */
export interface StoreSettings {
  defaultCurrency?: string;
  website?: string | null;
  speed?: TransactionSpeed;
  invoiceExpirationSeconds?: number;
  monitoringExpirationSeconds?: number;
  /** percent, a decimal string */
  paymentTolerance?: string;
  /** percent of a completed invoice's price charged to the merchant's ledger, a decimal string */
  feePercent?: string;
  recipientsAutoActive?: boolean;
  /** 0: settled only on request */
  settlementIntervalMs?: number;
  payoutInfo?: Record<string, unknown>;
}

function settingsRow(settings: StoreSettings) {
  return {
    ...(settings.defaultCurrency !== undefined ? { default_currency: settings.defaultCurrency } : {}),
    ...(settings.website !== undefined ? { website: settings.website } : {}),
    ...(settings.speed !== undefined ? { transaction_speed: settings.speed } : {}),
    ...(settings.invoiceExpirationSeconds !== undefined ? { invoice_expiration_seconds: settings.invoiceExpirationSeconds } : {}),
    ...(settings.monitoringExpirationSeconds !== undefined ? { monitoring_expiration_seconds: settings.monitoringExpirationSeconds } : {}),
    ...(settings.paymentTolerance !== undefined ? { payment_tolerance: settings.paymentTolerance } : {}),
    ...(settings.feePercent !== undefined ? { fee_percent: settings.feePercent } : {}),
    ...(settings.recipientsAutoActive !== undefined ? { recipients_auto_active: settings.recipientsAutoActive } : {}),
    ...(settings.settlementIntervalMs !== undefined ? { settlement_interval_ms: settings.settlementIntervalMs } : {}),
    ...(settings.payoutInfo !== undefined ? { payout_info: toJson(settings.payoutInfo) } : {}),
  };
}

export async function createMerchant(ctx: EngineContext, input: { name?: unknown }, settings: StoreSettings = {}): Promise<Merchant> {
  const { name } = input;
  if (name === undefined || name === null || name === '') throw missingParam('request', 'Missing parameter: name');
  if (typeof name !== 'string' || name.trim() === '' || name.length > NAME_MAX_LENGTH) {
    throw invalidParam('request', `name must be a non-empty string of at most ${NAME_MAX_LENGTH} characters`);
  }
  return ctx.db
    .insertInto('merchants')
    .values({
      id: newMerchantId(ctx.random),
      name,
      is_default: false,
      created_at: ctx.clock.now(),
      ...settingsRow(settings),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Changes a store's name and settings; what is not given stays. */
export async function updateMerchant(ctx: EngineContext, id: string, name: string | undefined, settings: StoreSettings): Promise<Merchant> {
  const changes = { ...(name !== undefined ? { name } : {}), ...settingsRow(settings) };
  if (Object.keys(changes).length === 0) return getMerchant(ctx.db, id);
  const merchant = await ctx.db.updateTable('merchants').set(changes).where('id', '=', id).returningAll().executeTakeFirst();
  if (!merchant) throw notFound('request', `Merchant ${id} not found`);
  return merchant;
}

export async function listMerchants(db: Db): Promise<Merchant[]> {
  return db.selectFrom('merchants').selectAll().orderBy('seq').execute();
}

export async function getMerchant(db: Db, id: string): Promise<Merchant> {
  const merchant = await db.selectFrom('merchants').selectAll().where('id', '=', id).executeTakeFirst();
  if (!merchant) throw notFound('request', `Merchant ${id} not found`);
  return merchant;
}

/** A merchant, from the read cache (for what every request of a dialect reads). */
export async function readMerchant(ctx: EngineContext, id: string): Promise<Merchant> {
  const merchant = await ctx.caches.merchants.get(id, () => ctx.db.selectFrom('merchants').selectAll().where('id', '=', id).executeTakeFirst());
  if (!merchant) throw notFound('request', `Merchant ${id} not found`);
  return merchant;
}

/** The merchant named by a sandbox request, or the default one. */
export async function resolveMerchant(db: Db, merchantId: unknown): Promise<Merchant> {
  if (merchantId === undefined || merchantId === null || merchantId === '') return defaultMerchant(db);
  if (typeof merchantId !== 'string') throw invalidParam('request', 'merchantId must be a string');
  return getMerchant(db, merchantId);
}
