import type { Next } from 'koa';
import { parsePublicKey, verifySignature } from '../../crypto/signature.js';
import type { Facade } from '../../domain/facades.js';
import { credentialError } from '../../errors.js';
import type { EngineContext } from '../../engine/context.js';
import { activeTokensForSin, tokenForRequest } from '../../engine/tokens.js';
import type { AppContext } from '../../http/context.js';
import type { AuthenticatedToken } from '../../engine/entities.js';

/** Who is calling: the token presented, its merchant and facade, and the verified SIN if signed. */
export interface Principal {
  token: AuthenticatedToken;
  merchantId: string;
  facade: Facade;
  sin: string | null;
}

/** The principal set by requireToken; routes behind that guard always have one. */
export function principalOf(ctx: AppContext): Principal {
  const principal = ctx.state.principal as Principal | undefined;
  if (!principal) throw new Error('route is missing its requireToken guard');
  return principal;
}

/**
 * The URLs a client may have signed for this request. Every SDK signs `baseUrl + path[?query]`
 * with its own idea of the base URL, so the raw request-target is appended to each base the
 * request could have been addressed to: the Host it reached, PUBLIC_URL (behind a proxy), the
 * X-Forwarded-* view, and the host with its default port spelled out (the legacy Node client).
 */
export function signedUrlCandidates(ctx: AppContext, publicUrl: string): string[] {
  const target = ctx.originalUrl;
  const protocol = ctx.protocol;
  const host = ctx.get('host');
  const candidates = new Set<string>([`${protocol}://${host}${target}`]);
  const base = new URL(publicUrl);
  candidates.add(`${base.origin}${base.pathname.replace(/\/$/, '')}${target}`);
  const forwardedHost = ctx.get('x-forwarded-host').split(',')[0]?.trim();
  const forwardedProto = ctx.get('x-forwarded-proto').split(',')[0]?.trim();
  if (forwardedHost || forwardedProto) {
    candidates.add(`${forwardedProto || protocol}://${forwardedHost || host}${target}`);
  }
  if (host && !/:\d+$/.test(host)) candidates.add(`${protocol}://${host}:${protocol === 'https' ? 443 : 80}${target}`);
  return [...candidates];
}

/** Verifies x-identity and x-signature over the signed URL plus the raw body; returns the caller's SIN. */
export function verifySignedRequest(ctx: AppContext, publicUrl: string, why: string): string {
  const identity = ctx.get('x-identity');
  const signature = ctx.get('x-signature');
  if (!identity || !signature) {
    throw credentialError('unauthenticated', `Missing ${!identity ? 'x-identity' : 'x-signature'} header: ${why} requires a signed request`);
  }
  const key = parsePublicKey(identity);
  if (!key) {
    throw credentialError('unauthenticated',
      'Invalid x-identity: expected a hex secp256k1 public key (66 characters starting with 02 or 03)',
    );
  }
  const body = typeof ctx.request.rawBody === 'string' ? ctx.request.rawBody : '';
  const candidates = signedUrlCandidates(ctx, publicUrl);
  if (!candidates.some((url) => verifySignature(url + body, signature, key))) {
    throw credentialError('unauthenticated', 'Invalid signature', {
      hint: 'x-signature must be the hex DER ECDSA signature of SHA-256(full URL + raw JSON body), made with the key in x-identity',
      signedUrl: candidates[0],
    });
  }
  return key.sin;
}

function presentedToken(ctx: AppContext): unknown {
  const body = ctx.request.body as Record<string, unknown> | undefined;
  const fromBody = body && typeof body === 'object' ? body.token : undefined;
  const fromQuery = ctx.query.token;
  return ctx.method === 'GET' || ctx.method === 'DELETE' ? (fromQuery ?? fromBody) : (fromBody ?? fromQuery);
}

export interface AuthOptions {
  engine: EngineContext;
  publicUrl: () => string;
}

/** Checks an API token: active, of an allowed facade, and signed for when it requires it. */
async function authenticate(ctx: AppContext, options: AuthOptions, value: string, facades: readonly Facade[]): Promise<Principal> {
  const token = await tokenForRequest(options.engine, value);
  if (!token || token.status === 'revoked' || token.merchant_id === null) {
    if (token?.status === 'pending') {
      throw credentialError('unauthenticated', `Token is not approved yet: approve pairing code ${token.pairing_code} in the dashboard`);
    }
    throw credentialError('unauthenticated', 'Invalid token');
  }
  if (!facades.includes(token.facade)) {
    throw credentialError('forbidden', `This endpoint does not support the \`${token.facade}\` facade`);
  }
  let sin: string | null = null;
  if (token.require_auth) {
    sin = verifySignedRequest(ctx, options.publicUrl(), `a ${token.facade} token`);
    if (token.sin !== sin) {
      throw credentialError('forbidden', 'Unauthorized sin', {
        hint: token.sin
          ? `the token is bound to SIN ${token.sin}; the request was signed by SIN ${sin}`
          : 'the token has no client identity yet: claim its pairing code with POST /tokens {id, pairingCode}',
      });
    }
  }
  return { token, merchantId: token.merchant_id, facade: token.facade, sin };
}

function tokenValue(ctx: AppContext, facades: readonly Facade[]): string {
  const value = presentedToken(ctx);
  if (value === undefined || value === null || value === '') {
    throw credentialError('unauthenticated', `Missing token: this endpoint needs a ${facades.join(' or ')} facade token`);
  }
  if (typeof value !== 'string') throw credentialError('unauthenticated', 'Invalid token');
  return value;
}

/**
 * Route guard: a token of one of `facades` must be presented, and signed for when it requires
 * authentication (merchant and payout always; pos when made with "require authentication").
 * Signature headers on requests that need none are ignored: the Node SDK leaves stale ones on.
 */
export function requireToken(options: AuthOptions, facades: readonly Facade[]) {
  return async function tokenGuard(ctx: AppContext, next: Next): Promise<void> {
    ctx.state.principal = await authenticate(ctx, options, tokenValue(ctx, facades), facades);
    await next();
  };
}

/**
 * For endpoints that also take a resource token (an invoice's or refund's own `token`, as the
 * Node and PHP SDKs send for notifications): the request must then be signed by a client whose
 * SIN holds an active token of the resource's merchant.
 */
export function requireTokenOrResource(
  options: AuthOptions,
  facades: readonly Facade[],
  findResource: (ctx: AppContext, token: string) => Promise<{ merchantId: string } | null>,
) {
  return async function resourceTokenGuard(ctx: AppContext, next: Next): Promise<void> {
    const value = tokenValue(ctx, facades);
    const resource = (await tokenForRequest(options.engine, value)) ? null : await findResource(ctx, value);
    if (!resource) {
      ctx.state.principal = await authenticate(ctx, options, value, facades);
      return next();
    }
    const sin = verifySignedRequest(ctx, options.publicUrl(), 'a resource token');
    const bound = (await activeTokensForSin(options.engine.db, sin)).find((t) => t.merchant_id === resource.merchantId);
    const token = bound && (await tokenForRequest(options.engine, bound.token));
    if (!token) throw credentialError('forbidden', 'Unauthorized sin', { hint: `no approved token of this merchant is bound to SIN ${sin}` });
    ctx.state.principal = { token, merchantId: resource.merchantId, facade: token.facade, sin };
    return next();
  };
}
