import Router from '@koa/router';
import type { Middleware } from 'koa';
import { guardedRoutes } from '../../http/guarded-routes.js';
import { createApiKey, revokeApiKey } from '../../engine/api-keys.js';
import type { EngineContext } from '../../engine/context.js';
import { defaultMerchant, resolveMerchant } from '../../engine/merchants.js';
import { invalidField, invalidParam } from '../../errors.js';
import type { AppState } from '../../http/context.js';
import { validatedAsIs } from '../../http/validate.js';
import { GREENFIELD, principalOf, requireUnscoped } from './auth.js';
import { emptyOk, rawBody } from './http.js';
import { everyStorePermission, UNRESTRICTED, unknownPermission } from './permissions.js';
import type { ApiKey } from '../../engine/entities.js';

export function presentApiKey(key: ApiKey) {
  return { apiKey: key.key, label: key.label ?? '', permissions: key.permissions };
}

function checkedPermissions(permissions: readonly string[]): string[] {
  const unknown = unknownPermission(permissions);
  if (unknown !== null) throw invalidField('request', 'permissions', `${unknown} is not a permission this server knows`);
  return [...new Set(permissions)];
}

/** Greenfield's API keys of the sandbox user. */
export function apiKeysRoutes(engine: EngineContext, auth: Middleware<AppState>): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1/api-keys' });
  const routes = guardedRoutes(router, auth);

  routes.post('/', async (ctx) => {
    requireUnscoped(ctx, UNRESTRICTED);
    const body = validatedAsIs<{ label?: string | null; permissions?: string[] | null }>('greenfield/api-key-create', 'request', rawBody(ctx));
    const key = await createApiKey(engine, { dialect: GREENFIELD, merchantId: null, label: body.label, permissions: checkedPermissions(body.permissions ?? []) });
    ctx.body = presentApiKey(key);
  });

  routes.get('/current', async (ctx) => {
    const { key } = principalOf(ctx);
    if (!key) throw invalidParam('request', 'Basic auth signs in the sandbox user, not an API key: there is no current key');
    ctx.body = presentApiKey(key);
  });

  routes.delete('/current', async (ctx) => {
    const { key } = principalOf(ctx);
    if (!key) throw invalidParam('request', 'Basic auth signs in the sandbox user, not an API key: there is no current key');
    await revokeApiKey(engine, GREENFIELD, key.key);
    emptyOk(ctx);
  });

  routes.delete('/:apiKey', async (ctx) => {
    requireUnscoped(ctx, UNRESTRICTED);
    await revokeApiKey(engine, GREENFIELD, ctx.params.apiKey as string);
    emptyOk(ctx);
  });

  return router;
}

/** `POST /sandbox/api-keys {dialect: "greenfield"}`: a key with the given permissions, by default every store permission on the merchant's store. */
export async function sandboxApiKey(engine: EngineContext, request: { merchantId?: unknown; permissions?: unknown; label?: unknown }) {
  const merchant = request.merchantId === undefined ? await defaultMerchant(engine.db) : await resolveMerchant(engine.db, request.merchantId);
  if (request.permissions !== undefined && (!Array.isArray(request.permissions) || request.permissions.some((p) => typeof p !== 'string'))) {
    throw invalidParam('request', 'permissions must be an array of permission strings, e.g. ["btcpay.store.canviewinvoices:<storeId>"]');
  }
  if (request.label !== undefined && typeof request.label !== 'string') throw invalidParam('request', 'label must be a string');
  const permissions = request.permissions === undefined ? everyStorePermission(merchant.id) : checkedPermissions(request.permissions as string[]);
  const key = await createApiKey(engine, { dialect: GREENFIELD, merchantId: merchant.id, label: (request.label as string | undefined) ?? 'sandbox', permissions });
  return { apiKey: key.key, dialect: GREENFIELD, merchantId: merchant.id, storeId: merchant.id, permissions: key.permissions };
}
