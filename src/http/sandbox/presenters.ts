import { Decimal } from '../../domain/money.js';
import { satsToBtc } from '../../domain/money.js';
import { confirmations } from '../../engine/chain.js';
import type { invoiceEvents } from '../../engine/invoices.js';
import { presentInvoice } from '../../dialects/bitpay/presenters/invoice.js';
import { presentRefund } from '../../dialects/bitpay/presenters/refund.js';
import type { ApiKey, Block, ChainTransaction, ChainView, Invoice, Merchant, Refund, Token } from '../../engine/entities.js';
import type { Attempt, Delivery } from '../../webhooks/delivery.js';

export function presentSandboxMerchant(merchant: Merchant) {
  return {
    id: merchant.id,
    name: merchant.name,
    isDefault: merchant.is_default,
    transactionSpeed: merchant.transaction_speed,
    feePercent: new Decimal(merchant.fee_percent).toNumber(),
    recipientsAutoActive: merchant.recipients_auto_active,
    settlementIntervalMs: Number(merchant.settlement_interval_ms),
    payoutInfo: merchant.payout_info,
    dateCreated: merchant.created_at,
  };
}

export function presentSandboxToken(token: Token) {
  return {
    token: token.token,
    facade: token.facade,
    label: token.label,
    merchantId: token.merchant_id,
    sin: token.sin,
    requireAuth: token.require_auth,
    status: token.status,
    pairingCode: token.pairing_code,
    pairingExpiration: token.pairing_expires_at,
    pairedAt: token.paired_at,
    dateCreated: token.created_at,
  };
}

type InvoiceEvent = Awaited<ReturnType<typeof invoiceEvents>>[number];

/** An invoice as the merchant facade shows it, plus what only the sandbox may see. */
export function presentSandboxInvoice(
  invoice: Invoice,
  events: InvoiceEvent[],
  chain: ChainView,
  refunds: Refund[],
  publicUrl: string,
  now: number,
) {
  return {
    invoice: presentInvoice(invoice, { facade: 'merchant', publicUrl, now, chain }),
    sandbox: {
      merchantId: invoice.merchant_id,
      dialect: invoice.dialect,
      address: invoice.address,
      derivationIndex: invoice.derivation_index,
      smsCode: invoice.buyer_provided.smsCode ?? null,
      dueAt: invoice.due_at,
      transactions: (chain.transactions.get(invoice.id) ?? []).map((tx) => presentSandboxTransaction(tx, chain.tipHeight)),
      refunds: refunds.map(presentRefund),
      events: events.map((e) => ({
        type: e.type,
        fromStatus: e.from_status,
        toStatus: e.to_status,
        exceptionStatus: e.exception_status,
        detail: e.detail,
        time: e.occurred_at,
      })),
    },
  };
}

export function presentSandboxTransaction(tx: ChainTransaction, tipHeight: number) {
  return {
    txid: tx.txid,
    invoiceId: tx.invoice_id,
    address: tx.address,
    outputIndex: tx.output_index,
    amount: tx.amount_sats,
    amountBtc: satsToBtc(tx.amount_sats),
    fee: tx.fee_sats,
    rbf: tx.rbf,
    receivedTime: tx.received_at,
    blockHeight: tx.block_height,
    confirmations: confirmations(tx, tipHeight),
    doubleSpent: tx.double_spent_at !== null,
  };
}

export function presentSandboxBlock(block: Block) {
  return { height: block.height, hash: block.hash, previousHash: block.previous_hash, time: block.time };
}

/** A webhook delivery with every attempt: what was sent, what came back. */
export function presentSandboxDelivery(delivery: Delivery, attempts: Attempt[]) {
  return {
    id: delivery.id,
    kind: delivery.kind,
    invoiceId: delivery.invoice_id,
    billId: delivery.bill_id,
    payoutId: delivery.payout_id,
    recipientId: delivery.recipient_id,
    refundId: delivery.refund_id,
    url: delivery.url,
    /** `email`: a notification e-mailed where there was no webhook URL (BitPay's way), recorded, not sent. */
    channel: delivery.url.startsWith('mailto:') ? 'email' : 'http',
    event: { code: delivery.event_code, name: delivery.event_name },
    format: delivery.extended ? 'extended' : 'standard',
    status: delivery.status,
    attemptCount: delivery.attempts,
    nextAttemptAt: delivery.status === 'pending' ? delivery.next_attempt_at : null,
    createdAt: delivery.created_at,
    deliveredAt: delivery.delivered_at,
    attempts: attempts.map((a) => ({
      number: a.number,
      time: a.started_at,
      request: { headers: a.request_headers, body: a.request_body },
      response: a.response_status === null && a.response_body === null ? null : { status: a.response_status, body: a.response_body },
      durationMs: a.duration_ms,
      delivered: a.delivered,
      error: a.error,
    })),
  };
}

/** An API key of any dialect, as the sandbox and dashboard list it (the key itself included: this is the sandbox). */
export function presentSandboxApiKey(key: ApiKey) {
  return {
    apiKey: key.key,
    dialect: key.dialect,
    merchantId: key.merchant_id,
    label: key.label,
    permissions: key.permissions,
    createdAt: key.created_at,
    revokedAt: key.revoked_at,
  };
}
