import Router from '@koa/router';
import type { Next } from 'koa';
import { parseInstant } from '../../domain/query.js';
import { createBill, deliverBill, findBillByResourceToken, getBill, listBills, updateBill } from '../../engine/bills.js';
import type { EngineContext } from '../../engine/context.js';
import { getMerchant } from '../../engine/merchants.js';
import { EngineError, invalidField, invalidParam, notFound } from '../../errors.js';
import { bodyOf, requestBaseUrl, type AppContext, type AppState } from '../../http/context.js';
import { validated } from '../../http/validate.js';
import { principalOf, requireToken, requireTokenOrResource, type AuthOptions } from './auth.js';
import { BILL_STATUSES, billStatus, presentBill } from './presenters/bill.js';
import { queryOf } from './query.js';
import { BITPAY } from './webhooks.js';
import type { NewBill } from '../../domain/bill.js';

export interface BillBody {
  number?: string;
  currency: string;
  email?: string;
  cc?: string[];
  name?: string;
  address1?: string;
  address2?: string;
  city?: string;
  state?: string;
  zip?: string;
  country?: string;
  phone?: string;
  dueDate?: string;
  passProcessingFee?: boolean;
  items: { id?: string; description?: string; price: number; quantity: number }[];
}

/** BitPay's bill body as the engine's bill: items are lines with ids of their own. */
export function billRequest(body: BillBody, facade: string): NewBill {
  let dueDate: number | undefined;
  if (body.dueDate) {
    const parsed = parseInstant(body.dueDate);
    if (!parsed) throw invalidField('bill', 'dueDate', 'must be a date (YYYY-MM-DD) or an ISO 8601 date-time');
    dueDate = parsed.ms;
  }
  const customer = Object.fromEntries(
    Object.entries({ email: body.email, name: body.name, address1: body.address1, address2: body.address2, city: body.city, state: body.state, zip: body.zip, country: body.country, phone: body.phone }).filter(
      ([, value]) => value !== undefined && value !== '',
    ),
  );
  return {
    currency: body.currency.toUpperCase(),
    lines: body.items.map((item, i) => ({ id: item.id ?? `item-${i + 1}`, description: item.description ?? '', quantity: String(item.quantity), unitPrice: String(item.price) })),
    customer: { ...customer, ...(body.cc?.length ? { cc: body.cc } : {}) },
    paymentMethods: ['onchain_btc'],
    metadata: {},
    ...(body.number ? { reference: body.number } : {}),
    ...(dueDate !== undefined ? { dueDate } : {}),
    ...(body.passProcessingFee !== undefined ? { passProcessingFee: body.passProcessingFee } : {}),
    facade,
  };
}

const billNotFound = (id: string) => notFound('bill', `Bill ${id} not found`);

/** BitPay's Bills resource (BITPAY-WIRE §3.3). */
export function billsRoutes(engine: EngineContext, auth: AuthOptions): Router<AppState> {
  const router = new Router<AppState>();
  const posOrMerchant = requireToken(auth, ['pos', 'merchant']);
  const merchantOnly = requireToken(auth, ['merchant']);
  const merchantOf = (ctx: AppContext) => principalOf(ctx).merchantId;
  const publicUrl = (ctx: AppContext) => requestBaseUrl(ctx, engine.config.publicUrl);
  const facadeOf = (ctx: AppContext) => `${principalOf(ctx).facade === 'pos' ? 'pos' : 'merchant'}/bill`;
  const billOf = (ctx: AppContext) =>
    getBill(engine.db, merchantOf(ctx), { id: ctx.params.id as string }, ctx.params.id as string).then(
      (view) => {
        if (view.bill.dialect !== BITPAY) throw billNotFound(ctx.params.id as string);
        return view;
      },
      (error: unknown) => {
        throw error instanceof EngineError && error.kind === 'not-found' ? billNotFound(ctx.params.id as string) : error;
      },
    );
  const billResource = async (ctx: AppContext, token: string) => {
    const bill = await findBillByResourceToken(engine.db, token);
    return bill && bill.id === ctx.params.id ? { merchantId: bill.merchant_id } : null;
  };

  router.post('/bills', posOrMerchant, async (ctx) => {
    const body = validated<BillBody>('requests/bill', 'bill', bodyOf(ctx));
    const merchant = await getMerchant(engine.db, merchantOf(ctx));
    const view = await createBill(engine, merchant, BITPAY, billRequest(body, principalOf(ctx).facade));
    ctx.body = { facade: facadeOf(ctx), data: presentBill(view, publicUrl(ctx)) };
  });

  router.get('/bills', merchantOnly, async (ctx) => {
    const { status } = queryOf(ctx);
    if (status !== undefined && !(BILL_STATUSES as readonly unknown[]).includes(status)) {
      throw invalidParam('bill', `Invalid parameter status: must be one of ${BILL_STATUSES.join(', ')}`);
    }
    // BitPay's list has no paging: every bill of the merchant, newest first.
    const { bills } = await listBills(engine.db, merchantOf(ctx), { dialect: BITPAY, offset: 0 });
    ctx.body = { facade: 'merchant/bill', data: bills.filter((view) => status === undefined || billStatus(view) === status).map((view) => presentBill(view, publicUrl(ctx))) };
  });

  router.get('/bills/:id', posOrMerchant, async (ctx) => {
    ctx.body = { facade: facadeOf(ctx), data: presentBill(await billOf(ctx), publicUrl(ctx)) };
  });

  router.put('/bills/:id', requireTokenOrResource(auth, ['merchant'], billResource), async (ctx) => {
    const current = await billOf(ctx);
    const body = validated<BillBody>('requests/bill', 'bill', bodyOf(ctx));
    const view = await updateBill(engine, merchantOf(ctx), current.bill.id, billRequest(body, current.bill.facade ?? 'merchant'));
    ctx.body = { facade: 'merchant/bill', data: presentBill(view, publicUrl(ctx)) };
  });

  // A pos bill's own token delivers it without a signature, as a pos client cannot sign.
  const posBillDelivery = async (ctx: AppContext, next: Next) => {
    const token = bodyOf(ctx).token;
    const bill = typeof token === 'string' ? await findBillByResourceToken(engine.db, token) : undefined;
    if (bill && bill.id === ctx.params.id && bill.facade === 'pos' && !ctx.get('x-signature')) {
      ctx.state.principal = { merchantId: bill.merchant_id, facade: 'pos', sin: null, token: null };
      return deliver(ctx);
    }
    return next();
  };
  const deliver = async (ctx: AppContext) => {
    await billOf(ctx);
    await deliverBill(engine, merchantOf(ctx), ctx.params.id as string);
    ctx.body = { data: 'Success' };
  };
  router.post('/bills/:id/deliveries', posBillDelivery, requireTokenOrResource(auth, ['merchant'], billResource), deliver);

  return router;
}
