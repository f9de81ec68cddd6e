import Router from '@koa/router';
import QRCode from 'qrcode';
import { findBill } from '../../engine/bills.js';
import { confirmations } from '../../engine/chain.js';
import { COMPLETE_CONFIRMATIONS } from '../../domain/lifecycle.js';
import type { EngineContext } from '../../engine/context.js';
import type { Sandbox } from '../../sandbox/controls.js';
import { invalidParam, missingParam, credentialError, EngineError, USUAL_HTTP_STATUS } from '../../errors.js';
import { Decimal, satsToBtc } from '../../domain/money.js';
import type { AppContext, AppState } from '../context.js';
import type { SandboxKey } from '../sandbox/guard.js';
import { canUseSandbox, csrfProtection, csrfToken } from './access.js';
import { html, trusted } from './html.js';
import { EMULATOR_FLAVOUR, type CheckoutFlavour } from './flavour.js';
import { page } from './layout.js';
import type { Dialect } from '../../dialects/dialect.js';
import type { ChainView, Invoice, Refund } from '../../engine/entities.js';

const STATUS_TEXT: Record<string, string> = {
  new: 'Waiting for payment',
  paid: 'Payment received, waiting for confirmation',
  confirmed: 'Payment confirmed',
  complete: 'Payment complete',
  expired: 'This invoice has expired',
  invalid: 'The payment could not be confirmed',
  declined: 'This invoice was declined',
};

const PAID = ['paid', 'confirmed', 'complete'];

/** The buttons of the simulated wallet and chain, and what each does. */
const ACTIONS: Record<string, { label: string; run: (sandbox: Sandbox, id: string) => Promise<unknown> }> = {
  pay: { label: 'Pay exactly', run: (s, id) => s.pay(id) },
  underpay: { label: 'Underpay (50 %)', run: (s, id) => s.pay(id, { percent: 50 }) },
  overpay: { label: 'Overpay (150 %)', run: (s, id) => s.pay(id, { percent: 150 }) },
  mine: { label: 'Mine a block', run: (s) => s.mine(1) },
  mine6: { label: 'Mine 6 blocks', run: (s) => s.mine(6) },
  expire: { label: 'Expire now', run: (s, id) => s.expire(id) },
  wire: { label: 'Mark wire received', run: (s, id) => s.receiveWire(id) },
};

/**
 * The actions an invoice's state allows: paying and expiring while it is new, mining while a
 * payment still has confirmations to gain, the wire where the invoice takes bank transfers.
 */
function allowedActions(invoice: Invoice, data: CheckoutData, takesWire: boolean): string[] {
  const open = invoice.status === 'new' && !invoice.is_cancelled;
  const confirming = data.confirmations !== null && data.confirmations < COMPLETE_CONFIRMATIONS && ['paid', 'confirmed', 'new', 'expired'].includes(invoice.status);
  const allowed: Record<string, boolean> = { pay: open, underpay: open, overpay: open, mine: confirming, mine6: confirming, expire: open, wire: takesWire && open };
  return Object.keys(ACTIONS).filter((action) => allowed[action]);
}

/** What the page says when the invoice has come to an end, or is on its way there. */
const END_SCREENS: Partial<Record<string, string>> = {
  paid: 'Payment received. It is waiting for its confirmations.',
  confirmed: 'Payment confirmed.',
  complete: 'Payment complete. Thank you!',
  expired: 'This invoice has expired: it takes no more payments.',
  invalid: 'The payment could not be confirmed.',
  declined: 'This invoice was declined.',
};

interface CheckoutView {
  invoice: Invoice;
  flavour: CheckoutFlavour;
  refunds: Refund[];
  data: CheckoutData;
  qr: string;
  sandbox: boolean;
  csrf: string;
  modal: boolean;
  /** Whether the invoice's bill takes bank transfers. */
  takesWire: boolean;
}

