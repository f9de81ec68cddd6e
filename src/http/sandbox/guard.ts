import { timingSafeEqual } from 'node:crypto';
import type { Next } from 'koa';
import { legacyError } from '../../errors.js';
import type { AppContext } from '../context.js';

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The bearer token a request presents for the sandbox API, if any. */
export function presentedSandboxToken(ctx: AppContext): string | null {
  const match = /^Bearer\s+(.+)$/i.exec(ctx.get('authorization'));
  return match?.[1]?.trim() ?? null;
}

export function hasSandboxAccess(ctx: AppContext, sandboxToken: string | null): boolean {
  if (sandboxToken === null) return true;
  const presented = presentedSandboxToken(ctx);
  return presented !== null && sameSecret(presented, sandboxToken);
}

/**
 * Where a request says it comes from: browsers send Origin on cross-origin requests (and on
 * POSTs); other clients send none.
 */
export function requestOrigin(ctx: AppContext): 'same-origin' | 'cross-site' | 'unknown' {
  const origin = ctx.get('origin');
  if (!origin) return 'unknown';
  try {
    return new URL(origin).host === ctx.get('host') ? 'same-origin' : 'cross-site';
  } catch {
    return 'cross-site';
  }
}

/**
 * With SANDBOX_TOKEN set, the sandbox API needs `Authorization: Bearer <SANDBOX_TOKEN>`. Requests
 * a browser sends from another origin are refused even on an open emulator, so that a web page
 * cannot reset or drive the sandbox of the developer visiting it.
 */
export function sandboxGuard(sandboxToken: string | null) {
  return async function guard(ctx: AppContext, next: Next): Promise<void> {
    if (requestOrigin(ctx) === 'cross-site') throw legacyError(403, 'Cross-site request refused');
    if (!hasSandboxAccess(ctx, sandboxToken)) {
      throw legacyError(401, 'The sandbox API requires Authorization: Bearer <SANDBOX_TOKEN>');
    }
    await next();
  };
}
