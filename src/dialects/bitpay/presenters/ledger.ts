import type { LedgerEntryKind } from '../../../domain/ledger.js';
import { Decimal } from '../../../domain/money.js';
import { definedOnly } from './defined.js';
import type { LedgerEntry } from '../../../engine/entities.js';

/** BitPay writes ledger amounts as integers of 1/SCALE of the currency. */
const SCALE = 100_000_000;

/** BitPay's ledger codes and words for each kind of entry (BITPAY-WIRE §3.4). */
export const LEDGER_CODES: Record<LedgerEntryKind, { code: number; type: string; txType: string }> = {
  invoice: { code: 1000, type: 'Invoice', txType: 'sale' },
  'invoice-fee': { code: 1023, type: 'Invoice Fee', txType: 'Invoice Fee' },
  refund: { code: 1020, type: 'Invoice Refund', txType: 'Invoice Refund' },
  'refund-fee': { code: 1039, type: 'Refund Fee', txType: 'Refund Fee' },
  payout: { code: 1002, type: 'Payment', txType: 'Payout' },
  'payout-fee': { code: 1040, type: 'Payout Fee', txType: 'Payout Fee' },
  'payout-return': { code: 1003, type: 'Other', txType: 'Payout Returned' },
  settlement: { code: 1017, type: 'Account Settlement', txType: 'Account Settlement' },
  deposit: { code: 1005, type: 'Deposit', txType: 'Deposit' },
};

export function presentLedgerBalance({ currency, balance }: { currency: string; balance: string }) {
  return { currency, balance: new Decimal(balance).toNumber() };
}

/** A ledger entry as BitPay's `GET /ledgers/{currency}` answers it. */
export function presentLedgerEntry(entry: LedgerEntry) {
  const { code, type, txType } = LEDGER_CODES[entry.kind];
  const { buyer, invoicePrice, invoiceCurrency, orderId, supportRequest, transactionCurrency } = entry.details;
  return definedOnly({
    type,
    amount: new Decimal(entry.amount).mul(SCALE).round().toNumber(),
    code,
    description: orderId ?? entry.invoice_id ?? entry.payout_id ?? entry.settlement_id ?? type,
    timestamp: new Date(entry.occurred_at).toISOString(),
    txType,
    scale: SCALE,
    invoiceId: entry.invoice_id ?? undefined,
    buyerFields: buyer
      ? definedOnly({
          buyerName: buyer.name,
          buyerAddress1: buyer.address1,
          buyerAddress2: buyer.address2,
          buyerCity: buyer.locality,
          buyerState: buyer.region,
          buyerZip: buyer.postalCode,
          buyerCountry: buyer.country,
          buyerPhone: buyer.phone,
          buyerEmail: buyer.email,
        })
      : undefined,
    invoiceAmount: invoicePrice === undefined ? undefined : new Decimal(invoicePrice).toNumber(),
    invoiceCurrency,
    transactionCurrency: transactionCurrency ?? entry.currency,
    id: entry.id,
    supportRequest,
  });
}
