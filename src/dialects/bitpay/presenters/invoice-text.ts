import { presentInvoice, type InvoiceView } from './invoice.js';
import type { ChainView, Invoice } from '../../../engine/entities.js';

/**
 * An invoice's JSON text, made once per state of the invoice and view: everything but
 * currentTime, which is the one field that changes with every request (head + now + tail).
 */
export interface InvoiceText {
  head: string;
  tail: string;
}

/** A currentTime no clock gives, to find where the real one goes. */
const NOW_MARK = -9007199254740991;
const NOW_FIELD = `"currentTime":${NOW_MARK}`;

export function invoiceText(invoice: Invoice, view: Omit<InvoiceView, 'now'>): InvoiceText {
  const json = JSON.stringify(presentInvoice(invoice, { ...view, now: NOW_MARK }));
  const at = json.indexOf(NOW_FIELD);
  return { head: json.slice(0, at + NOW_FIELD.length - String(NOW_MARK).length), tail: json.slice(at + NOW_FIELD.length) };
}

export function textAt(text: InvoiceText, now: number): string {
  return text.head + String(now) + text.tail;
}

/** What an invoice's text depends on beside its stored row: its payments on the chain and their confirmations. */
export function chainStateOf(invoiceId: string, chain: ChainView): string {
  const transactions = chain.transactions.get(invoiceId) ?? [];
  if (transactions.length === 0) return '';
  return `${chain.tipHeight}:${transactions.map((tx) => `${tx.txid}/${tx.output_index}/${tx.block_height}/${tx.double_spent_at}`).join(',')}`;
}
