import type { Db } from '../db/schema.js';
import { facadeAlwaysRequiresAuth } from '../domain/facades.js';
import { newApiToken, newPairingCode } from '../domain/ids.js';
import {
  checkFacade,
  checkLabel,
  checkPairingCodeFormat,
  PAIRING_CODE_TTL_MS,
  pairingCodeProblem,
  PairingRuleError,
  TOKEN_STATUSES,
  type TokenStatus,
} from '../domain/pairing.js';
import { isValidSin } from '../crypto/sin.js';
import { invalidParam, credentialError } from '../errors.js';
import type { EngineContext } from './context.js';
import { defaultMerchant, getMerchant, resolveMerchant } from './merchants.js';
import type { AuthenticatedToken, Token } from './entities.js';

/** Pairing-rule violations are BitPay's legacy `{"error"}` answers. */
function checked<T>(rule: () => T): T {
  try {
    return rule();
  } catch (error) {
    if (error instanceof PairingRuleError) throw credentialError('invalid', error.message);
    throw error;
  }
}

function checkSin(sin: unknown): string {
  if (sin === undefined || sin === null || sin === '') throw credentialError('invalid', 'Missing parameter: id (the client SIN)');
  if (typeof sin !== 'string' || !isValidSin(sin)) {
    throw credentialError('invalid', 'Invalid SIN in id: expected base58check with the 0x0F02 prefix, 35 characters starting with "T"');
  }
  return sin;
}

export interface ClientPairingRequest {
  id?: unknown;
  facade?: unknown;
  label?: unknown;
  pairingCode?: unknown;
}

/**
 * `POST /tokens`. With a pairing code, claims a code the merchant created; without one, opens a
 * client-initiated request that a merchant approves later (or at once under AUTO_APPROVE).
 */
