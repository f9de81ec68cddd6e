import Router from '@koa/router';
import type { Middleware } from 'koa';
import { guardedRoutes } from '../../http/guarded-routes.js';
import { chainViewOf } from '../../engine/chain.js';
import type { EngineContext } from '../../engine/context.js';
import { createKeyedCache, createMadeFromCache } from '../../engine/cache.js';
import { createInvoice, describeInvoice, getInvoice, markInvoice, readInvoice, setInvoiceArchived } from '../../engine/invoices.js';
import { presentedList } from '../../engine/presented-lists.js';
import { invalidField } from '../../errors.js';
import { requestBaseUrl, type AppContext, type AppState } from '../../http/context.js';
import { validatedAsIs } from '../../http/validate.js';
import { authorizedStore, GREENFIELD, principalOf } from './auth.js';
import { describedBy, newInvoiceOf, type CreateInvoiceBody } from './invoice-request.js';
import { presentInvoice } from './presenters/invoice.js';
import { presentPaymentMethods } from './presenters/payment-methods.js';
import { emptyOk, rawBody } from './http.js';
import { queryBoolean, queryInteger, queryValues, onlyQueryParams } from '../../http/query.js';
import { engineStatuses, GREENFIELD_STATUSES, isBitcoinMethod, type GreenfieldStatus } from './statuses.js';
import type { Invoice } from '../../engine/entities.js';

const MAX_TAKE = 1000;
const LIST_PARAMS = ['orderId', 'textSearch', 'status', 'startDate', 'endDate', 'skip', 'take', 'includeArchived'] as const;

