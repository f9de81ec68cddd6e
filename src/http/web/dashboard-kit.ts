import type { Next } from 'koa';
import { EngineError } from '../../errors.js';
import { bodyOf, type AppContext } from '../context.js';
import type { SandboxKey } from '../sandbox/guard.js';
import { canUseSandbox, csrfToken } from './access.js';
import { html, type SafeHtml } from './html.js';
import { page } from './layout.js';

/** What every dashboard page is made with: times, badges, forms with CSRF, post/redirect/get actions, the access guard. */

export const time = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z'));
export const statusBadge = (status: string) => html`<span class="status status-${status}">${status}</span>`;

/** A POST form with its CSRF field. */
export function form(ctx: AppContext, action: string, fields: SafeHtml | string, button: string, secondary = false) {
  return html`<form class="inline" method="post" action="${action}">${csrfField(ctx)}${fields}<button type="submit"${secondary ? html` class="secondary"` : ''}>${button}</button></form>`;
}

/** The hidden field a dashboard form carries its CSRF token in. */
export function csrfField(ctx: AppContext) {
  return html`<input type="hidden" name="_csrf" value="${csrfToken(ctx)}">`;
}

function flash(ctx: AppContext) {
  const done = typeof ctx.query.done === 'string' ? ctx.query.done : null;
  const error = typeof ctx.query.error === 'string' ? ctx.query.error : null;
  return html`${done ? html`<div class="flash" data-testid="flash">${done}</div>` : ''}${error ? html`<div class="flash error" data-testid="flash-error">${error}</div>` : ''}`;
}

export function render(ctx: AppContext, title: string, body: SafeHtml) {
  ctx.type = 'html';
  ctx.body = page({ title: `${title} · BitPay Emulator`, nav: true, body: html`${flash(ctx)}${body}` });
}

/** Runs a form action and comes back to `back` with what happened (post/redirect/get). */
export function action(back: (ctx: AppContext) => string, run: (ctx: AppContext, body: Record<string, unknown>) => Promise<string>) {
  return async (ctx: AppContext) => {
    const target = back(ctx);
    const join = target.includes('?') ? '&' : '?';
    try {
      const message = await run(ctx, bodyOf(ctx));
      ctx.redirect(`${target}${join}done=${encodeURIComponent(message)}`);
    } catch (error) {
      if (!(error instanceof EngineError)) throw error;
      ctx.redirect(`${target}${join}error=${encodeURIComponent(error.message)}`);
    }
  };
}


/** Lets through whoever may use the sandbox; sends the others to the login page. */
export function dashboardAccess(key: SandboxKey) {
  return async (ctx: AppContext, next: Next) => {
    if (canUseSandbox(ctx, key)) return next();
    ctx.redirect(`/dashboard/login?next=${encodeURIComponent(ctx.originalUrl)}`);
  };
}

export const PAGE = 50;

/** The page number of `?page=` (from 1), and the rows of it. */
export function pageOf(ctx: AppContext) {
  const page = /^\d{1,6}$/.test(String(ctx.query.page ?? '')) ? Math.max(1, Number(ctx.query.page)) : 1;
  return { page, limit: PAGE, offset: (page - 1) * PAGE };
}

export function pager(path: string, page: number, shown: number) {
  return html`<p class="row">${page > 1 ? html`<a href="${path}${path.includes('?') ? '&' : '?'}page=${page - 1}">← Newer</a>` : ''}${shown === PAGE ? html`<a href="${path}${path.includes('?') ? '&' : '?'}page=${page + 1}">Older →</a>` : ''}</p>`;
}

