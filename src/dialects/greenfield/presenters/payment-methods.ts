import { satsToBtc } from '../../../domain/money.js';
import { unixSeconds } from '../../../domain/duration.js';
import type { ChainTransaction, ChainView, Invoice } from '../../../engine/entities.js';


/** A payment's status: Invalid once double-spent, Settled once it reached the invoice's speed policy, else Processing. */
function paymentStatus(tx: ChainTransaction): 'Invalid' | 'Processing' | 'Settled' {
  if (tx.double_spent_at !== null) return 'Invalid';
  return tx.settled_at !== null ? 'Settled' : 'Processing';
}

/** A payment as Greenfield's Payment; its fee is what the paying transaction paid the network. */
export function presentPayment(tx: ChainTransaction) {
  return {
    id: `${tx.txid}-${tx.output_index}`,
    receivedDate: unixSeconds(tx.received_at),
    value: satsToBtc(tx.amount_sats),
    fee: satsToBtc(tx.fee_sats),
    status: paymentStatus(tx),
    destination: tx.address,
  };
}

/**
 * The invoice's one payment method, on-chain bitcoin, under BTCPay 1.x names (`paymentMethod`,
 * `networkFee`) and 2.x names (`paymentMethodId` BTC-CHAIN, `paymentMethodFee`, `currency`).
 */
export function presentPaymentMethods(invoice: Invoice, chain: ChainView) {
  const totalSats = invoice.subtotal_sats + invoice.miner_fee_sats;
  const paidSats = invoice.amount_paid_sats;
  const due = satsToBtc(Math.max(0, totalSats - paidSats));
  const payments = (chain.transactions.get(invoice.id) ?? []).map(presentPayment);
  return [
    {
      paymentMethod: 'BTC',
      paymentMethodId: 'BTC-CHAIN',
      cryptoCode: 'BTC',
      currency: 'BTC',
      destination: invoice.address,
      paymentLink: `bitcoin:${invoice.address}?amount=${due}`,
      rate: invoice.rate,
      paymentMethodPaid: satsToBtc(paidSats),
      totalPaid: satsToBtc(paidSats),
      due,
      amount: satsToBtc(totalSats),
      networkFee: satsToBtc(invoice.miner_fee_sats),
      paymentMethodFee: satsToBtc(invoice.miner_fee_sats),
      payments,
      activated: true,
      additionalData: { accountDerivation: null, keyPath: `0/${invoice.derivation_index}` },
    },
  ];
}
