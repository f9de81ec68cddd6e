import { billTotals } from '../../../domain/bill.js';
import { unixSeconds } from '../../../domain/duration.js';
import { Decimal, SATS_PER_BTC } from '../../../domain/money.js';
import { confirmations } from '../../../engine/chain.js';
import { findCurrency } from '../../../fixtures.js';
import { money, plain } from '../money.js';
import { STATUS } from '../statuses.js';
import type { BillView, ChainView } from '../../../engine/entities.js';

export const invoiceNumber = (number: number): string => `INV-${String(number).padStart(4, '0')}`;

const btc = (sats: number): string => new Decimal(sats).div(SATS_PER_BTC).toFixed(8);

/**
 * What has been paid, in the invoice's currency: all of it once a wire is received; else the
 * share of the bitcoin amount received, rounded down to the minor unit.
 */
function amountsOf(view: BillView) {
  const { bill, invoice } = view;
  const decimals = findCurrency(bill.currency)?.decimals ?? 2;
  const totals = billTotals(bill.lines, bill.tax_rate, bill.discount, decimals);
  let paid = new Decimal(0);
  if (bill.wire_received_at !== null) paid = totals.total;
  else if (invoice && invoice.amount_paid_sats > 0) {
    const due = invoice.subtotal_sats + invoice.miner_fee_sats;
    paid = totals.total.mul(invoice.amount_paid_sats).div(due).toDecimalPlaces(decimals, Decimal.ROUND_DOWN);
  }
  return { totals, paid, due: Decimal.max(0, totals.total.minus(paid)) };
}

/** The light shape `GET …/status` answers. */
export function presentStatus(view: BillView) {
  const { bill } = view;
  const { totals, paid, due } = amountsOf(view);
  return {
    invoice_number: invoiceNumber(bill.number),
    status: STATUS[view.state],
    total: money(totals.total, bill.currency),
    amount_paid: money(paid, bill.currency),
    amount_due: money(due, bill.currency),
    currency: bill.currency,
  };
}

/** A payment as the `payments` array of `include_payments=true` gives it. */
function presentPayments(view: BillView, chain: ChainView) {
  const { bill, invoice } = view;
  const onchain = (invoice ? (chain.transactions.get(invoice.id) ?? []) : []).map((tx) => {
    const confs = tx.double_spent_at === null ? confirmations(tx, chain.tipHeight) : 0;
    return {
      method: 'onchain_btc',
      txid: tx.txid,
      address: tx.address,
      amount_btc: btc(tx.amount_sats),
      confirmations: confs,
      status: tx.double_spent_at !== null ? 'double_spent' : tx.settled_at !== null ? 'confirmed' : 'pending',
      received_at: unixSeconds(tx.received_at),
    };
  });
  const wire = bill.wire_received_at === null ? [] : [{ method: 'wire', amount: money(amountsOf(view).totals.total, bill.currency), status: 'confirmed', received_at: unixSeconds(bill.wire_received_at) }];
  return [...onchain, ...wire];
}

/** The full invoice object of seed 001; `chain` adds its payments (`include_payments=true`). */
export function presentInvoice(view: BillView, publicUrl: string, chain?: ChainView) {
  const { bill, invoice } = view;
  const { totals, paid, due } = amountsOf(view);
  const onchain = bill.payment_methods.includes('onchain_btc');
  return {
    id: bill.seq,
    ref: bill.id,
    invoice_number: invoiceNumber(bill.number),
    status: STATUS[view.state],
    customer_email: bill.customer.email ?? '',
    customer_name: bill.customer.name ?? '',
    customer_company: bill.customer.company ?? '',
    currency: bill.currency,
    subtotal: money(totals.subtotal, bill.currency),
    tax_rate: plain(bill.tax_rate),
    tax_amount: money(totals.taxAmount, bill.currency),
    discount_amount: money(totals.discount, bill.currency),
    total: money(totals.total, bill.currency),
    amount_paid: money(paid, bill.currency),
    amount_due: money(due, bill.currency),
    btc_rate: invoice ? money(invoice.rate, bill.currency) : null,
    btc_amount: invoice ? btc(invoice.subtotal_sats + invoice.miner_fee_sats) : null,
    btc_address: invoice && onchain ? invoice.address : null,
    payment_methods: bill.payment_methods,
    notes: bill.notes,
    metadata: bill.metadata,
    created_at: unixSeconds(bill.created_at),
    finalized_at: bill.issued_at === null ? null : unixSeconds(bill.issued_at),
    quote_expires_at: invoice ? unixSeconds(invoice.expiration_time) : null,
    cancelled_at: bill.cancelled_at === null ? null : unixSeconds(bill.cancelled_at),
    payment_url: invoice ? `${publicUrl}i/${invoice.id}` : null,
    invoice_id: invoice?.id ?? null,
    lines: bill.lines.map((line, i) => ({
      description: line.description,
      quantity: plain(line.quantity),
      unit_price: money(line.unitPrice, bill.currency),
      amount: money((totals.lines[i] as { amount: Decimal }).amount, bill.currency),
    })),
    ...(chain ? { payments: presentPayments(view, chain) } : {}),
  };
}

/** The flat `data` of a webhook, as in the seed's example, with the ref. */
export function presentWebhookData(view: BillView) {
  const { invoice } = view;
  const { invoice_number, status, total, amount_paid, currency } = presentStatus(view);
  return {
    ref: view.bill.id,
    invoice_number,
    status,
    total,
    amount_paid,
    currency,
    btc_amount: invoice ? btc(invoice.subtotal_sats + invoice.miner_fee_sats) : null,
  };
}
