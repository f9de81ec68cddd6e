import type { BillCustomer, BillLine, NewBill } from '../../../domain/bill.js';
import { Decimal } from '../../../domain/money.js';
import { definedOnly } from './defined.js';
import type { BillView } from '../../../engine/entities.js';

const iso = (ms: number) => new Date(ms).toISOString();

export const BILL_STATUSES = ['draft', 'sent', 'new', 'paid', 'complete'] as const;
export type BitPayBillStatus = (typeof BILL_STATUSES)[number];

/**
 * BitPay's bill status from the engine's: `draft` until sent, `sent` once delivered, `new` while
 * its invoice waits for payment, `paid` once paid (and confirmed), `complete`; a bill whose
 * invoice lapsed unpaid waits to be paid again (`sent`, or `draft` if never sent).
 */
export function billStatus(view: BillView): BitPayBillStatus {
  const waiting = view.bill.delivered_at !== null ? 'sent' : 'draft';
  switch (view.state) {
    case 'open':
    case 'partlyPaid':
      return 'new';
    case 'paid':
    case 'confirmed':
      return 'paid';
    case 'complete':
      return 'complete';
    default:
      return waiting;
  }
}

/** The bill's customer, in BitPay's names. */
function customerFields(c: BillCustomer) {
  return { name: c.name, address1: c.address1, address2: c.address2, city: c.city, state: c.state, zip: c.zip, country: c.country, phone: c.phone };
}

const presentItem = (line: BillLine) => definedOnly({ id: line.id, description: line.description, price: new Decimal(line.unitPrice).toNumber(), quantity: Number(line.quantity) });

/** BitPay's bill (BITPAY-WIRE §3.3); absent fields are left out (PHP's SDK refuses nulls), `cc` and `passProcessingFee` always there. */
export function presentBill(view: BillView, publicUrl: string) {
  const { bill } = view;
  const c = bill.customer;
  return definedOnly({
    id: bill.id,
    status: billStatus(view),
    url: `${publicUrl}bill?id=${bill.id}&resource=bills`,
    number: bill.reference ?? String(bill.number),
    createdDate: iso(bill.created_at),
    dueDate: bill.due_date === null ? undefined : iso(bill.due_date),
    currency: bill.currency,
    email: c.email,
    cc: c.cc ?? [],
    passProcessingFee: bill.pass_processing_fee,
    items: bill.lines.map(presentItem),
    token: bill.resource_token ?? undefined,
    merchant: bill.merchant_id,
    ...customerFields(c),
  });
}

/** What a subscription sends, as BitPay's `billData`: the bill's fields without those of a bill that exists. */
export function presentBillData(template: NewBill) {
  const c = template.customer;
  return definedOnly({
    number: template.reference,
    currency: template.currency,
    email: c.email,
    cc: c.cc ?? [],
    passProcessingFee: template.passProcessingFee === true,
    dueDate: template.dueDate === undefined ? undefined : iso(template.dueDate),
    items: template.lines.map(presentItem),
    ...customerFields(c),
  });
}