/** What the page shows of an invoice, read off the engine's invoice (no dialect's JSON): amounts in BTC. */
function checkoutData(invoice: Invoice, now: number, chain: ChainView) {
  const totalSats = invoice.subtotal_sats + invoice.miner_fee_sats;
  const btcDue = satsToBtc(Math.max(0, totalSats - invoice.amount_paid_sats));
  const payments = (chain.transactions.get(invoice.id) ?? []).filter((tx) => tx.double_spent_at === null);
  return {
    /** the fewest confirmations of the payments seen, null before any */
    confirmations: payments.length === 0 ? null : Math.min(...payments.map((tx) => confirmations(tx, chain.tipHeight))),
    networkCost: satsToBtc(invoice.miner_fee_sats),
    merchantName: invoice.details.merchantName,
    itemDesc: invoice.details.itemDesc,
    price: new Decimal(invoice.price).toString(),
    currency: invoice.currency,
    btcDue,
    btcPaid: satsToBtc(invoice.amount_paid_sats),
    btcTotal: satsToBtc(totalSats),
    bip21: `bitcoin:${invoice.address}?amount=${btcDue}`,
    currentTime: now,
  };
}

type CheckoutData = ReturnType<typeof checkoutData>;

/** Where "Close" goes: BitPay uses closeURL, and redirectURL when there is none. */
function closeTarget(invoice: Invoice): string | null {
  return invoice.close_url ?? invoice.redirect_url;
}

/** autoRedirect sends the shopper back once paid (redirectURL) or once expired (closeURL, else redirectURL). */
function autoRedirectTarget(invoice: Invoice): string | null {
  if (!invoice.auto_redirect) return null;
  if (PAID.includes(invoice.status)) return invoice.redirect_url;
  if (invoice.status === 'expired') return closeTarget(invoice);
  return null;
}

function checkoutMain(view: CheckoutView) {
  const { invoice, data, flavour } = view;
  const paid = PAID.includes(invoice.status);
  const exception = invoice.exception_status
    ? html`<p class="muted" data-testid="exception">${{ paidPartial: 'Only part of the amount was paid.', paidOver: 'More than the amount was paid.', paidLate: 'A payment arrived after the invoice expired.', marked: 'The merchant set this status by hand.' }[invoice.exception_status]}</p>`
    : '';
  const back = paid && invoice.redirect_url ? html`<a class="button" data-testid="return" href="${invoice.redirect_url}">Return to ${data.merchantName ?? 'the merchant'}</a>` : '';
  const close = !paid && closeTarget(invoice) ? html`<a class="button secondary" data-testid="close" href="${closeTarget(invoice)}">Close</a>` : '';
  const actions = allowedActions(invoice, data, view.takesWire);
  const buttons = view.sandbox
    ? html`<div class="card" data-testid="sandbox"><h3>Sandbox</h3><p class="muted">${actions.length > 0 ? "Act as the buyer's wallet and the network." : `Nothing left to do here: the invoice is ${invoice.status}.`}</p><p class="flash error" data-testid="refusal" hidden></p><div class="row">
        ${actions.map((action) => [action, ACTIONS[action] as { label: string }] as const).map(
          ([action, { label }]) =>
            html`<form class="inline" method="post" action="/i/${invoice.id}/sandbox/${action}"><input type="hidden" name="_csrf" value="${view.csrf}"><button type="submit" class="secondary" data-action="${action}">${label}</button></form>`,
        )}</div></div>`
    : '';
  const copy = (value: string, label: string, testid: string) => html`<button type="button" class="secondary copy" data-copy="${value}" data-testid="${testid}">${label}</button>`;
  const cancelled = invoice.is_cancelled ? html`<p class="muted">The merchant cancelled this invoice.</p>` : '';
  return html`<div class="card checkout" data-testid="checkout" data-status="${invoice.status}">
    <div class="merchant-header" data-testid="merchant-header"><strong data-testid="merchant">${data.merchantName ?? ''}</strong><span class="muted"> · <span data-testid="brand">${flavour.brand}</span></span></div>
    <h1 style="margin:12px 0 4px">${data.itemDesc ?? 'Invoice'}</h1>
    <p style="font-size:20px;margin:4px 0"><strong data-testid="price">${data.price} ${data.currency}</strong></p>
    <p><span class="status status-${invoice.status}" data-testid="status">${flavour.statusLabel(invoice.status)}</span> <span data-testid="status-text">${STATUS_TEXT[invoice.status]}</span></p>
    ${exception}${cancelled}
    ${
      invoice.status === 'new' && !invoice.is_cancelled
        ? html`<div class="step" data-testid="currency-step"><span class="muted">Pay with</span> <strong>Bitcoin (BTC)</strong> <span class="muted">· any bitcoin wallet</span></div>
        <div class="row" style="align-items:flex-start">
        <div data-testid="qr" style="width:220px;max-width:100%">${trusted(view.qr)}</div>
        <div class="grow"><p>Send <strong data-testid="btc-due">${data.btcDue} BTC</strong> ${copy(data.btcDue, 'Copy amount', 'copy-amount')}</p>
          <p>to <code data-testid="address">${invoice.address}</code> ${copy(invoice.address, 'Copy address', 'copy-address')}</p>
          ${data.networkCost !== '0' ? html`<p class="muted" data-testid="network-cost">Includes a network cost of ${data.networkCost} BTC</p>` : ''}
          <p><a href="${data.bip21}">Open in wallet</a></p>
          <p class="muted">Expires in <span data-testid="countdown" data-expires="${invoice.expiration_time}" data-now="${data.currentTime}">${Math.max(0, Math.ceil((invoice.expiration_time - data.currentTime) / 1000))} s</span></p></div></div>`
        : html`<div data-testid="end-screen"><p>${END_SCREENS[invoice.status] ?? ''}</p>
          <p>Paid <strong>${data.btcPaid} BTC</strong> of ${data.btcTotal} BTC</p>
          ${data.confirmations !== null && ['paid', 'confirmed', 'complete'].includes(invoice.status) ? html`<p data-testid="confirmations">Confirmations: ${Math.min(data.confirmations, COMPLETE_CONFIRMATIONS)} of ${COMPLETE_CONFIRMATIONS}</p>` : ''}</div>`
    }
    ${view.refunds.length > 0 ? html`<div data-testid="refunds"><p><strong>Refunds</strong></p><ul>${view.refunds.map((r) => html`<li>${Number(r.amount)} ${r.currency}: ${r.status}${r.status === 'created' ? ' (waiting for the buyer’s refund address)' : ''}</li>`)}</ul></div>` : ''}
    <p class="muted">Invoice <code>${invoice.id}</code></p>
    <div class="row">${back}${close}</div>
  </div>${buttons}`;
}

