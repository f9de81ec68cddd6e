import Router from '@koa/router';
import type { Sandbox } from '../../sandbox/controls.js';
import { invalidParam } from '../../errors.js';
import { bodyOf, type AppContext, type AppState } from '../../http/context.js';
import { guardedRoutes } from '../../http/guarded-routes.js';
import { sandboxGuard, type SandboxKey } from '../../http/sandbox/guard.js';
import { satsToBtc } from '../../domain/money.js';
import { isBitcoinMethod } from './statuses.js';

/** A field of a cheat-mode body, by any letter case (ASP.NET binds them so): `amount` or `Amount`. */
function field(ctx: AppContext, name: string): unknown {
  const body = bodyOf(ctx);
  const key = Object.keys(body).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : body[key];
}

function wholeNumber(value: unknown, name: string, min: number, max: number): number {
  const number = typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
    throw invalidParam('request', `${name} must be a whole number from ${min} to ${max}`);
  }
  return number;
}

/**
 * BTCPay Server's regtest "cheat mode" endpoints, which its checkout page and test scripts
 * call: fake a payment, mine blocks, expire the invoice. They are sandbox controls, guarded
 * as the sandbox API is (SANDBOX_TOKEN when set).
 */
export function cheatModeRoutes(sandbox: Sandbox, key: SandboxKey): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/i/:invoiceId' });
  const routes = guardedRoutes(router, sandboxGuard(key));

  routes.post('/test-payment', async (ctx) => {
    const method = field(ctx, 'paymentMethodId') ?? field(ctx, 'cryptoCode') ?? 'BTC';
    if (typeof method !== 'string' || !isBitcoinMethod(method)) throw invalidParam('request', 'The emulator fakes on-chain bitcoin payments only (BTC, or BTC-CHAIN)');
    const amount = field(ctx, 'amount');
    const { transaction, invoice } = await sandbox.pay(ctx.params.invoiceId as string, amount === undefined || amount === null ? {} : { amount: String(amount) });
    const remaining = Math.max(0, invoice.subtotal_sats + invoice.miner_fee_sats - invoice.amount_paid_sats);
    ctx.body = { txid: transaction.txid, amountRemaining: satsToBtc(remaining), successMessage: `Created transaction ${transaction.txid}` };
  });

  routes.post('/mine-blocks', async (ctx) => {
    const count = wholeNumber(field(ctx, 'blockCount') ?? 1, 'blockCount', 1, 1000);
    await sandbox.mine(count);
    ctx.body = { successMessage: `Mined ${count} block${count === 1 ? '' : 's'}` };
  });

  routes.post('/expire', async (ctx) => {
    const seconds = wholeNumber(field(ctx, 'seconds') ?? 0, 'seconds', 0, 86_400);
    await sandbox.expire(ctx.params.invoiceId as string, seconds * 1000);
    ctx.body = { successMessage: `Invoice set to expire in ${seconds} seconds.` };
  });

  return router;
}
