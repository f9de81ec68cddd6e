import { listApiKeys, revokeAnyApiKey } from '../../engine/api-keys.js';
import type { Dialect } from '../../dialects/dialect.js';
import { apiKeyDialect } from '../../dialects/registry.js';
import Router from '@koa/router';
import { parseDuration } from '../../domain/duration.js';
import { INVOICE_STATUSES, isInvoiceStatus } from '../../domain/invoice.js';
import { dateRange } from '../../domain/query.js';
import { satsToBtc } from '../../domain/money.js';
import { recentChain } from '../../engine/chain.js';
import type { EngineContext } from '../../engine/context.js';
import { listInvoices } from '../../engine/invoices.js';
import { listMerchants } from '../../engine/merchants.js';
import { currentRates, updateRates } from '../../engine/rates.js';
import type { Sandbox } from '../../sandbox/controls.js';
import { approvePairingCode, createPairingCode, listTokens, revokeToken } from '../../engine/tokens.js';
import { EngineError, invalidParam } from '../../errors.js';
import { bodyOf, type AppContext, type AppState } from '../context.js';
import { presentSandboxDelivery } from '../sandbox/presenters.js';
import { guardedRoutes } from '../guarded-routes.js';
import type { SandboxKey } from '../sandbox/guard.js';
import { csrfProtection, endSession, localPath, startSession } from './access.js';
import { action, dashboardAccess, form, pageOf, pager, render, statusBadge, time } from './dashboard-kit.js';
import { resetForm } from './dashboard-webhooks.js';
import { html } from './html.js';

/**
 * The merchant dashboard: BitPay's own URLs for API tokens and access requests, plus the
 * invoices, chain, clock and rates of the sandbox. Open on an open emulator; behind a login
 * (or the bearer token) when SANDBOX_TOKEN is set.
 */
