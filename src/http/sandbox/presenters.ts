import type { Invoice, invoiceEvents } from '../../engine/invoices.js';
import type { Merchant } from '../../engine/merchants.js';
import { presentInvoice } from '../bitpay/presenters/invoice.js';
import type { Token } from '../../engine/tokens.js';

export function presentSandboxMerchant(merchant: Merchant) {
  return {
    id: merchant.id,
    name: merchant.name,
    isDefault: merchant.is_default,
    transactionSpeed: merchant.transaction_speed,
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
export function presentSandboxInvoice(invoice: Invoice, events: InvoiceEvent[], publicUrl: string, now: number) {
  return {
    invoice: presentInvoice(invoice, { facade: 'merchant', publicUrl, now }),
    sandbox: {
      merchantId: invoice.merchant_id,
      address: invoice.address,
      derivationIndex: invoice.derivation_index,
      smsCode: invoice.buyer_provided.smsCode ?? null,
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
