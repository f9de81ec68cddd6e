import Router from '@koa/router';
import { Decimal, isPlainDecimal } from '../../domain/money.js';
import { listBills } from '../../engine/bills.js';
import type { EngineContext } from '../../engine/context.js';
import { ledgerBalances, ledgerEntries } from '../../engine/ledger.js';
import { listMerchants } from '../../engine/merchants.js';
import { listPayouts } from '../../engine/payouts.js';
import { listRecipients } from '../../engine/payout-recipients.js';
import type { Sandbox } from '../../sandbox/controls.js';
import { listSettlements } from '../../engine/settlements.js';
import { invalidParam } from '../../errors.js';
import type { AppContext, AppState } from '../context.js';
import { guardedRoutes } from '../guarded-routes.js';
import type { SandboxKey } from '../sandbox/guard.js';
import { action, dashboardAccess, form, pageOf, pager, render, statusBadge, time } from './dashboard-kit.js';
import { html } from './html.js';

/**
 * The dashboard's money pages, per merchant: ledgers with their entries, deposits and
 * settlements; payout recipients and payouts with the sandbox's accept and fail; bills.
 */
export function dashboardMoneyRoutes(engine: EngineContext, sandbox: Sandbox, key: SandboxKey): Router<AppState> {
  const router = new Router<AppState>();
  const routes = guardedRoutes(router, dashboardAccess(key));

  /** The merchant chosen with `?merchant=` (the default one when none is). */
  const merchantOf = async (ctx: AppContext) => {
    const merchants = await listMerchants(engine.db);
    const chosen = merchants.find((m) => m.id === ctx.query.merchant) ?? merchants.find((m) => m.is_default) ?? merchants[0];
    const picker = html`<form class="row" method="get"><label>Merchant <select name="merchant" data-testid="merchant" onchange="this.form.submit()">${merchants.map(
      (m) => html`<option value="${m.id}"${m.id === chosen?.id ? html` selected` : ''}>${m.name}</option>`,
    )}</select></label><noscript><button type="submit">Show</button></noscript></form>`;
    return { merchant: chosen, picker };
  };

  routes.get('/dashboard/ledgers', async (ctx) => {
    const { merchant, picker } = await merchantOf(ctx);
    if (!merchant) return render(ctx, 'Ledgers', html`<p>No merchant.</p>`);
    const balances = await ledgerBalances(engine.db, merchant.id);
    const currency = typeof ctx.query.currency === 'string' ? ctx.query.currency : balances[0]?.currency;
    const entries = currency ? (await ledgerEntries(engine.db, merchant.id, currency)).reverse().slice(0, 200) : [];
    const { page, limit, offset } = pageOf(ctx);
    const settlements = await listSettlements(engine.db, merchant.id, { limit, offset });
    const here = `/dashboard/ledgers?merchant=${merchant.id}`;
    render(
      ctx,
      'Ledgers',
      html`<div class="card"><h2>Ledgers</h2>${picker}
      <table data-testid="balances"><thead><tr><th>Currency</th><th>Balance</th><th></th></tr></thead><tbody>${balances.map(
        (b) => html`<tr><td><a href="${here}&currency=${b.currency}">${b.currency}</a></td><td>${b.balance}</td><td></td></tr>`,
      )}</tbody></table>${balances.length === 0 ? html`<p class="muted">No entries yet: completed invoices, refunds, payouts and deposits write them.</p>` : ''}
      <div class="row">${form(ctx, `/dashboard/ledgers/deposits?merchant=${merchant.id}`, html`<label>Deposit <input name="amount" placeholder="1000" size="8" data-testid="deposit-amount"></label> <input name="currency" value="USD" size="4" aria-label="currency"> `, 'Deposit')}
      ${form(ctx, `/dashboard/settlements?merchant=${merchant.id}`, '', 'Settle now', true)}</div></div>
      ${currency ? html`<div class="card"><h2>${currency} entries</h2><table data-testid="entries"><thead><tr><th>Time</th><th>Kind</th><th>Amount</th><th class="hide-narrow">About</th></tr></thead><tbody>${entries.map(
        (e) => html`<tr><td>${time(e.occurred_at)}</td><td>${e.kind}</td><td>${e.amount}</td><td class="hide-narrow">${e.invoice_id ? html`<a href="/dashboard/invoices/${e.invoice_id}">${e.invoice_id}</a>` : (e.payout_id ?? e.settlement_id ?? '')}</td></tr>`,
      )}</tbody></table></div>` : ''}
      <div class="card"><h2>Settlements</h2><table data-testid="settlements"><thead><tr><th>Created</th><th>Currency</th><th>Status</th><th class="hide-narrow">Opening</th><th class="hide-narrow">Entries</th><th class="hide-narrow">Withheld</th><th>Total</th></tr></thead><tbody>${settlements.map(
        (s) => html`<tr><td>${time(s.date_created)}</td><td>${s.currency}</td><td>${statusBadge(s.status)}</td><td class="hide-narrow">${s.opening_balance}</td><td class="hide-narrow">${s.ledger_entries_sum}</td><td class="hide-narrow">${s.withholdings_sum}</td><td>${s.total_amount}</td></tr>`,
      )}</tbody></table>${pager(here, page, settlements.length)}</div>`,
    );
  });

  const back = (ctx: AppContext) => `/dashboard/ledgers?merchant=${encodeURIComponent(String(ctx.query.merchant ?? ''))}`;
  routes.post('/dashboard/ledgers/deposits', action(back, async (ctx, body) => {
    const amount = String(body.amount ?? '');
    if (!isPlainDecimal(amount) || new Decimal(amount).lte(0)) throw invalidParam('request', 'The amount must be a positive number, e.g. 1000 or 250.50');
    const currency = String(body.currency ?? 'USD').toUpperCase();
    await sandbox.deposit(String(ctx.query.merchant), currency, new Decimal(amount));
    return `Deposited ${amount} ${currency}`;
  }));
  routes.post('/dashboard/settlements', action(back, async (ctx) => {
    const settled = await sandbox.settle(String(ctx.query.merchant));
    return settled.length === 0 ? 'Nothing to settle' : `Settled ${settled.map((s) => `${s.total_amount} ${s.currency}`).join(', ')}`;
  }));

  routes.get('/dashboard/payouts', async (ctx) => {
    const { merchant, picker } = await merchantOf(ctx);
    if (!merchant) return render(ctx, 'Payouts', html`<p>No merchant.</p>`);
    const { page, limit, offset } = pageOf(ctx);
    const [recipients, payouts] = await Promise.all([listRecipients(engine.db, merchant.id, { limit: 500, offset: 0 }), listPayouts(engine.db, merchant.id, { limit, offset })]);
    const emails = new Map(recipients.map((r) => [r.id, r.email]));
    const here = `/dashboard/payouts?merchant=${merchant.id}`;
    render(
      ctx,
      'Payouts',
      html`<div class="card"><h2>Payout recipients</h2>${picker}<table data-testid="recipients"><thead><tr><th>E-mail</th><th>Label</th><th>Status</th><th></th></tr></thead><tbody>${recipients.map(
        (r) => html`<tr data-recipient="${r.id}"><td>${r.email}</td><td>${r.label ?? ''}</td><td>${statusBadge(r.status)}</td><td>${['invited', 'unverified', 'verified'].includes(r.status) ? form(ctx, `/dashboard/recipients/${r.id}/accept?merchant=${merchant.id}`, '', 'Accept invite', true) : ''}</td></tr>`,
      )}</tbody></table>${recipients.length === 0 ? html`<p class="muted">None yet: POST /recipients invites them.</p>` : ''}</div>
      <div class="card"><h2>Payouts</h2><div class="row"><p class="muted">Funded and sent at BitPay's cut-offs, 2 pm and 9 pm UTC on the emulator's clock.</p>${form(ctx, `/dashboard/payouts/process?merchant=${merchant.id}`, '', 'Run the cut-off now')}</div><table data-testid="payouts"><thead><tr><th>Requested</th><th>Recipient</th><th>Amount</th><th>Status</th><th class="hide-narrow">Why</th><th></th></tr></thead><tbody>${payouts.map(
        (p) => html`<tr data-payout="${p.id}"><td>${time(p.request_date)}</td><td>${emails.get(p.recipient_id) ?? p.recipient_id}</td><td>${p.amount} ${p.currency}</td><td>${statusBadge(p.status)}</td><td class="hide-narrow">${p.message ?? ''}</td>
          <td>${['new', 'funded', 'processing'].includes(p.status) ? form(ctx, `/dashboard/payouts/${p.id}/fail?merchant=${merchant.id}`, '', 'Fail', true) : ''}</td></tr>`,
      )}</tbody></table>${payouts.length === 0 ? html`<p class="muted">None yet.</p>` : ''}${pager(here, page, payouts.length)}</div>`,
    );
  });

  const backToPayouts = (ctx: AppContext) => `/dashboard/payouts?merchant=${encodeURIComponent(String(ctx.query.merchant ?? ''))}`;
  routes.post('/dashboard/recipients/:id/accept', action(backToPayouts, async (ctx) => {
    const recipient = await sandbox.acceptRecipient(ctx.params.id as string);
    return `${recipient.email} is ${recipient.status}`;
  }));
  routes.post('/dashboard/payouts/process', action(backToPayouts, async (ctx) => {
    const processed = await sandbox.processPayouts(String(ctx.query.merchant));
    return `Cut-off: ${processed} new payout${processed === 1 ? '' : 's'} looked at`;
  }));
  routes.post('/dashboard/payouts/:id/fail', action(backToPayouts, async (ctx) => {
    const payout = await sandbox.failPayout(ctx.params.id as string, 'Failed from the dashboard');
    return `Payout ${payout.id} failed; its money is back in the ledger`;
  }));

  routes.get('/dashboard/bills', async (ctx) => {
    const { merchant, picker } = await merchantOf(ctx);
    if (!merchant) return render(ctx, 'Bills', html`<p>No merchant.</p>`);
    const { page, limit, offset } = pageOf(ctx);
    const { bills, total } = await listBills(engine.db, merchant.id, { limit, offset });
    render(
      ctx,
      'Bills',
      html`<div class="card"><h2>Bills (${total})</h2>${picker}<p class="muted">BitPay's bills and seed 001's line-item invoices: each is paid through its own invoice.</p>
      <table data-testid="bills"><thead><tr><th>Number</th><th class="hide-narrow">API</th><th class="hide-narrow">Created</th><th class="hide-narrow">Currency</th><th>State</th><th class="hide-narrow">Invoice</th><th></th></tr></thead><tbody>${bills.map(
        (v) => html`<tr><td>${v.bill.reference ?? v.bill.number}</td><td class="hide-narrow">${v.bill.dialect}</td><td class="hide-narrow">${time(v.bill.created_at)}</td><td class="hide-narrow">${v.bill.currency}</td><td>${statusBadge(v.state)}</td>
          <td class="hide-narrow">${v.invoice ? html`<a href="/dashboard/invoices/${v.invoice.id}">${v.invoice.id}</a>` : ''}</td><td><a href="/bill?id=${v.bill.id}">Bill page</a></td></tr>`,
      )}</tbody></table>${pager(`/dashboard/bills?merchant=${merchant.id}`, page, bills.length)}</div>`,
    );
  });

  return router;
}
