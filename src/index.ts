import { resolveConfig, type Config, type ConfigInput } from './config.js';
import { parseDuration } from './domain/duration.js';
import { seededRandom } from './domain/ids.js';
import { tip } from './engine/chain.js';
import { createMerchant, resolveMerchant } from './engine/merchants.js';
import type { PaymentRequest } from './engine/payments.js';
import { approvePairingCode, createPairingCode, listTokens, type ServerPairingRequest } from './engine/tokens.js';
import {
  presentSandboxBlock,
  presentSandboxDelivery,
  presentSandboxInvoice,
  presentSandboxMerchant,
  presentSandboxToken,
  presentSandboxTransaction,
} from './http/sandbox/presenters.js';
import { presentRefund } from './dialects/bitpay/presenters/refund.js';
import { apiKeyDialect, resolveInvoiceName } from './dialects/registry.js';
import { Decimal } from './domain/money.js';
import type { Logger } from './logger.js';
import { startServer } from './server.js';

export type { Config, ConfigInput } from './config.js';
export type { Logger } from './logger.js';
export type { PaymentRequest } from './engine/payments.js';

export interface EmulatorOptions extends ConfigInput {
  /** Seed for ids, tokens and txids, for reproducible test runs. */
  seed?: string;
  logger?: Logger;
}

type Presented<F extends (...args: never[]) => unknown> = ReturnType<F>;

export interface Emulator {
  /** Base URL for SDK clients, ending in '/'. */
  url: string;
  /** The HTTPS base URL when `httpsPort` is set (certificates from `bitpay-emulator certs`). */
  httpsUrl: string | null;
  config: Config;
  sandbox: {
    createMerchant(name: string): Promise<Presented<typeof presentSandboxMerchant>>;
    createPairingCode(request?: ServerPairingRequest): Promise<Presented<typeof presentSandboxToken>>;
    approvePairingCode(code: string, merchantId?: string): Promise<Presented<typeof presentSandboxToken>>;
    tokens(): Promise<Presented<typeof presentSandboxToken>[]>;
    /** The invoice as the merchant sees it, with its address, transactions and event history. */
    invoice(id: string): Promise<Presented<typeof presentSandboxInvoice>>;
    /** Pays an invoice from the simulated wallet: the amount due, or `amount` BTC, or `percent` of the total. */
    pay(invoiceId: string, request?: PaymentRequest): Promise<Presented<typeof presentSandboxTransaction>>;
    mine(count?: number): Promise<Presented<typeof presentSandboxBlock>[]>;
    expire(invoiceId: string): Promise<void>;
    /** A bank transfer paying a line-item invoice (seed 001, `payment_methods` with `wire`) in full arrived. */
    receiveWire(invoiceId: string): Promise<void>;
    /** A payout recipient accepts its invite and is active. */
    acceptRecipient(recipientId: string): Promise<void>;
    /** A payout fails; what funding took goes back to the ledger. */
    failPayout(payoutId: string, reason?: string): Promise<void>;
    /** Money arrives in a merchant's ledger of `currency` (default merchant when none is named). */
    deposit(currency: string, amount: number | string, merchantId?: string): Promise<void>;
    /** The payout cut-off (2 pm and 9 pm UTC) comes now: new payouts are funded and sent (every merchant's when none is named); answers how many were due. */
    processPayouts(merchantId?: string): Promise<number>;
    /** Settles a merchant's ledgers now (default merchant when none is named); answers the settlement ids. */
    settle(merchantId?: string): Promise<string[]>;
    doubleSpend(txid: string): Promise<void>;
    reset(options?: { keepTokens?: boolean }): Promise<void>;
    /** The buyer gives a refund address (one of the simulated wallet's by default): the refund is pending. */
    refundAddress(refundId: string, address?: string): Promise<Presented<typeof presentRefund>>;
    /** The refund is sent: success, an outgoing transaction, refund_success and invoice_refundComplete. */
    completeRefund(refundId: string): Promise<Presented<typeof presentRefund>>;
    failRefund(refundId: string): Promise<Presented<typeof presentRefund>>;
    /**
     * An API key of a dialect that uses them (`greenfield`): by default every store permission
     * on the default merchant's store. Answers `{apiKey, dialect, merchantId, storeId?, permissions}`.
     */
    apiKey(request: { dialect: string; merchantId?: string; permissions?: string[]; label?: string }): Promise<Record<string, unknown>>;
  };
  webhooks: {
    /** The delivery log, newest first: every attempt with request and response. */
    list(filter?: { invoiceId?: string; limit?: number }): Promise<Presented<typeof presentSandboxDelivery>[]>;
    redeliver(deliveryId: string): Promise<void>;
    /** Sends every delivery that is due now and returns when none is left. */
    flush(): Promise<void>;
  };
  clock: {
    now(): number;
    /** Moves the virtual clock (milliseconds or a duration such as '16m') and applies what falls due. */
    advance(duration: number | string): Promise<number>;
    set(ms: number): Promise<number>;
  };
  close(): Promise<void>;
}

