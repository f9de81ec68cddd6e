import Router from '@koa/router';
import type { Sandbox } from '../../sandbox/controls.js';
import type { EngineContext } from '../../engine/context.js';
import { invalidParam } from '../../errors.js';
import { attemptsOf, listDeliveries } from '../../webhooks/outbox.js';
import type { AppContext, AppState } from '../context.js';
import { guardedRoutes } from '../guarded-routes.js';
import type { SandboxKey } from '../sandbox/guard.js';
import { action, csrfField, dashboardAccess, form, pageOf, pager, render, statusBadge, time } from './dashboard-kit.js';
import { html } from './html.js';
import type { Attempt, Delivery } from '../../webhooks/delivery.js';

const STATUSES = ['pending', 'delivered', 'failed'] as const;

/** A body as people read it: indented when it is JSON, as it came otherwise. */
function readable(body: string | null): string {
  if (body === null || body === '') return '';
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

/** What a delivery is about, linked where the dashboard shows it. */
function subject(delivery: Delivery) {
  if (delivery.invoice_id) return html`<a href="/dashboard/invoices/${delivery.invoice_id}"><code>${delivery.invoice_id}</code></a>`;
  return html`<code>${delivery.payout_id ?? delivery.recipient_id ?? delivery.bill_id ?? ''}</code>`;
}

function attemptsOfDelivery(attempts: Attempt[]) {
  return attempts.map(
    (a) => html`<details data-testid="attempt"><summary>Attempt ${a.number} · ${time(a.started_at)} · ${a.response_status === null ? (a.error ?? 'no answer') : `HTTP ${a.response_status}`}${a.delivered ? ' · delivered' : ''} · ${a.duration_ms} ms</summary>
      <p class="muted">Request headers</p><pre>${readable(JSON.stringify(a.request_headers))}</pre>
      <p class="muted">Request body</p><pre data-testid="request-body">${readable(a.request_body)}</pre>
      ${a.response_status !== null ? html`<p class="muted">Response</p><pre>${readable(a.response_body)}</pre>` : ''}</details>`,
  );
}

/**
 * The dashboard's webhook page: every dialect's deliveries across all invoices, filtered by
 * status, URL and event, each with its attempts (indented, collapsible) and a redeliver button;
 * and the reset, which asks first.
 */
export function dashboardWebhookRoutes(engine: EngineContext, sandbox: Sandbox, key: SandboxKey): Router<AppState> {
  const router = new Router<AppState>();
  const routes = guardedRoutes(router, dashboardAccess(key));

  routes.get('/dashboard/webhooks', async (ctx) => {
    const text = (name: string) => (typeof ctx.query[name] === 'string' ? (ctx.query[name] as string).trim() : '');
    const status = STATUSES.find((s) => s === text('status'));
    const [url, event] = [text('url'), text('event')];
    const { page, limit, offset } = pageOf(ctx);
    const deliveries = await listDeliveries(engine.db, { ...(status ? { status } : {}), ...(url ? { url } : {}), ...(event ? { event } : {}), limit, offset });
    const attempts = await attemptsOf(engine.db, deliveries.map((d) => d.id));
    const here = `/dashboard/webhooks?${new URLSearchParams({ ...(status ? { status } : {}), ...(url ? { url } : {}), ...(event ? { event } : {}) })}`;
    render(
      ctx,
      'Webhooks',
      html`<div class="card"><h2>Webhooks</h2>
      <form method="get" action="/dashboard/webhooks" class="row">
        <label>Status<br><select name="status" data-testid="filter-status"><option value="">any</option>${STATUSES.map((s) => html`<option${s === status ? html` selected` : ''}>${s}</option>`)}</select></label>
        <label>URL contains<br><input name="url" value="${url}" data-testid="filter-url"></label>
        <label>Event<br><input name="event" value="${event}" placeholder="invoice_paidInFull" data-testid="filter-event"></label>
        <button type="submit" class="secondary">Filter</button></form>
      ${deliveries.length === 0 ? html`<p class="muted">No deliveries${status || url || event ? ' match' : ' yet'}.</p>` : ''}
      ${deliveries.map(
        (d) => html`<details class="card" data-testid="delivery" data-delivery="${d.id}"><summary>${time(d.created_at)} · <strong>${d.event_name}</strong>${d.event_code ? ` (${d.event_code})` : ''} · ${d.dialect} · ${subject(d)} → <code>${d.url}</code> ${statusBadge(d.status)} · ${d.attempts} attempt${d.attempts === 1 ? '' : 's'}</summary>
          ${d.status === 'pending' ? html`<p class="muted">Next attempt ${time(d.next_attempt_at)}</p>` : form(ctx, `/dashboard/webhooks/${d.id}/redeliver?back=${encodeURIComponent(here)}`, '', 'Redeliver', true)}
          ${attemptsOfDelivery(attempts.get(d.id) ?? [])}</details>`,
      )}
      ${pager(here, page, deliveries.length)}</div>`,
    );
  });

  routes.post('/dashboard/reset', action(() => '/dashboard', async (_ctx, body) => {
    if (body.confirm !== 'wipe') throw invalidParam('request', 'Tick "wipe everything" to reset: nothing was changed');
    const keepTokens = body.keepTokens === 'true';
    await sandbox.reset({ keepTokens });
    return keepTokens ? 'Reset: invoices, chain, ledgers and webhooks wiped; merchants, tokens and keys kept' : 'Reset: everything wiped';
  }));

  return router;
}

/** The reset form: a box to tick first, and the browser asks again. */
export function resetForm(ctx: AppContext) {
  return html`<form method="post" action="/dashboard/reset" data-testid="reset" onsubmit="return confirm('Wipe every invoice, payment, ledger and webhook of this emulator?')">
    ${csrfField(ctx)}
    <label><input type="checkbox" name="confirm" value="wipe" required data-testid="reset-confirm"> wipe everything</label>
    <label><input type="checkbox" name="keepTokens" value="true"> keep merchants, tokens and API keys</label>
    <button type="submit">Reset the emulator</button></form>`;
}
