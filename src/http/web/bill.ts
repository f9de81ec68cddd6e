import Router from '@koa/router';
import type { Dialect } from '../../dialects/dialect.js';
import { findBill, getBill, issueBill } from '../../engine/bills.js';
import { billTotals } from '../../domain/bill.js';
import type { EngineContext } from '../../engine/context.js';
import { EngineError, USUAL_HTTP_STATUS } from '../../errors.js';
import { findCurrency } from '../../fixtures.js';
import type { AppContext, AppState } from '../context.js';
import { EMULATOR_FLAVOUR } from './flavour.js';
import { html } from './html.js';
import { page } from './layout.js';
import type { BillView } from '../../engine/entities.js';

/**
 * The page a bill's `url` opens (BitPay's `/bill?id=…`): what it is for and its total; paying
 * makes its invoice (again, when the last one lapsed unpaid) and goes to that invoice's checkout.
 */
export function billPageRoutes(engine: EngineContext, dialects: readonly Dialect[]): Router<AppState> {
  const router = new Router<AppState>();

  const render = (ctx: AppContext, view: BillView | null, problem?: EngineError) => {
    const flavour = (view && dialects.find((d) => d.name === view.bill.dialect)?.checkoutFlavour) ?? EMULATOR_FLAVOUR;
    ctx.type = 'html';
    if (problem) ctx.status = USUAL_HTTP_STATUS[problem.kind];
    const bill = view?.bill;
    const decimals = findCurrency(bill?.currency ?? 'USD')?.decimals ?? 2;
    const totals = bill ? billTotals(bill.lines, bill.tax_rate, bill.discount, decimals) : null;
    const payable = view && ['draft', 'expired', 'invalid', 'open', 'partlyPaid'].includes(view.state) && bill?.status !== 'cancelled';
    ctx.body = page({
      title: bill ? `Bill ${bill.reference ?? bill.number}` : 'Bill',
      accent: flavour.accent,
      body: html`<div class="card" data-testid="bill" data-state="${view?.state ?? ''}" style="max-width:640px;margin:24px auto">
        <p class="muted">${flavour.brand}</p>
        <h1 style="margin:4px 0">${bill ? `Bill ${bill.reference ?? bill.number}` : 'Bill not found'}</h1>
        ${problem ? html`<p class="flash error" data-testid="problem">${problem.message}</p>` : ''}
        ${bill && totals
          ? html`<table data-testid="items"><thead><tr><th>Item</th><th>Qty</th><th>Price</th><th>Amount</th></tr></thead><tbody>${bill.lines.map(
              (line, i) => html`<tr><td>${line.description}</td><td>${line.quantity}</td><td>${line.unitPrice}</td><td>${totals.lines[i]?.amount.toFixed(decimals)}</td></tr>`,
            )}</tbody></table>
            <p style="font-size:20px"><strong data-testid="total">${totals.total.toFixed(decimals)} ${bill.currency}</strong></p>
            ${bill.due_date !== null ? html`<p class="muted">Due ${new Date(bill.due_date).toISOString().slice(0, 10)}</p>` : ''}
            ${payable
              ? html`<form method="post" action="/bill?id=${bill.id}"><button type="submit" data-testid="pay">Pay with bitcoin</button></form>`
              : html`<p data-testid="paid">This bill is ${view?.state === 'cancelled' ? 'cancelled' : 'paid'}.${bill.invoice_id ? html` <a href="/i/${bill.invoice_id}">See its invoice</a>` : ''}</p>`}`
          : ''}
      </div>`,
    });
  };

  const viewOf = async (ctx: AppContext): Promise<BillView | null> => {
    const id = typeof ctx.query.id === 'string' ? ctx.query.id : '';
    const bill = id ? await findBill(engine.db, { id }) : undefined;
    return bill ? getBill(engine.db, bill.merchant_id, { id }, id) : null;
  };
  const missing = new EngineError('not-found', 'There is no bill at this address.', { subject: 'bill' });

  router.get('/bill', async (ctx) => {
    const view = await viewOf(ctx);
    render(ctx, view, view ? undefined : missing);
  });

  router.post('/bill', async (ctx) => {
    const view = await viewOf(ctx);
    if (!view) return render(ctx, null, missing);
    try {
      const reuseAddresses = dialects.find((d) => d.name === view.bill.dialect)?.reusesAddresses === true;
      const issued = await issueBill(engine, view.bill.merchant_id, view.bill.id, `bill:${view.bill.id}`, { reuseAddresses, reissueLapsed: true });
      ctx.redirect(`/i/${issued.invoice?.id}`);
    } catch (error) {
      if (!(error instanceof EngineError)) throw error;
      render(ctx, view, error);
    }
  });

  return router;
}