/** Live status without a reload: poll, re-render on change, tell a parent window (the modal), redirect. */
function checkoutScript(view: CheckoutView) {
  const config = JSON.stringify({
    id: view.invoice.id,
    status: view.invoice.status,
    // What the page shows was paid: a poll that finds the same redraws nothing.
    amountPaid: view.invoice.amount_paid_sats,
    csrf: view.csrf,
    modal: view.modal,
    redirect: view.modal ? null : autoRedirectTarget(view.invoice),
  }).replace(/</g, '\\u003c');
  return html`<script>
(function () {
  var cfg = ${trusted(config)};
  var main = document.querySelector('main');
  function tellParent(status) { if (window.parent !== window) window.parent.postMessage({ status: status, invoiceId: cfg.id }, '*'); }
  function wire() {
    main.querySelectorAll('form[action*="/sandbox/"]').forEach(function (form) {
      form.addEventListener('submit', function (event) {
        event.preventDefault();
        fetch(form.action, { method: 'POST', headers: { 'x-csrf-token': cfg.csrf, accept: 'application/json' } }).then(function (r) {
          if (r.ok) return refresh();
          return r.json().then(function (b) { refuse(b.error || ('HTTP ' + r.status)); }, function () { refuse('HTTP ' + r.status); });
        });
      });
    });
    main.querySelectorAll('button[data-copy]').forEach(function (button) {
      button.addEventListener('click', function () {
        var text = button.getAttribute('data-copy');
        var done = function () { button.textContent = 'Copied'; };
        if (navigator.clipboard) navigator.clipboard.writeText(text).then(done, done); else done();
      });
    });
  }
  function refuse(message) {
    var box = main.querySelector('[data-testid="refusal"]');
    if (box) { box.textContent = message; box.hidden = false; }
  }
  function refresh() {
    return fetch('/i/' + cfg.id + '?fragment=1' + (cfg.modal ? '&view=modal' : '')).then(function (r) { return r.text(); }).then(function (markup) {
      main.innerHTML = markup; wire();
      var status = main.querySelector('[data-testid="checkout"]').getAttribute('data-status');
      if (status !== cfg.status) { cfg.status = status; tellParent(status); }
      var link = main.querySelector('[data-redirect]');
      if (link && !cfg.modal) window.location.href = link.getAttribute('data-redirect');
    });
  }
  function poll() {
    fetch('/i/' + cfg.id + '/status').then(function (r) { return r.json(); }).then(function (s) { if (s.status !== cfg.status || s.amountPaid !== cfg.amountPaid) { cfg.amountPaid = s.amountPaid; return refresh(); } }).catch(function () {});
  }
  function tick() {
    var el = main.querySelector('[data-testid="countdown"]'); if (!el) return;
    var left = Math.max(0, Number(el.getAttribute('data-expires')) - Number(el.getAttribute('data-now')) - (Date.now() - loaded));
    el.textContent = Math.floor(left / 60000) + ':' + String(Math.floor(left / 1000) % 60).padStart(2, '0');
  }
  var loaded = Date.now();
  wire(); tellParent(cfg.status); tick();
  if (cfg.redirect) setTimeout(function () { window.location.href = cfg.redirect; }, 1500);
  setInterval(poll, 1000); setInterval(tick, 1000);
})();
</script>`;
}

