import type { Db } from '../db/schema.js';
import { acceptanceSteps, type RecipientStatus } from '../domain/payouts.js';
import { base58Text } from '../domain/ids.js';
import { conflict, EngineError, notFound } from '../errors.js';
import type { EngineContext } from './context.js';
import type { PayoutRecipient } from './entities.js';
import { publish } from './publish.js';

export interface NewRecipient {
  email: string;
  label?: string;
  notificationUrl?: string;
}

const recipientNotFound = (id: string) => notFound('recipient', `Recipient ${id} not found`);

/** Writes a recipient's new status and tells the dialects, in the caller's transaction. */
async function moveRecipient(db: Db, ctx: EngineContext, recipient: PayoutRecipient, status: RecipientStatus, changes: Partial<Pick<PayoutRecipient, 'shopper_id'>> = {}): Promise<PayoutRecipient> {
  const moved = await db.updateTable('payout_recipients').set({ ...changes, status }).where('id', '=', recipient.id).returningAll().executeTakeFirstOrThrow();
  await publish(db, ctx, [{ type: 'recipient-changed', recipient: moved }], ctx.clock.now());
  return moved;
}

/**
 * Invites recipients by e-mail (`invited`); with the merchant's `recipients_auto_active` setting
 * they accept at once and are `active`. An e-mail that is already a recipient (not removed) is
 * answered with that recipient as it is, as BitPay does: nothing new is made or told.
 */
export async function inviteRecipients(ctx: EngineContext, merchantId: string, apiToken: string, guid: string | undefined, recipients: NewRecipient[]): Promise<PayoutRecipient[]> {
  return ctx.db.transaction().execute(async (trx) => {
    const merchant = await trx.selectFrom('merchants').select(['id', 'recipients_auto_active']).where('id', '=', merchantId).forUpdate().executeTakeFirstOrThrow();
    const emails = recipients.map((r) => r.email.toLowerCase());
    const twice = emails.find((email, i) => emails.indexOf(email) !== i);
    if (twice) throw new EngineError('invalid', `Recipient ${twice} is listed twice`, { subject: 'recipient' });
    const current = await trx.selectFrom('payout_recipients').selectAll().where('merchant_id', '=', merchantId).where('status', '!=', 'removed').execute();
    const byEmail = new Map(current.map((r) => [r.email.toLowerCase(), r]));
    const fresh = recipients.filter((r) => !byEmail.has(r.email.toLowerCase()));
    const now = ctx.clock.now();
    const invited =
      fresh.length === 0
        ? []
        : await trx
            .insertInto('payout_recipients')
            .values(
              fresh.map((r) => ({
                id: base58Text(ctx.random, 22),
                merchant_id: merchantId,
                email: r.email,
                label: r.label ?? null,
                notification_url: r.notificationUrl ?? null,
                status: 'invited' as const,
                shopper_id: null,
                resource_token: base58Text(ctx.random, 44),
                guid: guid ?? null,
                api_token: apiToken,
                created_at: now,
              })),
            )
            .returningAll()
            .execute();
    await publish(trx, ctx, invited.map((recipient) => ({ type: 'recipient-changed' as const, recipient })), now);
    for (const recipient of invited) {
      byEmail.set(recipient.email.toLowerCase(), merchant.recipients_auto_active ? await acceptIn(trx, ctx, recipient) : recipient);
    }
    return emails.map((email) => byEmail.get(email)!);
  });
}

/** The recipient accepts its invite: unverified, verified, then active (with its shopper id), each told. */
async function acceptIn(db: Db, ctx: EngineContext, recipient: PayoutRecipient): Promise<PayoutRecipient> {
  let current = recipient;
  for (const status of acceptanceSteps(recipient.status)) {
    current = await moveRecipient(db, ctx, current, status, status === 'active' ? { shopper_id: current.shopper_id ?? base58Text(ctx.random, 22) } : {});
  }
  return current;
}