/** In-process defaults for test suites: any free port, in-memory database, virtual clock, quiet. */
const PROGRAMMATIC_DEFAULTS: ConfigInput = {
  port: 0,
  dataDir: 'memory',
  clock: 'virtual',
  blockIntervalMs: '0',
  logLevel: 'warn',
};

function toMs(duration: number | string): number {
  const ms = typeof duration === 'number' ? duration : parseDuration(duration);
  if (ms === null) throw new Error(`not a duration: ${duration}`);
  return ms;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const { seed, logger, ...input } = options;
  const config = resolveConfig({ ...PROGRAMMATIC_DEFAULTS, ...input });
  const server = await startServer(config, {
    ...(logger ? { logger } : {}),
    ...(seed !== undefined ? { random: seededRandom(seed) } : {}),
  });
  const { engine, sandbox } = server;
  const publicUrl = config.publicUrl ?? server.url;
  /** Invoices are named as in any dialect (`INV-0001` for seed 001's). */
  const named = (name: string) => resolveInvoiceName(engine, server.dialects, name);
  return {
    url: server.url,
    httpsUrl: server.httpsUrl,
    config,
    sandbox: {
      createMerchant: async (name) => presentSandboxMerchant(await createMerchant(engine, { name })),
      createPairingCode: async (request = {}) => presentSandboxToken(await createPairingCode(engine, request)),
      approvePairingCode: async (code, merchantId) => presentSandboxToken(await approvePairingCode(engine, code, merchantId)),
      tokens: async () => (await listTokens(engine.db)).map(presentSandboxToken),
      async invoice(id) {
        const { invoice, events, chain, refunds } = await sandbox.invoiceDetails(await named(id));
        return presentSandboxInvoice(invoice, events, chain, refunds, publicUrl, engine.clock.now());
      },
      async pay(invoiceId, request = {}) {
        const { transaction } = await sandbox.pay(await named(invoiceId), request);
        return presentSandboxTransaction(transaction, (await tip(engine.db)).height);
      },
      mine: async (count = 1) => (await sandbox.mine(count)).map(presentSandboxBlock),
      expire: async (invoiceId) => void (await sandbox.expire(await named(invoiceId))),
      receiveWire: async (invoiceId) => void (await sandbox.receiveWire(await named(invoiceId))),
      acceptRecipient: async (recipientId) => void (await sandbox.acceptRecipient(recipientId)),
      failPayout: async (payoutId, reason) => void (await sandbox.failPayout(payoutId, reason)),
      settle: async (merchantId) => (await sandbox.settle((await resolveMerchant(engine.db, merchantId)).id)).map((s) => s.id),
      processPayouts: async (merchantId) => sandbox.processPayouts(merchantId === undefined ? null : (await resolveMerchant(engine.db, merchantId)).id),
      deposit: async (currency, amount, merchantId) => void (await sandbox.deposit((await resolveMerchant(engine.db, merchantId)).id, currency, new Decimal(amount))),
      doubleSpend: async (txid) => void (await sandbox.doubleSpend(txid)),
      reset: (resetOptions) => sandbox.reset(resetOptions),
      refundAddress: async (refundId, address) => presentRefund(await sandbox.refundAddress(refundId, address)),
      completeRefund: async (refundId) => presentRefund(await sandbox.completeRefund(refundId)),
      failRefund: async (refundId) => presentRefund(await sandbox.failRefund(refundId)),
      apiKey: ({ dialect, ...request }) => apiKeyDialect(server.dialects, dialect).sandboxApiKey(engine, request),
    },
    webhooks: {
      async list(filter = {}) {
        const { deliveries, attempts } = await sandbox.webhookLog(filter);
        return deliveries.map((d) => presentSandboxDelivery(d, attempts.get(d.id) ?? []));
      },
      redeliver: async (deliveryId) => void (await sandbox.redeliver(deliveryId)),
      flush: () => server.webhooks.flush(),
    },
    clock: {
      now: () => engine.clock.now(),
      advance: (duration) => sandbox.advanceClock(toMs(duration)),
      set: (ms) => sandbox.setClock(ms),
    },
    close: async () => void (await server.close()),
  };
}
