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

/** With SANDBOX_TOKEN set, the sandbox API needs `Authorization: Bearer <SANDBOX_TOKEN>`. */
export function sandboxGuard(sandboxToken: string | null) {
  return async function guard(ctx: AppContext, next: Next): Promise<void> {
    if (!hasSandboxAccess(ctx, sandboxToken)) {
      throw legacyError(401, 'The sandbox API requires Authorization: Bearer <SANDBOX_TOKEN>');
    }
    await next();
  };
}