/** Sandbox: the recipient accepts the invite (from invited, unverified or verified) and is active. */
export async function acceptRecipientInvite(ctx: EngineContext, id: string): Promise<PayoutRecipient> {
  return ctx.db.transaction().execute(async (trx) => {
    const recipient = await trx.selectFrom('payout_recipients').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!recipient) throw recipientNotFound(id);
    if (acceptanceSteps(recipient.status).length === 0) throw conflict('recipient', 'state', `Recipient ${id} is ${recipient.status}; only an invited recipient accepts an invite`);
    return acceptIn(trx, ctx, recipient);
  });
}

export async function getRecipient(db: Db, merchantId: string, id: string): Promise<PayoutRecipient> {
  const recipient = await db.selectFrom('payout_recipients').selectAll().where('id', '=', id).where('merchant_id', '=', merchantId).executeTakeFirst();
  if (!recipient) throw recipientNotFound(id);
  return recipient;
}

export async function listRecipients(db: Db, merchantId: string, filter: { status?: RecipientStatus; limit: number; offset: number }): Promise<PayoutRecipient[]> {
  let query = db.selectFrom('payout_recipients').selectAll().where('merchant_id', '=', merchantId);
  if (filter.status) query = query.where('status', '=', filter.status);
  return query.orderBy('seq').limit(filter.limit).offset(filter.offset).execute();
}

/** Changes a recipient's label or notification URL; a removed recipient cannot change. */
export async function updateRecipient(ctx: EngineContext, merchantId: string, id: string, changes: { label?: string; notificationUrl?: string }): Promise<PayoutRecipient> {
  const recipient = await getRecipient(ctx.db, merchantId, id);
  if (recipient.status === 'removed') throw conflict('recipient', 'state', `Recipient ${id} was removed`);
  return ctx.db
    .updateTable('payout_recipients')
    .set({
      ...(changes.label !== undefined ? { label: changes.label } : {}),
      ...(changes.notificationUrl !== undefined ? { notification_url: changes.notificationUrl } : {}),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** `DELETE /recipients/:id`: the recipient is removed (kept, so its payouts still name it). */
export async function removeRecipient(ctx: EngineContext, merchantId: string, id: string): Promise<PayoutRecipient> {
  return ctx.db.transaction().execute(async (trx) => {
    const recipient = await trx.selectFrom('payout_recipients').selectAll().where('id', '=', id).where('merchant_id', '=', merchantId).forUpdate().executeTakeFirst();
    if (!recipient) throw recipientNotFound(id);
    if (recipient.status === 'removed') throw conflict('recipient', 'state', `Recipient ${id} was already removed`);
    return moveRecipient(trx, ctx, recipient, 'removed');
  });
}

/** The merchant asks to be told of the recipient again, as it is now (by e-mail where it has no notificationURL). */
export async function requestRecipientNotification(ctx: EngineContext, merchantId: string, id: string): Promise<void> {
  const recipient = await getRecipient(ctx.db, merchantId, id);
  await publish(ctx.db, ctx, [{ type: 'recipient-notification-requested', recipient }], ctx.clock.now());
}

/** The active recipient of the merchant a payout names, by id, e-mail or shopper id. */
export async function activeRecipient(db: Db, merchantId: string, by: { recipientId?: string; email?: string; shopperId?: string }): Promise<PayoutRecipient> {
  let query = db.selectFrom('payout_recipients').selectAll().where('merchant_id', '=', merchantId).where('status', '!=', 'removed');
  if (by.recipientId) query = query.where('id', '=', by.recipientId);
  else if (by.shopperId) query = query.where('shopper_id', '=', by.shopperId);
  else query = query.where((eb) => eb(eb.fn('lower', ['email']), '=', (by.email ?? '').toLowerCase()));
  const named = by.recipientId ?? by.shopperId ?? by.email;
  const recipient = await query.executeTakeFirst();
  if (!recipient) throw new EngineError('invalid', `Invalid recipient: ${named} is not a recipient of this account; invite it with POST /recipients`, { subject: 'payout' });
  if (recipient.status !== 'active') {
    throw conflict('payout', 'recipient-not-active', `Recipient ${named} is ${recipient.status}, not active: it must accept its invite first (POST /sandbox/recipients/${recipient.id}/accept)`);
  }
  return recipient;
}
