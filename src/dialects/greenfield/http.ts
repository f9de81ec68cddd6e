import type { AppContext } from '../../http/context.js';

/** The body as it came: Greenfield's nulls are values its schemas speak of. */
export function rawBody(ctx: AppContext): unknown {
  return ctx.request.body === undefined ? {} : ctx.request.body;
}

/** BTCPay answers some actions with 200 and no body. */
export function emptyOk(ctx: AppContext): void {
  ctx.body = null;
  ctx.status = 200;
}
