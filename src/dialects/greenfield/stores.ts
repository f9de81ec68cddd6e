import Router from '@koa/router';
import type { Middleware } from 'koa';
import { guardedRoutes } from '../../http/guarded-routes.js';
import type { EngineContext } from '../../engine/context.js';
import { createMerchant, listMerchants, updateMerchant, type StoreSettings } from '../../engine/merchants.js';
import { invalidField } from '../../errors.js';
import { findCurrency } from '../../fixtures.js';
import type { AppState } from '../../http/context.js';
import { validatedAsIs } from '../../http/validate.js';
import { authorizedStore, principalOf, requireUnscoped } from './auth.js';
import { rawBody } from './http.js';
import { visibleStores } from './permissions.js';
import { presentStore } from './presenters/store.js';
import { speedOfPolicy } from './statuses.js';

interface StoreBody {
  name?: string | null;
  website?: string | null;
  defaultCurrency?: string | null;
  invoiceExpiration?: number | null;
  monitoringExpiration?: number | null;
  speedPolicy?: string | null;
  paymentTolerance?: number | null;
}

function settingsOf(body: StoreBody): StoreSettings {
  if (body.defaultCurrency && !findCurrency(body.defaultCurrency)) {
    throw invalidField('request', 'defaultCurrency', `${body.defaultCurrency} is not a supported currency`);
  }
  const speed = body.speedPolicy ? speedOfPolicy(body.speedPolicy) : undefined;
  return {
    ...(body.website !== undefined ? { website: body.website } : {}),
    ...(body.defaultCurrency ? { defaultCurrency: body.defaultCurrency } : {}),
    ...(speed ? { speed } : {}),
    ...(typeof body.invoiceExpiration === 'number' ? { invoiceExpirationSeconds: body.invoiceExpiration } : {}),
    ...(typeof body.monitoringExpiration === 'number' ? { monitoringExpirationSeconds: body.monitoringExpiration } : {}),
    ...(typeof body.paymentTolerance === 'number' ? { paymentTolerance: String(body.paymentTolerance) } : {}),
  };
}

/** Stores: every merchant account is one. */
export function storesRoutes(engine: EngineContext, auth: Middleware<AppState>): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1/stores' });
  const routes = guardedRoutes(router, auth);

  routes.get('/', async (ctx) => {
    const visible = visibleStores(principalOf(ctx).permissions);
    const stores = await listMerchants(engine.db);
    ctx.body = stores.filter((store) => visible === 'all' || visible.has(store.id)).map(presentStore);
  });

  routes.post('/', async (ctx) => {
    requireUnscoped(ctx, 'btcpay.store.canmodifystoresettings');
    const body = validatedAsIs<StoreBody>('greenfield/store', 'request', rawBody(ctx));
    if (!body.name) throw invalidField('request', 'name', 'is required', 'missing');
    ctx.body = presentStore(await createMerchant(engine, { name: body.name }, settingsOf(body)));
  });

  routes.get('/:storeId', async (ctx) => {
    ctx.body = presentStore(await authorizedStore(engine, ctx, 'btcpay.store.canviewstoresettings'));
  });

  routes.put('/:storeId', async (ctx) => {
    const store = await authorizedStore(engine, ctx, 'btcpay.store.canmodifystoresettings');
    const body = validatedAsIs<StoreBody>('greenfield/store', 'request', rawBody(ctx));
    ctx.body = presentStore(await updateMerchant(engine, store.id, body.name ?? undefined, settingsOf(body)));
  });

  return router;
}
