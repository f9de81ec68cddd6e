import { toJson } from '../db/json.js';
import type { Db } from '../db/schema.js';
import { Decimal, isPlainDecimal } from '../domain/money.js';
import { invalidParam } from '../errors.js';
import { findCurrency, fixtures } from '../fixtures.js';
import type { EngineContext } from './context.js';
import type { BtcRates, RateSheet } from './entities.js';

/**
 * Bounds of a rate, in units of the currency per BTC. Below the lower one, ordinary prices
 * would ask for more bitcoin than exists (at 0.0001, a price of 2,100 is all 21 million BTC);
 * above the upper one, a satoshi would be worth more than ten million units.
 */
const MIN_RATE = '0.0001';
const MAX_RATE = '1000000000000000';

/** Puts the fixture rates in place for codes that have none (first start, or after a reset). */
export async function seedRates(ctx: EngineContext): Promise<void> {
  const now = ctx.clock.now();
  const rows = Object.entries(fixtures.rates.BTC).map(([code, rate]) => ({ code, rate, updated_at: now }));
  await ctx.db.insertInto('rates').values(rows).onConflict((oc) => oc.column('code').doNothing()).execute();
}

async function loadRateSheet(db: Db): Promise<RateSheet> {
  const rows = await db.selectFrom('rates').select(['code', 'rate']).execute();
  const perBtc: BtcRates = new Map(rows.map((r) => [r.code, new Decimal(r.rate)]));
  const locked: Record<string, number> = {};
  for (const [code, rate] of perBtc) if (code !== 'BTC') locked[code] = rate.toNumber();
  return { perBtc, lockedJson: toJson({ BTC: locked }) };
}

/** What the cached rates are made of. */
export const RATE_READ_TABLES = ['rates'];

/** The rates now (cached: every invoice creation reads them). */
export async function currentRateSheet(ctx: EngineContext): Promise<RateSheet> {
  return (await ctx.caches.rates.get('rates', () => loadRateSheet(ctx.db))) as RateSheet;
}

/** The BTC rates now. */
export async function currentRates(ctx: EngineContext): Promise<BtcRates> {
  return (await currentRateSheet(ctx)).perBtc;
}

/**
 * `PUT /sandbox/rates {BTC: {USD: 65000, …}}`: sets the listed BTC rates. Invoices keep the
 * rates they locked at creation.
 */
export async function updateRates(ctx: EngineContext, body: Record<string, unknown>): Promise<BtcRates> {
  const bases = Object.keys(body);
  if (bases.length !== 1 || bases[0] !== 'BTC' || typeof body.BTC !== 'object' || body.BTC === null || Array.isArray(body.BTC)) {
    throw invalidParam('request', 'Rates are set per bitcoin: send {"BTC": {"USD": 65000, …}}');
  }
  const entries = Object.entries(body.BTC as Record<string, unknown>);
  if (entries.length === 0) throw invalidParam('request', 'No rates given');
  const now = ctx.clock.now();
  const rows = entries.map(([code, value]) => {
    if (!findCurrency(code)) throw invalidParam('request', `Unknown currency: ${code}`);
    if (code === 'BTC') throw invalidParam('request', 'The BTC rate of BTC is always 1');
    let rate: Decimal;
    try {
      rate = new Decimal(value as Decimal.Value);
    } catch {
      throw invalidParam('request', `Rate for ${code} must be a positive number`);
    }
    const readable = typeof value === 'number' || (typeof value === 'string' && isPlainDecimal(value));
    if (!readable || !rate.isFinite() || rate.lte(0)) {
      throw invalidParam('request', `Rate for ${code} must be a positive number`);
    }
    if (rate.lt(MIN_RATE) || rate.gt(MAX_RATE)) {
      throw invalidParam('request', `Rate for ${code} must be from ${MIN_RATE} to ${MAX_RATE} ${code} per BTC`);
    }
    return { code, rate: rate.toString(), updated_at: now };
  });
  await ctx.db
    .insertInto('rates')
    .values(rows)
    .onConflict((oc) => oc.column('code').doUpdateSet((eb) => ({ rate: eb.ref('excluded.rate'), updated_at: now })))
    .execute();
  return currentRates(ctx);
}
