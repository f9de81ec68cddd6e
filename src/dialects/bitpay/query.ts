import type { AppContext } from '../../http/context.js';

/** The query string without empty parameters (SDKs send `status=` when none is given). */
export function queryOf(ctx: AppContext): Record<string, unknown> {
  return Object.fromEntries(Object.entries(ctx.query).filter(([, value]) => value !== ''));
}
