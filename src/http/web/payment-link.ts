import Router from '@koa/router';
import type { Dialect } from '../../dialects/dialect.js';
import type { EngineContext } from '../../engine/context.js';
import { getPaymentLink, payThroughLink } from '../../engine/payment-links.js';
import { Decimal } from '../../domain/money.js';
import { EngineError, USUAL_HTTP_STATUS } from '../../errors.js';
import { findCurrency } from '../../fixtures.js';
import { bodyOf, type AppContext, type AppState } from '../context.js';
import { EMULATOR_FLAVOUR } from './flavour.js';
import { html } from './html.js';
import { page } from './layout.js';
import type { PaymentLink } from '../../engine/entities.js';

/** The public page of a payment link: the payer sees what it is for, enters an amount when it is open, and is sent to the invoice's checkout. */
export function paymentLinkRoutes(engine: EngineContext, dialects: readonly Dialect[]): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/pay/:merchantId/:slug' });
  const dialectOf = (link: PaymentLink) => dialects.find((d) => d.name === link.dialect);

  const render = (ctx: AppContext, link: PaymentLink | null, problem?: EngineError) => {
    const flavour = (link && dialectOf(link)?.checkoutFlavour) ?? EMULATOR_FLAVOUR;
    ctx.type = 'html';
    if (problem) ctx.status = USUAL_HTTP_STATUS[problem.kind] === 409 ? 410 : USUAL_HTTP_STATUS[problem.kind];
    const form = link?.active
      ? html`<form method="post" data-testid="pay-form">
          ${link.amount === null
            ? html`<label>Amount (${link.currency})<br><input name="amount" inputmode="decimal" required placeholder="25.00" data-testid="amount" value="${typeof bodyOf(ctx).amount === 'string' ? (bodyOf(ctx).amount as string) : ''}"></label>`
            : html`<p style="font-size:20px"><strong data-testid="fixed-amount">${new Decimal(link.amount).toFixed(findCurrency(link.currency)?.decimals ?? 2)} ${link.currency}</strong></p>`}
          <p><button type="submit" data-testid="pay">Pay with bitcoin</button></p></form>`
      : '';
    ctx.body = page({
      title: link ? link.title : 'Payment link',
      accent: flavour.accent,
      body: html`<div class="card" data-testid="payment-link" style="max-width:520px;margin:24px auto">
        <p class="muted">${flavour.brand}</p>
        <h1 style="margin:4px 0">${link?.title ?? 'Payment link not found'}</h1>
        ${link?.description ? html`<p data-testid="description">${link.description}</p>` : ''}
        ${problem ? html`<p class="flash error" data-testid="problem">${problem.message}</p>` : ''}
        ${form}</div>`,
    });
  };

  const linkOf = (ctx: AppContext) => getPaymentLink(engine.db, ctx.params.merchantId as string, ctx.params.slug as string);

  router.get('/', async (ctx) => {
    const link = await linkOf(ctx).catch(() => null);
    if (!link) return render(ctx, null, new EngineError('not-found', 'There is no payment link at this address.', { subject: 'request' }));
    render(ctx, link, link.active ? undefined : new EngineError('conflict', 'This payment link is no longer active.', { subject: 'request' }));
  });

  router.post('/', async (ctx) => {
    const link = await linkOf(ctx).catch(() => null);
    if (!link) return render(ctx, null, new EngineError('not-found', 'There is no payment link at this address.', { subject: 'request' }));
    const amount = bodyOf(ctx).amount;
    try {
      const { invoice } = await payThroughLink(engine, link.merchant_id, link.slug, typeof amount === 'string' ? amount.trim() : undefined, {
        reuseAddresses: dialectOf(link)?.reusesAddresses === true,
      });
      ctx.redirect(`/i/${invoice?.id}`);
    } catch (error) {
      if (!(error instanceof EngineError)) throw error;
      render(ctx, link, error);
    }
  });

  return router;
}
