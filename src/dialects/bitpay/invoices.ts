import Router from '@koa/router';
import type { Facade } from '../../domain/facades.js';
import { dateRange, parseFlag } from '../../domain/query.js';
import { chainViewOf } from '../../engine/chain.js';
import type { EngineContext } from '../../engine/context.js';
import type { Sandbox } from '../../sandbox/controls.js';
import { cancelInvoice, createInvoice, findInvoiceByResourceToken, getInvoice, getInvoiceByGuid, readInvoice, resendInvoiceWebhook, updateInvoiceContact } from '../../engine/invoices.js';
import type { InvoiceStatus, TransactionSpeed } from '../../domain/invoice.js';
import { invalidParam } from '../../errors.js';
import { bodyOf, requestBaseUrl, type AppContext, type AppState } from '../../http/context.js';
import { queryOf } from './query.js';
import { principalOf, requireToken, requireTokenOrResource, type AuthOptions } from './auth.js';
import { validated } from '../../http/validate.js';
import { invoiceFacade, presentEventToken, presentInvoice } from './presenters/invoice.js';
import { chainStateOf, invoiceText, textAt, type InvoiceText } from './presenters/invoice-text.js';
import { createKeyedCache, createMadeFromCache } from '../../engine/cache.js';
import { presentedList } from '../../engine/presented-lists.js';
import { BITPAY } from './webhooks.js';
import { contactUpdateOf, newInvoiceOf, type CreateInvoiceRequest, type UpdateInvoiceRequest } from './invoice-request.js';
import type { ChainView, Invoice, InvoiceWithChain } from '../../engine/entities.js';

const DEFAULT_LIST_LIMIT = 100;
const MAX_LIST_LIMIT = 1000;

type InvoiceFacade = Extract<Facade, 'pos' | 'merchant'>;

