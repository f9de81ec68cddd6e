import { createApiKey } from '../../engine/api-keys.js';
import type { EngineContext } from '../../engine/context.js';
import { defaultMerchant, resolveMerchant } from '../../engine/merchants.js';
import { invalidParam } from '../../errors.js';
import { BTPAY, BTPAY_PERMISSIONS } from './auth.js';

/** `POST /sandbox/api-keys {dialect: "btpay"}`: a Bearer key of a merchant, with `read` and `write` unless `permissions` says less. */
export async function sandboxApiKey(engine: EngineContext, request: { merchantId?: unknown; permissions?: unknown; label?: unknown }) {
  const merchant = request.merchantId === undefined ? await defaultMerchant(engine.db) : await resolveMerchant(engine.db, request.merchantId);
  const { permissions = [...BTPAY_PERMISSIONS], label = 'sandbox' } = request;
  if (!Array.isArray(permissions) || permissions.some((p) => !(BTPAY_PERMISSIONS as readonly unknown[]).includes(p))) {
    throw invalidParam('request', `permissions must be an array of ${BTPAY_PERMISSIONS.map((p) => `"${p}"`).join(', ')}`);
  }
  if (typeof label !== 'string') throw invalidParam('request', 'label must be a string');
  const key = await createApiKey(engine, { dialect: BTPAY, merchantId: merchant.id, label, permissions: [...new Set(permissions as string[])] });
  return { apiKey: key.key, dialect: BTPAY, merchantId: merchant.id, permissions: key.permissions, label: key.label };
}
