import type { Next } from 'koa';
import { authenticateApiKey } from '../../engine/api-keys.js';
import type { EngineContext } from '../../engine/context.js';
import { readMerchant } from '../../engine/merchants.js';
import { credentialError, EngineError } from '../../errors.js';
import type { AppContext } from '../../http/context.js';
import { isTrustedHost, type SandboxKey } from '../../http/sandbox/guard.js';
import { grants, UNRESTRICTED, type StorePolicy } from './permissions.js';
import type { ApiKey, Merchant } from '../../engine/entities.js';

export const GREENFIELD = 'greenfield';

/** Who calls: an API key, or the sandbox user through Basic auth (who may do anything). */
export interface GreenfieldPrincipal {
  key: ApiKey | null;
  permissions: readonly string[];
}

export function principalOf(ctx: AppContext): GreenfieldPrincipal {
  return ctx.state.principal as GreenfieldPrincipal;
}

const unauthenticated = (message = 'Authentication is required for accessing this endpoint') => credentialError('unauthenticated', message);

/**
 * BTCPay's two schemes: `Authorization: token <apiKey>`, and Basic auth of the sandbox user
 * (any user name; the password is SANDBOX_TOKEN, or anything on an open emulator's loopback names).
 */
export function authenticate(engine: EngineContext, sandboxKey: SandboxKey) {
  return async function greenfieldAuth(ctx: AppContext, next: Next): Promise<void> {
    const header = ctx.get('authorization');
    const token = /^token\s+(\S+)\s*$/i.exec(header)?.[1];
    const basic = /^basic\s+(\S+)\s*$/i.exec(header)?.[1];
    if (token) {
      const key = await authenticateApiKey(engine, GREENFIELD, token);
      ctx.state.principal = { key, permissions: key.permissions } satisfies GreenfieldPrincipal;
    } else if (basic) {
      const decoded = Buffer.from(basic, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) throw unauthenticated('Basic credentials must be user:password');
      const password = decoded.slice(colon + 1);
      const allowed = sandboxKey.token === null ? isTrustedHost(ctx, sandboxKey.publicUrl) : sandboxKey.matches(ctx, password);
      if (!allowed) throw unauthenticated('Wrong user name or password: the sandbox user signs in with SANDBOX_TOKEN as its password');
      ctx.state.principal = { key: null, permissions: [UNRESTRICTED] } satisfies GreenfieldPrincipal;
    } else {
      throw unauthenticated();
    }
    await next();
  };
}

export function missingPermission(policy: string): EngineError {
  return new EngineError(
    'forbidden',
    `Insufficient API Permissions. Please use an API key with permission "${policy}". You can create an API key in your account's settings / Api Keys page.`,
    { subject: 'credential', reason: 'missing-permission' },
  );
}

export function storeNotFound(): EngineError {
  return new EngineError('not-found', 'The store was not found', { subject: 'request', reason: 'store-not-found' });
}

/**
 * The store of the path, if the caller may use `policy` on it. A store the caller cannot see
 * is refused with 403 when the key is scoped to other stores, as BTCPay does; 404 otherwise.
 */
export async function authorizedStore(engine: EngineContext, ctx: AppContext, policy: StorePolicy): Promise<Merchant> {
  const storeId = ctx.params.storeId as string;
  const { permissions } = principalOf(ctx);
  if (!grants(permissions, policy, storeId)) throw missingPermission(policy);
  return readMerchant(engine, storeId).catch((error: unknown) => {
    throw error instanceof EngineError && error.kind === 'not-found' ? storeNotFound() : error;
  });
}

/** Requires an unscoped grant of `policy` (or unrestricted). */
export function requireUnscoped(ctx: AppContext, policy: StorePolicy | typeof UNRESTRICTED): void {
  const { permissions } = principalOf(ctx);
  const ok = policy === UNRESTRICTED ? permissions.includes(UNRESTRICTED) : grants(permissions, policy, null);
  if (!ok) throw missingPermission(policy);
}
