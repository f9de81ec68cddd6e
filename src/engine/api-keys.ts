import type { Db } from '../db/schema.js';
import { toJson } from '../db/json.js';
import { credentialError, EngineError } from '../errors.js';
import type { EngineContext } from './context.js';
import type { ApiKey } from './entities.js';

export interface NewApiKey {
  dialect: string;
  merchantId: string | null;
  label?: string | null;
  permissions: string[];
}

/** A new key of a dialect: 40 hex digits, as BTCPay Server's keys are. */
export async function createApiKey(ctx: EngineContext, request: NewApiKey): Promise<ApiKey> {
  return ctx.db
    .insertInto('api_keys')
    .values({
      key: Buffer.from(ctx.random.bytes(20)).toString('hex'),
      dialect: request.dialect,
      merchant_id: request.merchantId,
      label: request.label ?? null,
      permissions: toJson(request.permissions),
      created_at: ctx.clock.now(),
      revoked_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** What an authenticated key is read from; migrations/018 notifies other processes of its changes. */
export const API_KEY_READ_TABLES = ['api_keys'];

/** The live key of a dialect with this secret, from the read cache; unknown and revoked keys are both "unauthenticated". */
export async function authenticateApiKey(ctx: EngineContext, dialect: string, key: string): Promise<ApiKey> {
  const found = await ctx.caches.apiKeys.get(`${dialect} ${key}`, () =>
    ctx.db.selectFrom('api_keys').selectAll().where('key', '=', key).where('dialect', '=', dialect).where('revoked_at', 'is', null).executeTakeFirst(),
  );
  if (!found) throw credentialError('unauthenticated', 'The API key is unknown or was revoked');
  return found;
}

/** Revokes a live key of a dialect; an unknown or already revoked key is not found. */
export async function revokeApiKey(ctx: EngineContext, dialect: string, key: string): Promise<void> {
  const revoked = await ctx.db
    .updateTable('api_keys')
    .set({ revoked_at: ctx.clock.now() })
    .where('key', '=', key)
    .where('dialect', '=', dialect)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (revoked.numUpdatedRows === 0n) throw new EngineError('not-found', 'The API key was not found', { subject: 'credential', reason: 'apikey-not-found' });
}

/** Every key, newest first (the sandbox and dashboard see all of them, live and revoked). */
export async function listApiKeys(db: Db, filter: { dialect?: string | undefined; merchantId?: string | undefined } = {}): Promise<ApiKey[]> {
  let query = db.selectFrom('api_keys').selectAll();
  if (filter.dialect) query = query.where('dialect', '=', filter.dialect);
  if (filter.merchantId) query = query.where('merchant_id', '=', filter.merchantId);
  return query.orderBy('seq', 'desc').limit(500).execute();
}

/** Revokes a live key of whatever dialect (the sandbox's revoke); unknown or revoked keys are not found. */
export async function revokeAnyApiKey(ctx: EngineContext, key: string): Promise<ApiKey> {
  const revoked = await ctx.db.updateTable('api_keys').set({ revoked_at: ctx.clock.now() }).where('key', '=', key).where('revoked_at', 'is', null).returningAll().executeTakeFirst();
  if (!revoked) throw new EngineError('not-found', `API key ${key} was not found, or was revoked already`, { subject: 'request', reason: 'apikey-not-found' });
  return revoked;
}