/** The query string as an object; empty values count as absent (SDKs send `status=` for a null filter). */
/** BitPay's Invoices resource (BITPAY-WIRE §3.1). */
export function invoicesRoutes(engine: EngineContext, sandbox: Sandbox, auth: AuthOptions): Router<AppState> {
  const router = new Router<AppState>();
  /** Merchant-facade invoice texts by invoice state, for lists. */
  const texts = createKeyedCache<InvoiceText>();
  const posOrMerchant = requireToken(auth, ['pos', 'merchant']);
  const merchantOnly = requireToken(auth, ['merchant']);

  const present = async (ctx: AppContext, facade: InvoiceFacade, invoices: Invoice[], chain?: ChainView) => {
    const view = {
      facade,
      publicUrl: requestBaseUrl(ctx, engine.config.publicUrl),
      now: engine.clock.now(),
      chain: chain ?? (await chainViewOf(engine.db, invoices.map((i) => i.id))),
    };
    return invoices.map((invoice) => presentInvoice(invoice, view));
  };
  const respond = async (ctx: AppContext, invoice: Invoice, chain?: ChainView) => {
    const facade = principalOf(ctx).facade as InvoiceFacade;
    ctx.body = { facade: invoiceFacade({ facade }), data: (await present(ctx, facade, [invoice], chain))[0] };
  };
  /** A new invoice has no payments yet: nothing to look up on the chain. */
  const noPayments: ChainView = { tipHeight: 0, transactions: new Map() };

  router.post('/invoices', posOrMerchant, async (ctx) => {
    const principal = principalOf(ctx);
    const request = validated<CreateInvoiceRequest>('requests/invoice-create', 'invoice', bodyOf(ctx));
    const creator = {
      merchantId: principal.merchantId,
      merchantName: principal.token.merchant_name ?? '',
      transactionSpeed: (principal.token.merchant_transaction_speed ?? 'medium') as TransactionSpeed,
      apiToken: principal.token.token,
      facade: principal.facade as InvoiceFacade,
      dialect: BITPAY,
    };
    await respond(ctx, await createInvoice(engine, creator, newInvoiceOf(request, engine.config)), noPayments);
  });

  router.get('/invoices', merchantOnly, async (ctx) => {
    const query = validated<Record<string, string>>('requests/invoice-list', 'invoice', queryOf(ctx));
    const range = dateRange(query.dateStart as string, query.dateEnd as string);
    if (!range) throw invalidParam('invoice', 'Invalid parameters dateStart, dateEnd: dateEnd must not be before dateStart');
    const limit = query.limit === undefined ? DEFAULT_LIST_LIMIT : Number(query.limit);
    if (limit < 1 || limit > MAX_LIST_LIMIT) throw invalidParam('invoice', `Invalid parameter limit: must be from 1 to ${MAX_LIST_LIMIT}`);
    const publicUrl = requestBaseUrl(ctx, engine.config.publicUrl);
    const filter = {
      ...range,
      ...(query.status ? { statuses: [query.status as InvoiceStatus] } : {}),
      ...(query.orderId !== undefined ? { orderIds: [query.orderId] } : {}),
      limit,
      offset: query.offset === undefined ? 0 : Number(query.offset),
    };
    const listed = await presentedList(engine, principalOf(ctx).merchantId, filter, texts, {
      keyOf: (id, version, chain) => `${id} ${version} ${publicUrl} ${chainStateOf(id, chain)}`,
      present: (invoice, chain) => invoiceText(invoice, { facade: 'merchant', publicUrl, chain }),
    });
    const now = engine.clock.now();
    const data = listed.map((text) => textAt(text, now));
    ctx.type = 'json';
    ctx.body = `{"facade":"merchant/invoice","data":[${data.join(',')}]}`;
  });

  router.get('/invoices/guid/:guid', posOrMerchant, async (ctx) => {
    await respond(ctx, await getInvoiceByGuid(engine.db, principalOf(ctx).merchantId, ctx.params.guid as string));
  });

  // The hottest read (clients poll it): a cached invoice is presented once per facade and base
  // URL, for as long as the cache entry lives; only currentTime is filled in per request.
  const presentations = createMadeFromCache<InvoiceWithChain, InvoiceText>();
  router.get('/invoices/:id', posOrMerchant, async (ctx) => {
    const found = await readInvoice(engine, principalOf(ctx).merchantId, ctx.params.id as string);
    const facade = principalOf(ctx).facade as InvoiceFacade;
    const publicUrl = requestBaseUrl(ctx, engine.config.publicUrl);
    const text = presentations(found, `${facade} ${publicUrl}`, () => invoiceText(found.invoice, { facade, publicUrl, chain: found.chain }));
    ctx.type = 'json';
    ctx.body = `{"facade":"${invoiceFacade({ facade })}","data":${textAt(text, engine.clock.now())}}`;
  });

  router.get('/invoices/:id/events', merchantOnly, async (ctx) => {
    const invoice = await getInvoice(engine.db, principalOf(ctx).merchantId, ctx.params.id as string);
    ctx.body = { facade: 'merchant/invoice', data: presentEventToken(invoice, requestBaseUrl(ctx, engine.config.publicUrl)) };
  });

  // BitPay's test-environment mock payment; it pays through the simulated chain like any payment.
  router.put('/invoices/pay/:id', merchantOnly, async (ctx) => {
    const { status = 'confirmed' } = validated<{ status?: 'confirmed' | 'complete' }>('requests/invoice-pay', 'invoice', bodyOf(ctx));
    await respond(ctx, await sandbox.payToStatus(principalOf(ctx).merchantId, ctx.params.id as string, status));
  });

  router.put('/invoices/:id', merchantOnly, async (ctx) => {
    // PHP's SDK sends all of buyerEmail, buyerSms and smsCode, the unused ones as "".
    const given = Object.fromEntries(Object.entries(bodyOf(ctx)).filter(([field, value]) => !(value === '' && ['buyerEmail', 'buyerSms', 'smsCode'].includes(field))));
    const update = contactUpdateOf(validated<UpdateInvoiceRequest>('requests/invoice-update', 'invoice', given));
    await respond(ctx, await updateInvoiceContact(engine, principalOf(ctx).merchantId, ctx.params.id as string, update));
  });

  const invoiceResource = async (ctx: AppContext, token: string) => {
    const invoice = await findInvoiceByResourceToken(engine.db, token);
    return invoice && invoice.id === ctx.params.id ? { merchantId: invoice.merchant_id } : null;
  };
  router.post('/invoices/:id/notifications', requireTokenOrResource(auth, ['merchant'], invoiceResource), async (ctx) => {
    await resendInvoiceWebhook(engine, await getInvoice(engine.db, principalOf(ctx).merchantId, ctx.params.id as string));
    ctx.body = { data: 'Success' };
  });

  const cancel = (find: (merchantId: string, key: string) => Promise<Invoice>) => async (ctx: AppContext) => {
    const raw = ctx.query.forceCancel;
    const force = parseFlag(Array.isArray(raw) ? raw[0] : raw);
    if (force === null) throw invalidParam('invoice', 'Invalid parameter forceCancel: must be true or false');
    const invoice = await find(principalOf(ctx).merchantId, ctx.params.key as string);
    await respond(ctx, await cancelInvoice(engine, invoice, force));
  };
  router.delete('/invoices/guid/:key', merchantOnly, cancel((m, guid) => getInvoiceByGuid(engine.db, m, guid)));
  router.delete('/invoices/:key', merchantOnly, cancel((m, id) => getInvoice(engine.db, m, id)));

  return router;
}