export function dashboardRoutes(engine: EngineContext, sandbox: Sandbox, key: SandboxKey, dialects: readonly Dialect[]): Router<AppState> {
  const router = new Router<AppState>();
  const { config } = engine;

  const requireAccess = dashboardAccess(key);

  router.get('/dashboard/login', (ctx) => {
    const next = localPath(ctx.query.next, '/dashboard');
    render(
      ctx,
      'Log in',
      html`<div class="card"><h2>Log in</h2><p class="muted">This emulator is protected by its SANDBOX_TOKEN.</p>
      ${form(ctx, '/dashboard/login', html`<input type="hidden" name="next" value="${next}"><input type="password" name="token" placeholder="SANDBOX_TOKEN" aria-label="SANDBOX_TOKEN"> `, 'Log in')}</div>`,
    );
  });

  router.post('/dashboard/login', csrfProtection, (ctx) => {
    const body = bodyOf(ctx);
    const next = localPath(body.next, '/dashboard');
    let refusal = 'Wrong token';
    try {
      if (typeof body.token === 'string' && startSession(ctx, key, body.token)) return ctx.redirect(next);
    } catch (error) {
      if (!(error instanceof EngineError)) throw error;
      refusal = error.message;
    }
    ctx.redirect(`/dashboard/login?next=${encodeURIComponent(next)}&error=${encodeURIComponent(refusal)}`);
  });

  router.post('/dashboard/logout', csrfProtection, (ctx) => {
    endSession(ctx);
    ctx.redirect('/dashboard/login');
  });

  const routes = guardedRoutes(router, requireAccess, csrfProtection);

  routes.get('/dashboard', async (ctx) => {
    const requested = typeof ctx.query.status === 'string' ? ctx.query.status : '';
    const status = isInvoiceStatus(requested) ? requested : undefined;
    const orderId = typeof ctx.query.orderId === 'string' && ctx.query.orderId !== '' ? ctx.query.orderId : undefined;
    const dateStart = typeof ctx.query.dateStart === 'string' && ctx.query.dateStart ? ctx.query.dateStart : '';
    const dateEnd = typeof ctx.query.dateEnd === 'string' && ctx.query.dateEnd ? ctx.query.dateEnd : '';
    const range = dateStart && dateEnd ? dateRange(dateStart, dateEnd) : {};
    const refusal =
      requested !== '' && !status
        ? `Unknown status "${requested}": choose one of ${INVOICE_STATUSES.join(', ')}`
        : range === null
          ? 'The dates must be YYYY-MM-DD, the first not after the second'
          : null;
    if (refusal !== null) return ctx.redirect(`/dashboard?error=${encodeURIComponent(refusal)}`);
    const { page, limit, offset } = pageOf(ctx);
    const here = `/dashboard?${new URLSearchParams({ ...(status ? { status } : {}), ...(orderId ? { orderId } : {}), ...(dateStart ? { dateStart } : {}), ...(dateEnd ? { dateEnd } : {}) })}`;
    const [invoices, merchants] = await Promise.all([
      listInvoices(engine.db, null, { ...(range ?? {}), ...(status ? { statuses: [status] } : {}), ...(orderId !== undefined ? { orderIds: [orderId] } : {}), limit, offset }),
      listMerchants(engine.db),
    ]);
    const merchantName = new Map(merchants.map((m) => [m.id, m.name]));
    render(
      ctx,
      'Invoices',
      html`<div class="card"><h2>Invoices</h2>
      <form method="get" action="/dashboard" class="row">
        <label>Status<br><select name="status"><option value="">any</option>${INVOICE_STATUSES.map((s) => html`<option${s === status ? html` selected` : ''}>${s}</option>`)}</select></label>
        <label>Order id<br><input name="orderId" value="${orderId ?? ''}"></label>
        <label>From<br><input type="date" name="dateStart" value="${dateStart}"></label>
        <label>To<br><input type="date" name="dateEnd" value="${dateEnd}"></label>
        <button type="submit" class="secondary">Filter</button></form>
      <p class="muted">Clock: ${time(engine.clock.now())} (${engine.clock.mode})</p>
      <table data-testid="invoices"><thead><tr><th>Invoice</th><th class="hide-narrow">Created</th><th class="hide-narrow">Merchant</th><th>Order</th><th>Price</th><th>Status</th></tr></thead><tbody>
      ${invoices.map(
        (i) => html`<tr><td><a href="/dashboard/invoices/${i.id}"><code>${i.id}</code></a></td><td class="hide-narrow">${time(i.invoice_time)}</td>
          <td class="hide-narrow">${merchantName.get(i.merchant_id) ?? i.merchant_id}</td><td>${i.order_id ?? ''}</td><td>${Number(i.price)} ${i.currency}</td>
          <td>${statusBadge(i.status)} ${i.exception_status ?? ''}</td></tr>`,
      )}
      </tbody></table>${invoices.length === 0 ? html`<p class="muted">No invoices.</p>` : ''}${pager(here, page, invoices.length)}</div>`,
    );
  });

  routes.get('/dashboard/invoices/:id', async (ctx) => {
    const id = ctx.params.id as string;
    const [{ invoice, events, chain, refunds }, log] = await Promise.all([sandbox.invoiceDetails(id), sandbox.webhookLog({ invoiceId: id })]);
    const back = `/dashboard/invoices/${id}`;
    const deliveries = log.deliveries.map((d) => presentSandboxDelivery(d, log.attempts.get(d.id) ?? []));
    const total = invoice.subtotal_sats + invoice.miner_fee_sats;
    // Buttons only where the state allows them: the amount due of an open invoice, expiry while new.
    const payable = !invoice.is_cancelled && ['new', 'paid', 'confirmed', 'expired'].includes(invoice.status) && invoice.amount_paid_sats < total;
    render(
      ctx,
      `Invoice ${id}`,
      html`<div class="card"><h2>Invoice <code>${id}</code> ${statusBadge(invoice.status)} ${invoice.exception_status ?? ''}${invoice.is_cancelled ? ' (cancelled)' : ''}</h2>
      <p>${Number(invoice.price)} ${invoice.currency} = ${satsToBtc(total)} BTC · paid ${satsToBtc(invoice.amount_paid_sats)} BTC · speed ${invoice.transaction_speed}</p>
      <p>Address <code>${invoice.address}</code> · <a href="/invoice?id=${id}">checkout page</a>${invoice.notification_url ? html` · webhooks to <code>${invoice.notification_url}</code>` : ''}</p>
      <div class="row">${payable ? form(ctx, `${back}/pay`, '', 'Pay the amount due') : ''} ${invoice.status === 'new' && !invoice.is_cancelled ? form(ctx, `${back}/expire`, '', 'Expire now', true) : ''}</div></div>
      <div class="card"><h3>Events</h3><table data-testid="events"><tbody>${events.map(
        (e) => html`<tr><td>${time(e.occurred_at)}</td><td>${e.type}</td><td>${e.from_status ?? ''} → ${e.to_status}</td><td>${e.exception_status ?? ''}</td></tr>`,
      )}</tbody></table></div>
      <div class="card"><h3>Transactions</h3><table data-testid="transactions"><tbody>${(chain.transactions.get(id) ?? []).map(
        (tx) => html`<tr><td><code>${tx.txid}</code></td><td>${satsToBtc(tx.amount_sats)} BTC</td>
          <td>${tx.double_spent_at !== null ? 'double-spent' : tx.block_height === null ? 'mempool' : `${chain.tipHeight - tx.block_height + 1} conf`}</td>
          <td>${tx.block_height === null && tx.double_spent_at === null ? form(ctx, `/dashboard/transactions/${tx.txid}/double-spend?back=${encodeURIComponent(back)}`, '', 'Double-spend', true) : ''}</td></tr>`,
      )}</tbody></table></div>
      <div class="card"><h3>Refunds</h3>${refunds.length === 0 ? html`<p class="muted">None.</p>` : ''}<table data-testid="refunds"><tbody>${refunds.map(
        (r) => html`<tr><td><code>${r.id}</code></td><td>${Number(r.amount)} ${r.currency} (${r.type})</td><td>${r.status}</td><td>${r.refund_address ? html`<code>${r.refund_address}</code>` : ''}</td>
          <td>${r.status === 'created' ? form(ctx, `/dashboard/refunds/${r.id}/address?back=${encodeURIComponent(back)}`, '', 'Buyer gives address', true) : ''}
          ${r.status === 'pending' ? form(ctx, `/dashboard/refunds/${r.id}/complete?back=${encodeURIComponent(back)}`, '', 'Send refund', true) : ''}
          ${r.status === 'created' || r.status === 'pending' ? form(ctx, `/dashboard/refunds/${r.id}/fail?back=${encodeURIComponent(back)}`, '', 'Fail', true) : ''}</td></tr>`,
      )}</tbody></table></div>
      <div class="card" data-testid="deliveries"><h3>Webhook deliveries</h3>${deliveries.length === 0 ? html`<p class="muted">None.</p>` : ''}
      ${deliveries.map(
        (d) => html`<div class="card" data-testid="delivery"><p><strong>${d.event.code} ${d.event.name}</strong> (${d.format}) · ${d.status} · ${d.attemptCount} attempt(s)
          ${form(ctx, `/dashboard/webhooks/${d.id}/redeliver?back=${encodeURIComponent(back)}`, '', 'Redeliver', true)}</p>
          ${d.attempts.map(
            (a) => html`<details${a === d.attempts.at(-1) ? html` open` : ''}><summary>Attempt ${a.number} at ${time(a.time)}: ${d.channel === 'email' ? 'e-mailed' : a.response ? `HTTP ${a.response.status}` : 'no response'}${a.error ? ` · ${a.error}` : ''} (${a.durationMs} ms)</summary>
              <p class="muted">Request</p><pre>${Object.entries(a.request.headers).map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${a.request.body}</pre>
              ${a.response ? html`<p class="muted">Response</p><pre>${a.response.body ?? ''}</pre>` : ''}</details>`,
          )}</div>`,
      )}</div>`,
    );
  });

  const backTo = (fallback: string) => (ctx: AppContext) =>
    localPath(ctx.query.back, fallback);
  const invoicePage = (ctx: AppContext) => `/dashboard/invoices/${ctx.params.id}`;

  routes.post('/dashboard/invoices/:id/pay', action(invoicePage, async (ctx) => {
    const { transaction } = await sandbox.pay(ctx.params.id as string);
    return `Paid ${satsToBtc(transaction.amount_sats)} BTC`;
  }));
  routes.post('/dashboard/invoices/:id/expire', action(invoicePage, async (ctx) => {
    await sandbox.expire(ctx.params.id as string);
    return 'Expired';
  }));
  routes.post('/dashboard/transactions/:txid/double-spend', action(backTo('/dashboard/chain'), async (ctx) => {
    await sandbox.doubleSpend(ctx.params.txid as string);
    return 'Double-spent';
  }));
  routes.post('/dashboard/refunds/:id/address', action(backTo('/dashboard'), async (ctx) => {
    const refund = await sandbox.refundAddress(ctx.params.id as string);
    return `Refund address ${refund.refund_address}`;
  }));
  routes.post('/dashboard/refunds/:id/complete', action(backTo('/dashboard'), async (ctx) => {
    const refund = await sandbox.completeRefund(ctx.params.id as string);
    return `Refund sent in ${refund.txid}`;
  }));
  routes.post('/dashboard/refunds/:id/fail', action(backTo('/dashboard'), async (ctx) => {
    await sandbox.failRefund(ctx.params.id as string);
    return 'Refund failed';
  }));
  routes.post('/dashboard/webhooks/:id/redeliver', action(backTo('/dashboard'), async (ctx) => {
    await sandbox.redeliver(ctx.params.id as string);
    return 'Redelivery queued';
  }));

  routes.get('/dashboard/chain', async (ctx) => {
    const { blocks, mempool, tipHeight } = await recentChain(engine.db, 20);
    render(
      ctx,
      'Chain and clock',
      html`<div class="card"><h2>Chain</h2><p>Height <strong data-testid="height">${tipHeight}</strong>${config.blockIntervalMs > 0 ? ` · a block every ${config.blockIntervalMs / 1000} s` : ' · blocks on request'}</p>
      ${form(ctx, '/dashboard/blocks', html`<input type="number" name="count" value="1" min="1" max="1000" aria-label="blocks"> `, 'Mine')}
      <h3>Mempool</h3><table><tbody>${mempool.map((tx) => html`<tr><td><code>${tx.txid}</code></td><td>${satsToBtc(tx.amount_sats)} BTC</td><td>${tx.invoice_id ? html`<a href="/dashboard/invoices/${tx.invoice_id}">${tx.invoice_id}</a>` : ''}</td></tr>`)}</tbody></table>${mempool.length === 0 ? html`<p class="muted">Empty.</p>` : ''}
      <h3>Blocks</h3><table><tbody>${blocks.map((b) => html`<tr><td>${b.height}</td><td class="hide-narrow"><code>${b.hash}</code></td><td>${time(b.time)}</td></tr>`)}</tbody></table></div>
      <div class="card"><h2>Clock</h2><p><strong data-testid="clock">${time(engine.clock.now())}</strong> (${engine.clock.mode})</p>
      ${engine.clock.mode === 'virtual' ? form(ctx, '/dashboard/clock', html`<input name="advance" value="15m" aria-label="advance by"> `, 'Advance') : html`<p class="muted">Start with CLOCK=virtual to move time.</p>`}</div>
      <div class="card"><h2>Reset</h2><p class="muted">Wipes invoices, the chain, ledgers, payouts, bills and webhooks; the configuration and the clock stay.</p>${resetForm(ctx)}</div>`,
    );
  });

  routes.post('/dashboard/blocks', action(() => '/dashboard/chain', async (_ctx, body) => {
    const count = body.count ?? '1';
    if (!/^\d{1,4}$/.test(String(count))) throw invalidParam('request', 'count must be a whole number of blocks');
    const blocks = await sandbox.mine(Number(count));
    return `Mined ${blocks.length} block(s)`;
  }));
  routes.post('/dashboard/clock', action(() => '/dashboard/chain', async (_ctx, body) => {
    const ms = parseDuration(String(body.advance ?? ''));
    if (ms === null) throw invalidParam('request', 'Not a duration: use 15m, 1h30m, 2d');
    return `Clock now ${time(await sandbox.advanceClock(ms))}`;
  }));

  routes.get('/dashboard/rates', async (ctx) => {
    const rates = await currentRates(engine);
    const codes = [...rates.keys()].filter((c) => c !== 'BTC').sort();
    render(
      ctx,
      'Rates',
      html`<div class="card"><h2>Rates (units per BTC)</h2><p class="muted">New invoices lock the rate of the moment.</p>
      ${form(ctx, '/dashboard/rates', html`<table><tbody>${codes.map((c) => html`<tr><td>${c}</td><td><input name="${c}" value="${rates.get(c)?.toString()}" aria-label="${c}"></td></tr>`)}</tbody></table>`, 'Save rates')}</div>`,
    );
  });

  routes.post('/dashboard/rates', action(() => '/dashboard/rates', async (_ctx, body) => {
    const { _csrf, ...rates } = body;
    await updateRates(engine, { BTC: rates });
    return 'Rates saved';
  }));

  routes.get('/dashboard/merchant/api-tokens', async (ctx) => {
    const [tokens, merchants] = await Promise.all([listTokens(engine.db), listMerchants(engine.db)]);
    const pending = tokens.filter((t) => t.status === 'pending' && (t.pairing_expires_at ?? 0) > engine.clock.now());
    const merchantSelect = html`<select name="merchantId" aria-label="merchant">${merchants.map((m) => html`<option value="${m.id}">${m.name}</option>`)}</select>`;
    render(
      ctx,
      'API tokens',
      html`<div class="card"><h2>Pending pairing requests</h2>${pending.length === 0 ? html`<p class="muted">None.</p>` : ''}
      <table data-testid="pending"><tbody>${pending.map(
        (t) => html`<tr><td><code data-testid="pairing-code">${t.pairing_code}</code></td><td>${t.facade}</td><td>${t.label ?? ''}</td><td class="hide-narrow"><code>${t.sin}</code></td>
          <td>${form(ctx, `/dashboard/pairing-codes/${t.pairing_code}/approve`, html`${merchantSelect} `, 'Approve')}</td></tr>`,
      )}</tbody></table></div>
      <div class="card"><h2>Add a token</h2><p class="muted">Creates a pairing code for a client to claim with POST /tokens {id, pairingCode}; a pos token without authentication works at once.</p>
      ${form(ctx, '/dashboard/pairing-codes', html`<div class="row"><label>Facade<br><select name="facade"><option>pos</option><option>merchant</option><option>payout</option></select></label>
        <label><input type="checkbox" name="requireAuth" value="true"> Require authentication</label><label>Label<br><input name="label"></label><label>Merchant<br>${merchantSelect}</label></div><p></p>`, 'Add token')}</div>
      <div class="card"><h2>Tokens</h2><table data-testid="tokens"><thead><tr><th>Token</th><th>Facade</th><th>Label</th><th>Status</th><th class="hide-narrow">Code</th><th></th></tr></thead><tbody>${tokens.map(
        (t) => html`<tr><td><code>${t.token}</code></td><td>${t.facade}${t.require_auth ? ' (signed)' : ''}</td><td>${t.label ?? ''}</td><td>${t.status}</td><td class="hide-narrow"><code>${t.pairing_code ?? ''}</code></td>
          <td>${t.status !== 'revoked' ? form(ctx, `/dashboard/tokens/${t.token}/revoke`, '', 'Revoke', true) : ''}</td></tr>`,
      )}</tbody></table></div>`,
    );
  });

  routes.post('/dashboard/pairing-codes', action(() => '/dashboard/merchant/api-tokens', async (_ctx, body) => {
    const token = await createPairingCode(engine, {
      facade: body.facade,
      label: body.label,
      requireAuth: body.requireAuth === 'true' || body.requireAuth === true,
      merchantId: body.merchantId,
    });
    return `Pairing code ${token.pairing_code} for a ${token.facade} token${token.require_auth ? '' : `: ${token.token}`}`;
  }));

  routes.post('/dashboard/pairing-codes/:code/approve', action(backTo('/dashboard/merchant/api-tokens'), async (ctx, body) => {
    const token = await approvePairingCode(engine, ctx.params.code as string, body.merchantId);
    return `Approved ${token.pairing_code}: ${token.facade} token ${token.token}`;
  }));

  routes.post('/dashboard/tokens/:token/revoke', action(() => '/dashboard/merchant/api-tokens', async (ctx) => {
    await revokeToken(engine, ctx.params.token as string);
    return 'Token revoked';
  }));

  routes.get('/dashboard/settings/api-keys', async (ctx) => {
    const [keys, merchants] = await Promise.all([listApiKeys(engine.db), listMerchants(engine.db)]);
    const withKeys = dialects.filter((d) => d.sandboxApiKey);
    const merchantName = new Map(merchants.map((m) => [m.id, m.name]));
    render(
      ctx,
      'API keys',
      html`<div class="card"><h2>Create an API key</h2><p class="muted">Bearer keys of seed 001's API (btpay: <code>Authorization: Bearer &lt;key&gt;</code>) and Greenfield keys (<code>Authorization: token &lt;key&gt;</code>, every store permission).</p>
      ${form(ctx, '/dashboard/api-keys', html`<div class="row"><label>API<br><select name="dialect" data-testid="key-dialect">${withKeys.map((d) => html`<option value="${d.name}">${d.name}</option>`)}</select></label>
        <label>Merchant<br><select name="merchantId">${merchants.map((m) => html`<option value="${m.id}">${m.name}</option>`)}</select></label>
        <label>Label<br><input name="label" data-testid="key-label"></label>
        <label><input type="checkbox" name="readOnly" value="true" data-testid="key-read-only"> Read only (btpay)</label></div><p></p>`, 'Create key')}</div>
      <div class="card"><h2>Keys</h2>${keys.length === 0 ? html`<p class="muted">None yet.</p>` : ''}<table data-testid="api-keys"><thead><tr><th>Key</th><th>API</th><th class="hide-narrow">Merchant</th><th class="hide-narrow">Label</th><th class="hide-narrow">Permissions</th><th>Status</th><th></th></tr></thead><tbody>${keys.map(
        (k) => html`<tr data-key="${k.key}"><td><code>${k.key}</code></td><td>${k.dialect}</td><td class="hide-narrow">${k.merchant_id ? (merchantName.get(k.merchant_id) ?? k.merchant_id) : 'sandbox user'}</td><td class="hide-narrow">${k.label ?? ''}</td>
          <td class="hide-narrow">${k.permissions.join(', ')}</td><td>${k.revoked_at === null ? 'active' : 'revoked'}</td>
          <td>${k.revoked_at === null ? form(ctx, `/dashboard/api-keys/${k.key}/revoke`, '', 'Revoke', true) : ''}</td></tr>`,
      )}</tbody></table></div>`,
    );
  });

  routes.post('/dashboard/api-keys', action(() => '/dashboard/settings/api-keys', async (_ctx, body) => {
    const readOnly = body.readOnly === 'true' && body.dialect === 'btpay';
    const made = await apiKeyDialect(dialects, body.dialect).sandboxApiKey(engine, {
      merchantId: body.merchantId,
      ...(body.label ? { label: body.label } : {}),
      ...(readOnly ? { permissions: ['read'] } : {}),
    });
    return `New ${made.dialect} key: ${made.apiKey}`;
  }));

  routes.post('/dashboard/api-keys/:key/revoke', action(() => '/dashboard/settings/api-keys', async (ctx) => {
    await revokeAnyApiKey(engine, ctx.params.key as string);
    return 'API key revoked';
  }));

  routes.get('/api-access-request', async (ctx) => {
    const code = typeof ctx.query.pairingCode === 'string' ? ctx.query.pairingCode : '';
    const token = (await listTokens(engine.db)).find((t) => t.pairing_code === code);
    const merchants = await listMerchants(engine.db);
    const back = `/api-access-request?pairingCode=${encodeURIComponent(code)}`;
    render(
      ctx,
      'API access request',
      token
        ? html`<div class="card"><h2>API access request</h2><p>A client asks for a <strong>${token.facade}</strong> token${token.label ? html` labelled <strong>${token.label}</strong>` : ''}.</p>
          <p>Pairing code <code>${code}</code> · client <code>${token.sin ?? ''}</code> · ${token.status}</p>
          ${token.status === 'pending' ? form(ctx, `/dashboard/pairing-codes/${code}/approve?back=${encodeURIComponent(back)}`, html`<select name="merchantId" aria-label="merchant">${merchants.map((m) => html`<option value="${m.id}">${m.name}</option>`)}</select> `, 'Approve') : ''}</div>`
        : html`<div class="card"><h2>API access request</h2><p>No pairing request with code <code>${code}</code>.</p></div>`,
    );
  });

  return router;
}
