import Router from '@koa/router';
import { parseInstant } from '../../domain/query.js';
import { PAYOUT_STATUSES, RECIPIENT_STATUSES, type PayoutStatus, type RecipientStatus } from '../../domain/payouts.js';
import type { EngineContext } from '../../engine/context.js';
import { cancelPayoutGroup, cancelPayoutNow, createPayout, createPayoutGroup, getPayout, listPayouts, payoutTransactions, recipientsOf, requestPayoutNotification, type NewPayout } from '../../engine/payouts.js';
import { getRecipient, inviteRecipients, listRecipients, removeRecipient, requestRecipientNotification, updateRecipient } from '../../engine/payout-recipients.js';
import { EngineError, invalidField, invalidParam } from '../../errors.js';
import type { Db } from '../../db/schema.js';
import { bodyOf, type AppContext, type AppState } from '../../http/context.js';
import { validated } from '../../http/validate.js';
import { principalOf, requireToken, type AuthOptions } from './auth.js';
import { presentPayout, presentRecipient } from './presenters/payout.js';
import { optionalDateRange, queryOf } from './query.js';
import { STATUS_SUCCESS } from './presenters/success.js';
import type { Payout } from '../../engine/entities.js';

const RECIPIENT_FACADE = 'payout/recipient';
const PAYOUT_FACADE = 'payout/payout';

interface PayoutBody {
  amount: number;
  currency: string;
  ledgerCurrency: string;
  email?: string;
  recipientId?: string;
  shopperId?: string;
  reference?: string;
  label?: string;
  notificationURL?: string;
  notificationEmail?: string;
  effectiveDate?: string | number;
  ignoreEmails?: boolean;
}

/** A payout body in the engine's words; exactly one of email, recipientId and shopperId names the recipient. */
function payoutRequest(body: PayoutBody): NewPayout {
  const named = [body.email, body.recipientId, body.shopperId].filter((v) => v !== undefined && v !== '');
  if (named.length !== 1) throw invalidParam('payout', 'Invalid parameters: give exactly one of email, recipientId and shopperId to name the recipient');
  let effectiveDate: number | undefined;
  if (body.effectiveDate !== undefined && body.effectiveDate !== '') {
    const parsed = parseInstant(body.effectiveDate);
    if (!parsed) throw invalidField('payout', 'effectiveDate', 'must be a date (YYYY-MM-DD) or an ISO 8601 date-time');
    effectiveDate = parsed.ms;
  }
  return {
    amount: String(body.amount),
    currency: body.currency.toUpperCase(),
    ledgerCurrency: body.ledgerCurrency.toUpperCase(),
    recipient: { ...(body.email ? { email: body.email } : {}), ...(body.recipientId ? { recipientId: body.recipientId } : {}), ...(body.shopperId ? { shopperId: body.shopperId } : {}) },
    ...(body.reference ? { reference: body.reference } : {}),
    ...(body.label ? { label: body.label } : {}),
    ...(body.notificationURL ? { notificationUrl: body.notificationURL } : {}),
    ...(body.notificationEmail ? { notificationEmail: body.notificationEmail } : {}),
    ...(effectiveDate !== undefined ? { effectiveDate } : {}),
    ...(body.ignoreEmails !== undefined ? { ignoreEmails: body.ignoreEmails } : {}),
  };
}

function pageOf(query: { limit?: string; offset?: string }, subject: 'payout' | 'recipient') {
  const limit = query.limit === undefined ? 100 : Number(query.limit);
  if (limit < 1 || limit > 1000) throw invalidParam(subject, 'Invalid parameter limit: must be from 1 to 1000');
  return { limit, offset: query.offset === undefined ? 0 : Number(query.offset) };
}

async function presentPayouts(db: Db, payouts: Payout[]) {
  const [recipients, transactions] = await Promise.all([recipientsOf(db, payouts), payoutTransactions(db, payouts.map((p) => p.id))]);
  return payouts.map((p) => presentPayout(p, recipients.get(p.recipient_id), transactions.get(p.id)));
}

