import type { Db } from '../db/schema.js';
import { toJson } from '../db/json.js';
import { SLUG, slugify, type BillPaymentMethod } from '../domain/bill.js';
import { newHexRef } from '../domain/ids.js';
import { Decimal } from '../domain/money.js';
import { conflict, EngineError, invalidParam, notFound } from '../errors.js';
import { findCurrency } from '../fixtures.js';
import { createBill, issueBill } from './bills.js';
import type { EngineContext } from './context.js';
import { getMerchant } from './merchants.js';
import type { BillView, Merchant } from './entities.js';
import type { PaymentLink } from './entities.js';

export interface NewPaymentLink {
  title: string;
  /** From the title when absent. */
  slug?: string;
  description?: string;
  /** A decimal string; absent: the payer chooses. */
  amount?: string;
  /** The merchant's default currency when absent. */
  currency?: string;
  paymentMethods: BillPaymentMethod[];
  redirectUrl?: string;
  metadata: Record<string, unknown>;
}

const linkNotFound = (slug: string) => notFound('request', `Payment link ${slug} not found`);

/** A slug of the merchant's not yet taken: the title's, then with -2, -3… */
async function freeSlug(db: Db, merchantId: string, title: string): Promise<string> {
  const base = slugify(title);
  const taken = new Set(
    (await db.selectFrom('payment_links').select('slug').where('merchant_id', '=', merchantId).where('slug', 'like', `${base}%`).execute()).map((r) => r.slug),
  );
  let slug = base;
  for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
  return slug;
}

export async function createPaymentLink(ctx: EngineContext, merchant: Merchant, dialect: string, request: NewPaymentLink): Promise<PaymentLink> {
  const currency = request.currency ?? merchant.default_currency;
  const info = findCurrency(currency);
  if (!info) throw new EngineError('invalid', `currency ${currency} is not a supported currency`, { subject: 'request', field: { path: 'currency', problem: 'is not a supported currency' } });
  if (request.amount !== undefined && new Decimal(request.amount).lt(info.minimum)) {
    throw new EngineError('invalid', `amount must be at least ${info.minimum} ${currency}`, { subject: 'request', field: { path: 'amount', problem: `must be at least ${info.minimum}` } });
  }
  if (request.slug !== undefined && !SLUG.test(request.slug)) {
    throw new EngineError('invalid', 'slug must be 1 to 64 lower-case letters, digits and inner hyphens, e.g. "donate" or "summer-sale"', {
      subject: 'request',
      field: { path: 'slug', problem: 'is not a slug' },
    });
  }
  const slug = request.slug ?? (await freeSlug(ctx.db, merchant.id, request.title));
  const created = await ctx.db
    .insertInto('payment_links')
    .values({
      id: newHexRef(ctx.random),
      merchant_id: merchant.id,
      dialect,
      slug,
      title: request.title,
      description: request.description ?? '',
      amount: request.amount === undefined ? null : new Decimal(request.amount).toString(),
      currency,
      payment_methods: toJson(request.paymentMethods),
      redirect_url: request.redirectUrl ?? null,
      metadata: toJson(request.metadata),
      created_at: ctx.clock.now(),
    })
    .onConflict((oc) => oc.columns(['merchant_id', 'slug']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!created) throw conflict('request', 'slug-taken', `A payment link with slug "${slug}" already exists (slugs stay taken after a link is deleted)`);
  return created;
}

export async function listPaymentLinks(db: Db, merchantId: string): Promise<PaymentLink[]> {
  return db.selectFrom('payment_links').selectAll().where('merchant_id', '=', merchantId).orderBy('seq').execute();
}

export async function getPaymentLink(db: Db, merchantId: string, slug: string): Promise<PaymentLink> {
  const link = await db.selectFrom('payment_links').selectAll().where('merchant_id', '=', merchantId).where('slug', '=', slug).executeTakeFirst();
  if (!link) throw linkNotFound(slug);
  return link;
}

/** Soft delete: the link stays (and keeps its slug) but takes no more payments. */
export async function deactivatePaymentLink(ctx: EngineContext, merchantId: string, slug: string): Promise<PaymentLink> {
  const link = await ctx.db.updateTable('payment_links').set({ active: false }).where('merchant_id', '=', merchantId).where('slug', '=', slug).returningAll().executeTakeFirst();
  if (!link) throw linkNotFound(slug);
  return link;
}

/**
 * A payer pays through a link: a one-line bill for the link's amount (or the one the payer
 * chose), issued at once, so its invoice is ready to pay.
 */
export async function payThroughLink(
  ctx: EngineContext,
  merchantId: string,
  slug: string,
  chosenAmount: string | undefined,
  options: { reuseAddresses: boolean },
): Promise<BillView> {
  const link = await getPaymentLink(ctx.db, merchantId, slug);
  if (!link.active) throw conflict('request', 'link-inactive', `Payment link ${slug} is no longer active`);
  const info = findCurrency(link.currency);
  let amount = link.amount;
  if (amount === null) {
    if (chosenAmount === undefined || !/^\d+(\.\d+)?$/.test(chosenAmount)) throw invalidParam('request', 'Enter the amount to pay, e.g. 25.00');
    const chosen = new Decimal(chosenAmount);
    if (chosen.decimalPlaces() > (info?.decimals ?? 2)) throw invalidParam('request', `The amount may have at most ${info?.decimals ?? 2} decimals`);
    if (info && chosen.lt(info.minimum)) throw invalidParam('request', `The amount must be at least ${info.minimum} ${link.currency}`);
    amount = chosen.toString();
  }
  const merchant = await getMerchant(ctx.db, merchantId);
  const draft = await createBill(ctx, merchant, link.dialect, {
    currency: link.currency,
    lines: [{ description: link.title, quantity: '1', unitPrice: amount }],
    customer: {},
    paymentMethods: link.payment_methods,
    metadata: link.metadata,
    paymentLinkId: link.id,
    ...(link.redirect_url ? { redirectUrl: link.redirect_url } : {}),
  });
  return issueBill(ctx, merchantId, draft.bill.id, `payment-link:${link.id}`, options);
}
