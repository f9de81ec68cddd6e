import type { InvoiceStatus } from '../../domain/invoice.js';

/**
 * How the one checkout page looks and speaks for an invoice: in the name, colour and status
 * words of the processor (dialect) the invoice was made through.
 */
export interface CheckoutFlavour {
  /** The processor the page names ("BitPay", "BTCPay Server"). */
  brand: string;
  /** The colour of links and buttons (CSS). */
  accent: string;
  /** The status as that processor's merchants know it. */
  statusLabel(status: InvoiceStatus): string;
}

/** For an invoice whose dialect is not served: the emulator's own words. */
export const EMULATOR_FLAVOUR: CheckoutFlavour = { brand: 'bitpay-emulator', accent: '#1a56db', statusLabel: (status) => status };
