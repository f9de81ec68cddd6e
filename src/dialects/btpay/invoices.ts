import Router from '@koa/router';
import type { Middleware } from 'koa';
import { cancelBill, createBill, issueBill, readBill, readBillList, type BillKey } from '../../engine/bills.js';
import { createMadeFromCache } from '../../engine/cache.js';
import { chainViewOf } from '../../engine/chain.js';
import type { EngineContext } from '../../engine/context.js';
import { invalidField, notFound } from '../../errors.js';
import { bodyOf, requestBaseUrl, type AppContext, type AppState } from '../../http/context.js';
import { guardedRoutes } from '../../http/guarded-routes.js';
import { onlyQueryParams, queryBoolean, queryInteger, queryValues } from '../../http/query.js';
import { validated } from '../../http/validate.js';
import { BTPAY, principalOf } from './auth.js';
import { billRequest, type InvoiceBody } from './invoice-request.js';
import { presentInvoice, presentStatus } from './presenters/invoice.js';
import { BTPAY_STATUSES, statesOf, type BtpayStatus } from './statuses.js';
import type { BillView } from '../../engine/entities.js';

/**
 * How `<ref>` names an invoice: `INV-0001` (its number), `A1B2C3D4-E5F6A7B8` (its reference),
 * `42` (its numeric id), or the id of the invoice it was finalized as (as BitPay and Greenfield show it).
 */
export function billKeyOf(ref: string): BillKey {
  const number = /^INV-(\d{1,9})$/i.exec(ref)?.[1];
  if (number !== undefined) return { number: Number(number) };
  if (/^\d{1,15}$/.test(ref)) return { seq: Number(ref) };
  if (/^[0-9A-F]{8}-[0-9A-F]{8}$/i.test(ref)) return { id: ref.toUpperCase() };
  return { invoiceId: ref };
}

export function invoicesRoutes(engine: EngineContext, auth: Middleware<AppState>, options: { reuseAddresses: boolean }): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1/invoices' });
  const routes = guardedRoutes(router, auth);
  const publicUrl = (ctx: AppContext) => requestBaseUrl(ctx, engine.config.publicUrl);
  /** Each cached bill's JSON text, made once per base URL. */
  const presentations = createMadeFromCache<BillView, string>();
  const presentedText = (view: BillView, url: string) => presentations(view, url, () => JSON.stringify(presentInvoice(view, url)));
  /** A bill made through this API (BitPay's bills are not seed 001's invoices). */
  const billOf = async (ctx: AppContext) => {
    const ref = ctx.params.ref as string;
    const view = await readBill(engine, principalOf(ctx).merchant.id, billKeyOf(ref), ref);
    if (view.bill.dialect !== BTPAY) throw notFound('invoice', `Invoice ${ref} not found`);
    return view;
  };

  routes.get('/', async (ctx) => {
    onlyQueryParams(ctx, ['status', 'limit', 'offset']);
    const statuses = queryValues(ctx, 'status').flatMap((value) => value.split(','));
    const unknown = statuses.find((s) => !(BTPAY_STATUSES as readonly string[]).includes(s));
    if (unknown !== undefined) throw invalidField('request', 'status', `"${unknown}" is not a status (${BTPAY_STATUSES.join(', ')})`);
    const limit = queryInteger(ctx, 'limit', 1, 100) ?? 50;
    const offset = queryInteger(ctx, 'offset', 0, 1_000_000_000) ?? 0;
    const states = statuses.flatMap((s) => statesOf(s as BtpayStatus));
    const { bills, total } = await readBillList(engine, principalOf(ctx).merchant.id, { ...(states.length ? { states } : {}), dialect: BTPAY, limit, offset });
    const url = publicUrl(ctx);
    ctx.type = 'json';
    ctx.body = `{"invoices":[${bills.map((view) => presentedText(view, url)).join(',')}],"total":${total},"limit":${limit},"offset":${offset}}`;
  });

  routes.post('/', async (ctx) => {
    const body = validated<InvoiceBody>('btpay/invoice-create', 'invoice', bodyOf(ctx));
    const view = await createBill(engine, principalOf(ctx).merchant, BTPAY, billRequest(body));
    ctx.status = 201;
    ctx.body = presentInvoice(view, publicUrl(ctx));
  });

  routes.get('/:ref', async (ctx) => {
    onlyQueryParams(ctx, ['include_payments']);
    const view = await billOf(ctx);
    if (queryBoolean(ctx, 'include_payments')) {
      ctx.body = presentInvoice(view, publicUrl(ctx), await chainViewOf(engine.db, view.invoice ? [view.invoice.id] : []));
      return;
    }
    ctx.type = 'json';
    ctx.body = presentedText(view, publicUrl(ctx));
  });

  routes.post('/:ref/finalize', async (ctx) => {
    const { bill } = await billOf(ctx);
    const { merchant, key } = principalOf(ctx);
    ctx.body = presentInvoice(await issueBill(engine, merchant.id, bill.id, key.key, options), publicUrl(ctx));
  });

  routes.get('/:ref/status', async (ctx) => {
    onlyQueryParams(ctx, []);
    ctx.body = presentStatus(await billOf(ctx));
  });

  routes.delete('/:ref', async (ctx) => {
    const { bill } = await billOf(ctx);
    const cancelled = await cancelBill(engine, principalOf(ctx).merchant.id, bill.id, { releaseAddress: options.reuseAddresses });
    ctx.body = { ok: true, status: presentStatus(cancelled).status };
  });

  return router;
}
