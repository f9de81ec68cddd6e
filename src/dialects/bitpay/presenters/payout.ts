import { Decimal, satsToBtc } from '../../../domain/money.js';
import { definedOnly } from './defined.js';
import type { Payout, PayoutRecipient } from '../../../engine/entities.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** BitPay's payout recipient (BITPAY-WIRE §3.5); absent fields are left out (PHP's SDK refuses nulls), `shopperId` is null until active. */
export function presentRecipient(recipient: PayoutRecipient) {
  return definedOnly({
    email: recipient.email,
    label: recipient.label ?? undefined,
    notificationURL: recipient.notification_url ?? undefined,
    status: recipient.status,
    id: recipient.id,
    shopperId: recipient.shopper_id,
    token: recipient.resource_token,
    guid: recipient.guid ?? undefined,
  });
}

export interface PayoutTransaction {
  txid: string;
  amountSats: number;
  date: number;
  confirmations: number;
}

/** BitPay's payout (BITPAY-WIRE §3.6): amounts as numbers, dates ISO 8601, its transactions in BTC. */
export function presentPayout(payout: Payout, recipient: PayoutRecipient | undefined, transactions: PayoutTransaction[] = []) {
  return definedOnly({
    id: payout.id,
    recipientId: payout.recipient_id,
    shopperId: recipient?.shopper_id ?? undefined,
    accountId: payout.merchant_id,
    amount: new Decimal(payout.amount).toNumber(),
    currency: payout.currency,
    ledgerCurrency: payout.ledger_currency,
    exchangeRates: payout.exchange_rates,
    email: recipient?.email,
    reference: payout.reference ?? undefined,
    label: payout.label ?? undefined,
    notificationURL: payout.notification_url ?? undefined,
    notificationEmail: payout.notification_email ?? undefined,
    effectiveDate: iso(payout.effective_date),
    requestDate: iso(payout.request_date),
    dateExecuted: payout.date_executed === null ? undefined : iso(payout.date_executed),
    status: payout.status,
    groupId: payout.group_id,
    transactions: transactions.map((tx) => ({ txid: tx.txid, amount: new Decimal(satsToBtc(tx.amountSats)).toNumber(), date: iso(tx.date), confirmations: tx.confirmations })),
    token: payout.resource_token,
    message: payout.message ?? undefined,
    ignoreEmails: payout.ignore_emails,
  });
}
