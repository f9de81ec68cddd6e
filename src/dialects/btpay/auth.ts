import type { Next } from 'koa';
import { authenticateApiKey } from '../../engine/api-keys.js';
import type { EngineContext } from '../../engine/context.js';
import { readMerchant } from '../../engine/merchants.js';
import { credentialError, EngineError } from '../../errors.js';
import type { AppContext } from '../../http/context.js';
import type { RateLimiter } from './rate-limit.js';
import type { ApiKey, Merchant } from '../../engine/entities.js';

export const BTPAY = 'btpay';

/** What a key may do: `read` (GET), `write` (everything else). New keys get both unless asked. */
export const BTPAY_PERMISSIONS = ['read', 'write'] as const;

export interface BtpayPrincipal {
  key: ApiKey;
  merchant: Merchant;
}

export function principalOf(ctx: AppContext): BtpayPrincipal {
  return ctx.state.principal as BtpayPrincipal;
}

/**
 * `Authorization: Bearer <key>`: a missing or unknown key is 401, a key without the permission the
 * method needs 403, a key over the rate limit (BTPAY_RATE_LIMIT) 429 with Retry-After.
 */
export function authenticate(engine: EngineContext, limiter: RateLimiter) {
  return async function btpayAuth(ctx: AppContext, next: Next): Promise<void> {
    const header = ctx.get('authorization');
    const bearer = /^bearer\s+(\S+)\s*$/i.exec(header)?.[1];
    if (!bearer) {
      throw credentialError('unauthenticated', header ? 'Invalid Authorization header: send "Authorization: Bearer <api key>"' : 'Missing API key: send "Authorization: Bearer <api key>"');
    }
    const key = await authenticateApiKey(engine, BTPAY, bearer).catch(() => {
      throw credentialError('unauthenticated', 'Invalid API key: it is unknown or was revoked');
    });
    const wait = limiter.take(key.key);
    if (wait !== null) {
      ctx.set('Retry-After', String(wait));
      throw new EngineError('rate-limited', `Rate limit exceeded: ${engine.config.btpayRateLimit} requests per minute per API key; retry in ${wait} s`, { subject: 'credential' });
    }
    const needed = ctx.method === 'GET' || ctx.method === 'HEAD' ? 'read' : 'write';
    if (!key.permissions.includes(needed)) {
      throw credentialError('forbidden', `Insufficient permissions: this API key lacks "${needed}" (it has ${key.permissions.join(', ') || 'none'})`);
    }
    ctx.state.principal = { key, merchant: await readMerchant(engine, key.merchant_id as string) } satisfies BtpayPrincipal;
    await next();
  };
}