/** The hosted checkout page at the invoice `url` (/invoice?id=…) and /i/:id, with its sandbox buttons. */
export function checkoutRoutes(engine: EngineContext, sandbox: Sandbox, key: SandboxKey, dialects: readonly Dialect[]): Router<AppState> {
  const router = new Router<AppState>();
  const flavourOf = (invoice: Invoice) => dialects.find((d) => d.name === invoice.dialect)?.checkoutFlavour ?? EMULATOR_FLAVOUR;

  const load = async (ctx: AppContext, id: unknown): Promise<CheckoutView> => {
    if (typeof id !== 'string' || id === '') throw missingParam('invoice', 'Missing required parameter: id');
    const { invoice, refunds, chain } = await sandbox.invoiceDetails(id);
    const data = checkoutData(invoice, engine.clock.now(), chain);
    const qr = await QRCode.toString(data.bip21, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
    const takesWire = (await findBill(engine.db, { invoiceId: invoice.id }))?.payment_methods.includes('wire') === true;
    return { invoice, flavour: flavourOf(invoice), refunds, data, qr, sandbox: canUseSandbox(ctx, key), csrf: csrfToken(ctx), modal: ctx.query.view === 'modal', takesWire };
  };

  const show = async (ctx: AppContext, id: unknown) => {
    let view: CheckoutView;
    try {
      view = await load(ctx, id);
    } catch (error) {
      // A browser gets a page that says so; an API client still gets the JSON error.
      if (!(error instanceof EngineError) || ctx.accepts('json', 'html') !== 'html') throw error;
      ctx.status = USUAL_HTTP_STATUS[error.kind];
      ctx.type = 'html';
      ctx.body = page({
        title: 'Invoice not found',
        body: html`<div class="card" data-testid="not-found" style="max-width:520px;margin:24px auto"><h1>Invoice not found</h1><p>${error.message}.</p><p class="muted">The link may be mistyped, or the emulator was reset since the invoice was made.</p></div>`,
      });
      return;
    }
    ctx.type = 'html';
    if (ctx.query.fragment) {
      const redirect = view.modal ? null : autoRedirectTarget(view.invoice);
      ctx.body = html`${checkoutMain(view)}${redirect ? html`<span hidden data-redirect="${redirect}"></span>` : ''}`.toString();
      return;
    }
    ctx.body = page({ title: `Invoice ${view.invoice.id}`, body: checkoutMain(view), script: checkoutScript(view), accent: view.flavour.accent });
  };

  router.get('/invoice', (ctx) => show(ctx, ctx.query.id));
  router.get('/i/:id', (ctx) => show(ctx, ctx.params.id));

  router.get('/i/:id/status', async (ctx) => {
    const { invoice } = await sandbox.invoiceDetails(ctx.params.id as string);
    ctx.body = {
      id: invoice.id,
      status: invoice.status,
      exceptionStatus: invoice.exception_status ?? false,
      amountPaid: invoice.amount_paid_sats,
      expirationTime: invoice.expiration_time,
      currentTime: engine.clock.now(),
    };
  });

  router.post('/i/:id/sandbox/:action', csrfProtection, async (ctx) => {
    const action = Object.hasOwn(ACTIONS, ctx.params.action as string) ? ACTIONS[ctx.params.action as string] : undefined;
    if (!action) throw invalidParam('request', `Unknown action ${ctx.params.action}`);
    if (!canUseSandbox(ctx, key)) {
      throw credentialError('unauthenticated', 'The sandbox controls need SANDBOX_TOKEN: log in at /dashboard/login');
    }
    await action.run(sandbox, ctx.params.id as string);
    if (ctx.accepts('html', 'json') === 'json') ctx.body = { done: ctx.params.action };
    else ctx.redirect(`/i/${ctx.params.id}`);
  });

  return router;
}
