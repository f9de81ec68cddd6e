import { html, trusted, type SafeHtml } from './html.js';

const STYLE = `
*{box-sizing:border-box}:root{--accent:#1a56db}body{margin:0;font:15px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1c2333;background:#f3f5f9}
a{color:var(--accent)}header{background:#0b1f3a;color:#fff;padding:10px 16px;display:flex;gap:16px;align-items:center;flex-wrap:wrap}
header a{color:#cfe0ff;text-decoration:none}header strong{margin-right:auto}main{max-width:1040px;margin:0 auto;padding:16px}
.card{background:#fff;border:1px solid #dde3ee;border-radius:10px;padding:16px;margin-bottom:16px}
table{width:100%;border-collapse:collapse;font-size:14px}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #eef1f6;vertical-align:top}
th{color:#5a6478;font-weight:600}code,pre{font:12.5px ui-monospace,SFMono-Regular,Menlo,monospace;word-break:break-all}
pre{white-space:pre-wrap;background:#f6f8fb;border:1px solid #e6eaf1;border-radius:6px;padding:8px;max-height:260px;overflow:auto;margin:4px 0}
.status{display:inline-block;padding:2px 10px;border-radius:99px;font-weight:600;font-size:13px;background:#e8edf6}
.status-new{background:#e8f0fe;color:#1a56db}.status-paid{background:#fff4d6;color:#8a5a00}.status-confirmed,.status-complete{background:#e3f7e9;color:#17723a}
.status-expired,.status-invalid,.status-declined{background:#fde8e8;color:#a61b1b}
button,.button{font:inherit;border:1px solid var(--accent);background:var(--accent);color:#fff;border-radius:8px;padding:8px 12px;cursor:pointer;text-decoration:none;display:inline-block}
button.secondary{background:#fff;color:var(--accent)}form.inline{display:inline}
input,select{font:inherit;padding:7px 8px;border:1px solid #c8d0de;border-radius:6px;max-width:100%}
.muted{color:#6b7488}.row{display:flex;gap:12px;flex-wrap:wrap;align-items:end}.grow{flex:1}
.merchant-header{border-bottom:1px solid #eef1f6;padding-bottom:10px}.step{padding:8px 10px;border:1px solid #dde3ee;border-radius:8px;margin:8px 0 12px}button.copy{padding:3px 8px;font-size:13px}
.flash{padding:10px 12px;border-radius:8px;background:#e3f7e9;margin-bottom:12px}.error{background:#fde8e8}
@media (max-width:640px){main{padding:10px}th,td{padding:5px 4px}.hide-narrow{display:none}}
`;

export interface PageOptions {
  title: string;
  /** The dashboard's navigation; the checkout page has none. */
  nav?: boolean;
  body: SafeHtml;
  script?: SafeHtml;
  /** The colour of links and buttons (a checkout flavour's accent); a CSS colour. */
  accent?: string;
}

export function page(options: PageOptions): string {
  const nav = options.nav
    ? html`<header><strong>BitPay Emulator</strong><a href="/dashboard">Invoices</a><a href="/dashboard/webhooks">Webhooks</a><a href="/dashboard/merchant/api-tokens">API tokens</a><a href="/dashboard/settings/api-keys">API keys</a><a href="/dashboard/ledgers">Ledgers</a><a href="/dashboard/payouts">Payouts</a><a href="/dashboard/bills">Bills</a><a href="/dashboard/chain">Chain &amp; clock</a><a href="/dashboard/rates">Rates</a><a href="/docs">API docs</a></header>`
    : '';
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${options.title}</title><style>${trusted(STYLE)}${options.accent && /^#[0-9a-f]{3,8}$/i.test(options.accent) ? trusted(`:root{--accent:${options.accent}}`) : ''}</style></head>
<body>${nav}<main>${options.body}</main>${options.script ?? ''}</body></html>`.toString();
}