/** Greenfield's invoices (seed 000) over the engine's invoices: a store is a merchant. */
export function invoicesRoutes(engine: EngineContext, auth: Middleware<AppState>): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1/stores/:storeId/invoices' });
  const routes = guardedRoutes(router, auth);
  /** Invoices as JSON text by invoice state and base URL, for lists. */
  const texts = createKeyedCache<string>();
  const base = (ctx: AppContext) => requestBaseUrl(ctx, engine.config.publicUrl);
  const invoiceOf = (ctx: AppContext, storeId: string) => getInvoice(engine.db, storeId, ctx.params.invoiceId as string);

  routes.get('/', async (ctx) => {
    const store = await authorizedStore(engine, ctx, 'btcpay.store.canviewinvoices');
    onlyQueryParams(ctx, LIST_PARAMS);
    const statuses = queryValues(ctx, 'status').map((text) => {
      const status = GREENFIELD_STATUSES.find((s) => s.toLowerCase() === text.toLowerCase());
      if (!status) throw invalidField('request', 'status', `must be one of ${GREENFIELD_STATUSES.join(', ')}`);
      return status as GreenfieldStatus;
    });
    const startDate = queryInteger(ctx, 'startDate', 0, 253402300799);
    const endDate = queryInteger(ctx, 'endDate', 0, 253402300799);
    const publicUrl = base(ctx);
    const invoices = await presentedList(engine, store.id, {
      ...(startDate !== undefined ? { from: startDate * 1000 } : {}),
      ...(endDate !== undefined ? { to: (endDate + 1) * 1000 } : {}),
      statuses: statuses.flatMap(engineStatuses),
      orderIds: queryValues(ctx, 'orderId'),
      text: queryValues(ctx, 'textSearch').join(' ') || undefined,
      includeArchived: queryBoolean(ctx, 'includeArchived') ?? false,
      limit: queryInteger(ctx, 'take', 0, MAX_TAKE) ?? MAX_TAKE,
      offset: queryInteger(ctx, 'skip', 0, 1_000_000_000) ?? 0,
    }, texts, { keyOf: (id, version) => `${id} ${version} ${publicUrl}`, present: (invoice) => JSON.stringify(presentInvoice(invoice, publicUrl)) });
    ctx.type = 'json';
    ctx.body = `[${invoices.join(',')}]`;
  });

  routes.post('/', async (ctx) => {
    const store = await authorizedStore(engine, ctx, 'btcpay.store.cancreateinvoice');
    const body = validatedAsIs<CreateInvoiceBody>('greenfield/invoice-create', 'invoice', rawBody(ctx));
    const { key } = principalOf(ctx);
    const creator = {
      merchantId: store.id,
      merchantName: store.name,
      transactionSpeed: store.transaction_speed,
      apiToken: key?.key ?? 'sandbox-user',
      facade: 'merchant' as const,
      dialect: GREENFIELD,
    };
    ctx.body = presentInvoice(await createInvoice(engine, creator, newInvoiceOf(body, store)), base(ctx));
  });

  // Clients poll it: a cached invoice is presented once per base URL, for as long as the cache entry lives.
  const presentations = createMadeFromCache<Invoice, string>();
  routes.get('/:invoiceId', async (ctx) => {
    const store = await authorizedStore(engine, ctx, 'btcpay.store.canviewinvoices');
    const { invoice } = await readInvoice(engine, store.id, ctx.params.invoiceId as string);
    const publicUrl = base(ctx);
    ctx.type = 'json';
    ctx.body = presentations(invoice, publicUrl, () => JSON.stringify(presentInvoice(invoice, publicUrl)));
  });

  routes.put('/:invoiceId', async (ctx) => {
    const store = await authorizedStore(engine, ctx, 'btcpay.store.canmodifyinvoices');
    const { metadata } = validatedAsIs<{ metadata: Record<string, unknown> | null }>('greenfield/invoice-update', 'invoice', rawBody(ctx));
    const invoice = await describeInvoice(engine, store.id, ctx.params.invoiceId as string, describedBy(metadata));
    ctx.body = presentInvoice(invoice, base(ctx));
  });

  const archive = async (ctx: AppContext) => {
    const store = await authorizedStore(engine, ctx, 'btcpay.store.canmodifyinvoices');
    await setInvoiceArchived(engine, store.id, ctx.params.invoiceId as string, true);
    emptyOk(ctx);
  };
  routes.delete('/:invoiceId', archive);
  // Seed 000 also lists DELETE …/payment-methods, as the same operation (Invoices_ArchiveInvoice).
  routes.delete('/:invoiceId/payment-methods', archive);

  routes.post('/:invoiceId/unarchive', async (ctx) => {
    const store = await authorizedStore(engine, ctx, 'btcpay.store.canmodifyinvoices');
    ctx.body = presentInvoice(await setInvoiceArchived(engine, store.id, ctx.params.invoiceId as string, false), base(ctx));
  });

  routes.post('/:invoiceId/status', async (ctx) => {
    const store = await authorizedStore(engine, ctx, 'btcpay.store.canmodifyinvoices');
    const { status } = validatedAsIs<{ status: 'Invalid' | 'Complete' | 'Settled' }>('greenfield/invoice-mark', 'invoice', rawBody(ctx));
    const current = await invoiceOf(ctx, store.id);
    const marked = await markInvoice(engine, store.id, current.id, status === 'Invalid' ? 'invalid' : 'complete').catch((error) => {
      if (error?.reason === 'mark-refused') throw invalidField('invoice', 'status', `Status can only be marked to invalid or settled within certain conditions (the invoice is ${current.status})`);
      throw error;
    });
    ctx.body = presentInvoice(marked, base(ctx));
  });

  routes.get('/:invoiceId/payment-methods', async (ctx) => {
    const store = await authorizedStore(engine, ctx, 'btcpay.store.canviewinvoices');
    const invoice = await invoiceOf(ctx, store.id);
    ctx.body = presentPaymentMethods(invoice, await chainViewOf(engine.db, [invoice.id]));
  });

  // Every invoice's bitcoin address exists from the start, so activation has nothing left to do.
  routes.post('/:invoiceId/payment-methods/:paymentMethod/activate', async (ctx) => {
    const store = await authorizedStore(engine, ctx, 'btcpay.store.canviewinvoices');
    await invoiceOf(ctx, store.id);
    if (!isBitcoinMethod(ctx.params.paymentMethod as string)) {
      throw invalidField('request', 'paymentMethod', `${ctx.params.paymentMethod} is not a payment method of this invoice (BTC, or BTC-CHAIN)`);
    }
    emptyOk(ctx);
  });

  return router;
}
