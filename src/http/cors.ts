import type { Next } from 'koa';
import type { AppContext } from './context.js';

const ALLOW_HEADERS =
  'Content-Type,Authorization,Content-Length,X-Requested-With,Cache-Control,X-Accept-Version,x-signature,x-pubkey,x-identity,x-bitpay-plugin-info,x-bitpay-api-frame,x-bitpay-api-frame-version,x-bitpay-platform-info';

/** Paths that are the emulator's own, not BitPay's API: no CORS, so other sites cannot drive them. */
const OWN_PATHS = /^\/(sandbox|dashboard|api-access-request)(\/|$)/i;

/** BitPay's API answers CORS for any origin (BITPAY-WIRE §1.2); preflights get an empty 204. */
export async function cors(ctx: AppContext, next: Next): Promise<void> {
  if (OWN_PATHS.test(ctx.path)) return next();
  ctx.set('Access-Control-Allow-Origin', '*');
  if (ctx.method === 'OPTIONS') {
    ctx.set('Access-Control-Allow-Methods', 'HEAD,GET,POST,PUT,DELETE,OPTIONS');
    ctx.set('Access-Control-Allow-Headers', ALLOW_HEADERS);
    ctx.status = 204;
    return;
  }
  await next();
}