/** BitPay's payout facade (BITPAY-WIRE §3.5–3.6): recipients, payouts and payout groups, all signed. */
export function payoutsRoutes(engine: EngineContext, auth: AuthOptions): Router<AppState> {
  const router = new Router<AppState>();
  const payoutOnly = requireToken(auth, ['payout']);
  const merchantOf = (ctx: AppContext) => principalOf(ctx).merchantId;
  const one = async (payout: Payout) => (await presentPayouts(engine.db, [payout]))[0];

  router.post('/recipients', payoutOnly, async (ctx) => {
    const body = validated<{ guid?: string; recipients: { email: string; label?: string | null; notificationURL?: string | null }[] }>('requests/recipients-submit', 'recipient', bodyOf(ctx));
    const invited = await inviteRecipients(
      engine,
      merchantOf(ctx),
      principalOf(ctx).token.token,
      body.guid,
      body.recipients.map((r) => ({ email: r.email, ...(r.label ? { label: r.label } : {}), ...(r.notificationURL ? { notificationUrl: r.notificationURL } : {}) })),
    );
    ctx.body = { facade: RECIPIENT_FACADE, data: invited.map(presentRecipient) };
  });

  router.get('/recipients', payoutOnly, async (ctx) => {
    const query = validated<{ status?: string; limit?: string; offset?: string }>('requests/payout-list', 'recipient', queryOf(ctx));
    if (query.status !== undefined && !(RECIPIENT_STATUSES as readonly string[]).includes(query.status)) {
      throw invalidParam('recipient', `Invalid parameter status: must be one of ${RECIPIENT_STATUSES.join(', ')}`);
    }
    const recipients = await listRecipients(engine.db, merchantOf(ctx), { ...(query.status ? { status: query.status as RecipientStatus } : {}), ...pageOf(query, 'recipient') });
    ctx.body = { facade: RECIPIENT_FACADE, data: recipients.map(presentRecipient) };
  });

  router.get('/recipients/:id', payoutOnly, async (ctx) => {
    ctx.body = { facade: RECIPIENT_FACADE, data: presentRecipient(await getRecipient(engine.db, merchantOf(ctx), ctx.params.id as string)) };
  });

  router.put('/recipients/:id', payoutOnly, async (ctx) => {
    const body = validated<{ label?: string; notificationURL?: string }>('requests/recipient-update', 'recipient', bodyOf(ctx));
    const updated = await updateRecipient(engine, merchantOf(ctx), ctx.params.id as string, {
      ...(body.label !== undefined ? { label: body.label } : {}),
      ...(body.notificationURL !== undefined ? { notificationUrl: body.notificationURL } : {}),
    });
    ctx.body = { facade: RECIPIENT_FACADE, data: presentRecipient(updated) };
  });

  router.delete('/recipients/:id', payoutOnly, async (ctx) => {
    await removeRecipient(engine, merchantOf(ctx), ctx.params.id as string);
    ctx.body = STATUS_SUCCESS;
  });

  router.post('/recipients/:id/notifications', payoutOnly, async (ctx) => {
    await requestRecipientNotification(engine, merchantOf(ctx), ctx.params.id as string);
    ctx.body = STATUS_SUCCESS;
  });

  router.post('/payouts', payoutOnly, async (ctx) => {
    const request = payoutRequest(validated<PayoutBody>('requests/payout-create', 'payout', bodyOf(ctx)));
    ctx.body = { facade: PAYOUT_FACADE, data: await one(await createPayout(engine.db, engine, merchantOf(ctx), principalOf(ctx).token.token, request)) };
  });

  router.get('/payouts', payoutOnly, async (ctx) => {
    const query = validated<{ startDate?: string; endDate?: string; status?: string; reference?: string; limit?: string; offset?: string }>('requests/payout-list', 'payout', queryOf(ctx));
    if (query.status !== undefined && !(PAYOUT_STATUSES as readonly string[]).includes(query.status)) {
      throw invalidParam('payout', `Invalid parameter status: must be one of ${PAYOUT_STATUSES.join(', ')}`);
    }
    const range = optionalDateRange(query.startDate, query.endDate, 'payout');
    const payouts = await listPayouts(engine.db, merchantOf(ctx), {
      ...range,
      ...(query.status ? { status: query.status as PayoutStatus } : {}),
      ...(query.reference !== undefined ? { reference: query.reference } : {}),
      ...pageOf(query, 'payout'),
    });
    ctx.body = { facade: PAYOUT_FACADE, data: await presentPayouts(engine.db, payouts) };
  });

  router.post('/payouts/group', payoutOnly, async (ctx) => {
    const { instructions } = bodyOf(ctx);
    if (!Array.isArray(instructions) || instructions.length === 0 || instructions.length > 200) {
      throw invalidParam('payout', 'Invalid parameter instructions: must be a list of 1 to 200 payouts');
    }
    const parsed = instructions.map((instruction) => {
      const payee = String((instruction as Record<string, unknown>)?.email ?? (instruction as Record<string, unknown>)?.recipientId ?? (instruction as Record<string, unknown>)?.shopperId ?? '');
      try {
        const body = validated<PayoutBody>('requests/payout-create', 'payout', (instruction ?? {}) as Record<string, unknown>);
        return { request: payoutRequest(body), payee };
      } catch (error) {
        if (!(error instanceof EngineError)) throw error;
        return { request: null, payee, problem: error.message };
      }
    });
    const { done, failed } = await createPayoutGroup(engine, merchantOf(ctx), principalOf(ctx).token.token, parsed);
    ctx.body = { created: await presentPayouts(engine.db, done), failed };
  });

  router.delete('/payouts/group/:groupId', payoutOnly, async (ctx) => {
    const { done, failed } = await cancelPayoutGroup(engine, merchantOf(ctx), ctx.params.groupId as string);
    ctx.body = { cancelled: await presentPayouts(engine.db, done), failed };
  });

  router.get('/payouts/:id', payoutOnly, async (ctx) => {
    ctx.body = { facade: PAYOUT_FACADE, data: await one(await getPayout(engine.db, merchantOf(ctx), ctx.params.id as string)) };
  });

  router.delete('/payouts/:id', payoutOnly, async (ctx) => {
    await cancelPayoutNow(engine, merchantOf(ctx), ctx.params.id as string);
    ctx.body = STATUS_SUCCESS;
  });

  router.post('/payouts/:id/notifications', payoutOnly, async (ctx) => {
    await requestPayoutNotification(engine, merchantOf(ctx), ctx.params.id as string);
    ctx.body = STATUS_SUCCESS;
  });

  return router;
}
