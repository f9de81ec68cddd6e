import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Next } from 'koa';
import { credentialError } from '../../errors.js';
import type { AppContext } from '../context.js';
import { bodyOf } from '../context.js';
import { hasSandboxAccess, requestOrigin, type SandboxKey } from '../sandbox/guard.js';

const SESSION_COOKIE = 'bpe_session';
const CSRF_COOKIE = 'bpe_csrf';

/** The session cookie's value: derived from SANDBOX_TOKEN, so changing the token ends every session. */
function sessionValue(sandboxToken: string): string {
  return createHmac('sha256', sandboxToken).update('bitpay-emulator dashboard session').digest('hex');
}

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Whether this browser or client may use the sandbox controls: always on an open emulator
 * (no SANDBOX_TOKEN), else with the bearer token or a session from the login form.
 */
export function canUseSandbox(ctx: AppContext, key: SandboxKey): boolean {
  if (key.token === null) return hasSandboxAccess(ctx, key);
  const session = ctx.cookies.get(SESSION_COOKIE);
  if (session !== undefined && same(session, sessionValue(key.token))) return true;
  return hasSandboxAccess(ctx, key);
}

/** The login form: a session cookie if `presented` is SANDBOX_TOKEN (wrong guesses are throttled). */
export function startSession(ctx: AppContext, key: SandboxKey, presented: string): boolean {
  if (key.token === null || !key.matches(ctx, presented)) return false;
  ctx.cookies.set(SESSION_COOKIE, sessionValue(key.token), { httpOnly: true, sameSite: 'strict', path: '/' });
  return true;
}

/**
 * Where a `next=` or `back=` parameter may send the browser: a path on this server, never
 * another host (`//other.host/x`, `/\\other.host`, `https://…` fall back to `fallback`).
 */
export function localPath(target: unknown, fallback: string): string {
  if (typeof target !== 'string' || !target.startsWith('/')) return fallback;
  const base = 'http://emulator.invalid';
  try {
    const url = new URL(target, base);
    const path = `${url.pathname}${url.search}${url.hash}`;
    // Resolving dot segments can turn "/.//other.host" into "//other.host": check what comes out too.
    return url.origin === base && new URL(path, base).origin === base && !/^\/[\\/]/.test(path) ? path : fallback;
  } catch {
    return fallback;
  }
}

export function endSession(ctx: AppContext): void {
  ctx.cookies.set(SESSION_COOKIE, null, { path: '/' });
}

/** The CSRF token of this browser (a SameSite=Strict cookie, echoed in every form and fetch). */
export function csrfToken(ctx: AppContext): string {
  if (ctx.state.csrf) return ctx.state.csrf;
  let token = ctx.cookies.get(CSRF_COOKIE);
  if (!token || !/^[0-9a-f]{32}$/.test(token)) {
    token = randomBytes(16).toString('hex');
    ctx.cookies.set(CSRF_COOKIE, token, { httpOnly: true, sameSite: 'strict', path: '/' });
  }
  ctx.state.csrf = token;
  return token;
}

/**
 * Guards every form and button of the web pages against cross-site requests. A browser says
 * where a POST comes from (Origin): another origin is refused, this one is trusted. Without an
 * Origin, the request must carry the browser's CSRF token (form field `_csrf` or header
 * `x-csrf-token`, matching its SameSite cookie).
 */
export async function csrfProtection(ctx: AppContext, next: Next): Promise<void> {
  if (ctx.method === 'POST') {
    const origin = requestOrigin(ctx);
    if (origin === 'cross-site') throw credentialError('forbidden', 'Cross-site request refused');
    if (origin === 'same-origin') return next();
    const cookie = ctx.cookies.get(CSRF_COOKIE);
    const presented = (bodyOf(ctx)._csrf as string | undefined) ?? ctx.get('x-csrf-token');
    if (!cookie || !presented || !same(cookie, presented)) {
      throw credentialError('forbidden', 'Missing or wrong CSRF token: reload the page and try again');
    }
  }
  await next();
}
