import { timingSafeEqual } from 'node:crypto';
import type { Next } from 'koa';
import { credentialError } from '../../errors.js';
import type { AppContext } from '../context.js';
import { createLoginThrottle, type LoginThrottle } from '../login-throttle.js';

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

/** SANDBOX_TOKEN, and the one place a presented token is compared with it. */
export interface SandboxKey {
  /** null: the emulator is open to everyone on its loopback address. */
  readonly token: string | null;
  readonly publicUrl: string | null;
  /**
   * Whether `presented` is SANDBOX_TOKEN. Wrong guesses are counted per client address; while
   * an address must wait (see login-throttle.ts), this answers 429 with Retry-After instead.
   */
  matches(ctx: AppContext, presented: string): boolean;
}

export function createSandboxKey(token: string | null, publicUrl: string | null, throttle: LoginThrottle = createLoginThrottle()): SandboxKey {
  return {
    token,
    publicUrl,
    matches(ctx, presented) {
      if (token === null) return true;
      const wait = throttle.waitMs(ctx.ip);
      if (wait > 0) {
        const seconds = Math.ceil(wait / 1000);
        ctx.set('Retry-After', String(seconds));
        throw credentialError('rate-limited', `Too many wrong SANDBOX_TOKEN attempts from this address: try again in ${seconds} s`);
      }
      if (sameSecret(presented, token)) {
        throttle.succeeded(ctx.ip);
        return true;
      }
      throttle.failed(ctx.ip);
      return false;
    },
  };
}

/**
 * The names an open emulator (no SANDBOX_TOKEN) answers its sandbox on: loopback names, the
 * PUBLIC_URL host and test.bitpay.com (which the plugin drop-in stands in for). A page on
 * another name that resolves to 127.0.0.1 (DNS rebinding) sends its own Host, and is refused.
 */
export function isTrustedHost(ctx: AppContext, publicUrl: string | null): boolean {
  const host = ctx.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host)) return true;
  if (host === 'test.bitpay.com') return true;
  return publicUrl !== null && new URL(publicUrl).hostname.replace(/^\[|\]$/g, '').toLowerCase() === host;
}

export function hasSandboxAccess(ctx: AppContext, key: SandboxKey): boolean {
  if (key.token === null) return isTrustedHost(ctx, key.publicUrl);
  const presented = presentedSandboxToken(ctx);
  return presented !== null && key.matches(ctx, presented);
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
export function sandboxGuard(key: SandboxKey) {
  return async function guard(ctx: AppContext, next: Next): Promise<void> {
    if (requestOrigin(ctx) === 'cross-site') throw credentialError('forbidden', 'Cross-site request refused');
    if (key.token === null && !isTrustedHost(ctx, key.publicUrl)) {
      throw credentialError('forbidden', `Host ${ctx.hostname} is not a name of this emulator: without SANDBOX_TOKEN the sandbox answers on localhost, 127.0.0.1, [::1] and PUBLIC_URL only`);
    }
    if (!hasSandboxAccess(ctx, key)) {
      throw credentialError('unauthenticated', 'The sandbox API requires Authorization: Bearer <SANDBOX_TOKEN>');
    }
    await next();
  };
}
