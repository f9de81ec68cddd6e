import { Decimal } from '../../../domain/money.js';
import { definedOnly } from './defined.js';
import { LEDGER_CODES } from './ledger.js';
import type { LedgerEntry, Settlement } from '../../../engine/entities.js';

const iso = (ms: number) => new Date(ms).toISOString();
const amount = (value: string) => new Decimal(value).toNumber();

/**
 * BitPay's settlement (BITPAY-WIRE §3.4). `dateExecuted` is when the settlement was executed: its
 * money left the ledger, when it was made (the SDKs' models require it, PHP's refuses a null);
 * `dateCompleted` is left out until the bank has it.
 */
export function presentSettlement(settlement: Settlement) {
  return definedOnly({
    id: settlement.id,
    accountId: settlement.merchant_id,
    currency: settlement.currency,
    payoutInfo: settlement.payout_info,
    status: settlement.status,
    dateCreated: iso(settlement.date_created),
    dateExecuted: iso(settlement.date_created),
    dateCompleted: settlement.date_executed === null ? undefined : iso(settlement.date_executed),
    openingDate: iso(settlement.opening_date),
    closingDate: iso(settlement.closing_date),
    openingBalance: amount(settlement.opening_balance),
    ledgerEntriesSum: amount(settlement.ledger_entries_sum),
    withholdings: settlement.withholdings.map((w) => ({ amount: amount(w.amount), code: w.code, description: w.description })),
    withholdingsSum: amount(settlement.withholdings_sum),
    totalAmount: amount(settlement.total_amount),
    token: settlement.resource_token,
  });
}

type InvoiceSummary = { order_id: string | null; invoice_time: number; price: string; currency: string };

/** The reconciliation report: the settlement and the ledger entries it covers, with their invoices. */
export function presentReconciliationReport(settlement: Settlement, entries: LedgerEntry[], invoices: Map<string, InvoiceSummary>) {
  return {
    ...presentSettlement(settlement),
    ledgerEntries: entries.map((entry) => {
      const invoice = entry.invoice_id ? invoices.get(entry.invoice_id) : undefined;
      return definedOnly({
        code: LEDGER_CODES[entry.kind].code,
        invoiceId: entry.invoice_id ?? undefined,
        amount: amount(entry.amount),
        timestamp: iso(entry.occurred_at),
        description: entry.details.orderId ?? LEDGER_CODES[entry.kind].type,
        invoiceData: invoice
          ? definedOnly({
              orderId: invoice.order_id ?? undefined,
              date: iso(invoice.invoice_time),
              price: amount(invoice.price),
              currency: invoice.currency,
              transactionCurrency: 'BTC',
              payoutPercentage: { [settlement.currency]: 100 },
            })
          : undefined,
      });
    }),
  };
}