export async function requestToken(ctx: EngineContext, request: ClientPairingRequest): Promise<Token> {
  const sin = checkSin(request.id);
  const label = checked(() => checkLabel(request.label));
  if (request.pairingCode !== undefined && request.pairingCode !== null && request.pairingCode !== '') {
    const code = checked(() => checkPairingCodeFormat(request.pairingCode));
    return claimPairingCode(ctx, { sin, code, label, facade: request.facade });
  }
  const facade = checked(() => checkFacade(request.facade, 'pos'));
  const now = ctx.clock.now();
  const approved = ctx.config.autoApprove ? await defaultMerchant(ctx.db) : null;
  return ctx.db
    .insertInto('tokens')
    .values({
      token: newApiToken(ctx.random),
      merchant_id: approved?.id ?? null,
      facade,
      label,
      sin,
      require_auth: true,
      status: approved ? 'active' : 'pending',
      pairing_code: newPairingCode(ctx.random),
      pairing_expires_at: now + PAIRING_CODE_TTL_MS,
      paired_at: approved ? now : null,
      created_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

async function claimPairingCode(
  ctx: EngineContext,
  input: { sin: string; code: string; label: string | null; facade: unknown },
): Promise<Token> {
  const facade = input.facade === undefined || input.facade === null || input.facade === '' ? null : input.facade;
  const now = ctx.clock.now();
  let claim = ctx.db
    .updateTable('tokens')
    .set((eb) => ({ sin: input.sin, paired_at: now, label: eb.fn.coalesce(eb.val(input.label), eb.ref('label')) }))
    .where('pairing_code', '=', input.code)
    .where('sin', 'is', null)
    .where('paired_at', 'is', null)
    .where('status', '=', 'active')
    .where('pairing_expires_at', '>', now);
  if (facade !== null) claim = claim.where('facade', '=', checked(() => checkFacade(facade, 'pos')));
  const claimed = await claim.returningAll().executeTakeFirst();
  if (claimed) return claimed;
  throw await explainUnusableCode(ctx, input.code, now, facade);
}

async function explainUnusableCode(ctx: EngineContext, code: string, now: number, facade: unknown = null) {
  const row = await ctx.db.selectFrom('tokens').selectAll().where('pairing_code', '=', code).executeTakeFirst();
  if (!row) return credentialError('not-found', `Pairing code ${code} not found`);
  const problem = pairingCodeProblem(row, now);
  if (problem) return credentialError('conflict', `Pairing code ${code} ${problem}`);
  if (facade !== null && facade !== row.facade) {
    return credentialError('invalid', `Pairing code ${code} is for the ${row.facade} facade; leave facade out when claiming a code`);
  }
  if (row.status === 'pending') {
    return credentialError('conflict', `Pairing code ${code} was requested by a client and must be approved by the merchant, not claimed`);
  }
  return credentialError('conflict', `Pairing code ${code} cannot be used`);
}

export interface ServerPairingRequest {
  facade?: unknown;
  label?: unknown;
  requireAuth?: unknown;
  merchantId?: unknown;
}

/**
 * A pairing code created by the merchant (dashboard, sandbox API, CLI), to be claimed by a client
 * with `POST /tokens {id, pairingCode}`. A pos token without required authentication is usable
 * at once, as a token made in BitPay's dashboard is.
 */
export async function createPairingCode(ctx: EngineContext, request: ServerPairingRequest): Promise<Token> {
  const facade = checked(() => checkFacade(request.facade, 'pos'));
  const label = checked(() => checkLabel(request.label));
  if (request.requireAuth !== undefined && typeof request.requireAuth !== 'boolean') {
    throw credentialError('invalid', 'requireAuth must be true or false');
  }
  const merchant = await resolveMerchant(ctx.db, request.merchantId);
  const now = ctx.clock.now();
  return ctx.db
    .insertInto('tokens')
    .values({
      token: newApiToken(ctx.random),
      merchant_id: merchant.id,
      facade,
      label,
      sin: null,
      require_auth: facadeAlwaysRequiresAuth(facade) || request.requireAuth === true,
      status: 'active',
      pairing_code: newPairingCode(ctx.random),
      pairing_expires_at: now + PAIRING_CODE_TTL_MS,
      paired_at: null,
      created_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Approves a client-initiated pairing request for a merchant (the default one unless named). */
export async function approvePairingCode(ctx: EngineContext, code: string, merchantId?: unknown): Promise<Token> {
  checked(() => checkPairingCodeFormat(code));
  const merchant = await resolveMerchant(ctx.db, merchantId);
  const now = ctx.clock.now();
  const approved = await ctx.db
    .updateTable('tokens')
    .set({ status: 'active', merchant_id: merchant.id, paired_at: now })
    .where('pairing_code', '=', code)
    .where('status', '=', 'pending')
    .where('pairing_expires_at', '>', now)
    .returningAll()
    .executeTakeFirst();
  if (approved) return approved;
  const row = await ctx.db.selectFrom('tokens').selectAll().where('pairing_code', '=', code).executeTakeFirst();
  if (row && row.status === 'active' && row.sin === null && row.paired_at === null) {
    throw credentialError('conflict', `Pairing code ${code} was created by the merchant; a client claims it with POST /tokens {id, pairingCode}`);
  }
  throw await explainUnusableCode(ctx, code, now);
}

export async function findToken(db: Db, token: string): Promise<Token | undefined> {
  return db.selectFrom('tokens').selectAll().where('token', '=', token).executeTakeFirst();
}

/** What a cached token is made of. */
export const TOKEN_READ_TABLES = ['tokens', 'merchants'];

/**
 * The token a request presents, with its merchant, in one query. Active tokens are cached (every
 * API request reads one); pending, revoked and unknown ones never are.
 */
export async function tokenForRequest(ctx: EngineContext, token: string): Promise<AuthenticatedToken | undefined> {
  let loaded: AuthenticatedToken | undefined;
  const cached = await ctx.caches.tokens.get(token, async () => {
    loaded = await ctx.db
      .selectFrom('tokens')
      .leftJoin('merchants', 'merchants.id', 'tokens.merchant_id')
      .selectAll('tokens')
      .select(['merchants.name as merchant_name', 'merchants.transaction_speed as merchant_transaction_speed'])
      .where('tokens.token', '=', token)
      .executeTakeFirst();
    return loaded?.status === 'active' ? loaded : undefined;
  });
  return cached ?? loaded;
}

/** Active tokens bound to a client identity, oldest first (`GET /tokens`). */
export async function activeTokensForSin(db: Db, sin: string): Promise<Token[]> {
  return db
    .selectFrom('tokens')
    .selectAll()
    .where('sin', '=', sin)
    .where('status', '=', 'active')
    .where('paired_at', 'is not', null)
    .orderBy('seq')
    .execute();
}

/** Tokens, newest first; an unknown status or merchant is refused rather than matching nothing. */
export async function listTokens(db: Db, filter: { merchantId?: string; status?: string } = {}): Promise<Token[]> {
  let query = db.selectFrom('tokens').selectAll().orderBy('seq', 'desc');
  if (filter.merchantId) query = query.where('merchant_id', '=', (await getMerchant(db, filter.merchantId)).id);
  if (filter.status) {
    const status = filter.status;
    if (!(TOKEN_STATUSES as readonly string[]).includes(status)) {
      throw invalidParam('request', `Invalid parameter status: must be one of ${TOKEN_STATUSES.join(', ')}`);
    }
    query = query.where('status', '=', status as TokenStatus);
  }
  return query.execute();
}

export async function revokeToken(ctx: EngineContext, token: string): Promise<Token> {
  const revoked = await ctx.db
    .updateTable('tokens')
    .set({ status: 'revoked' })
    .where('token', '=', token)
    .returningAll()
    .executeTakeFirst();
  if (!revoked) throw credentialError('not-found', `Token ${token} not found`);
  return revoked;
}
