import type { ColumnType, Generated } from 'kysely';
import type { Json } from '../json.js';
import type { Facade } from '../../domain/facades.js';
import type {
  Buyer,
  BuyerProvided,
  ExceptionStatus,
  InvoiceDetails,
  InvoiceStatus,
  TransactionSpeed,
} from '../../domain/invoice.js';

export interface InvoicesTable {
  id: string;
  seq: Generated<number>;
  merchant_id: string;
  /** The dialect the invoice was made through (its checkout page's look). */
  dialect: string;
  resource_token: string;
  event_token: string;
  api_token: string;
  facade: Extract<Facade, 'pos' | 'merchant'>;
  guid: string | null;
  order_id: string | null;
  status: InvoiceStatus;
  exception_status: ExceptionStatus | null;
  is_cancelled: Generated<boolean>;
  /** numeric, read as a decimal string: percent of the total that may be missing and still count as paid in full */
  payment_tolerance: Generated<string>;
  /** Left out of a dialect's lists unless asked for. */
  archived: Generated<boolean>;
  /** numeric, read as a decimal string */
  price: string;
  currency: string;
  rate: string;
  /** {BTC: {USD: 65000, …}} as locked at creation */
  exchange_rates: Json<Record<string, Record<string, number>>>;
  subtotal_sats: number;
  miner_fee_sats: number;
  sats_per_byte: number;
  amount_paid_sats: Generated<number>;
  address: string;
  derivation_index: number;
  transaction_speed: TransactionSpeed;
  full_notifications: boolean;
  extended_notifications: boolean;
  notification_url: string | null;
  redirect_url: string | null;
  close_url: string | null;
  auto_redirect: boolean;
  buyer: Json<Buyer>;
  buyer_provided: Json<BuyerProvided>;
  details: Json<InvoiceDetails>;
  invoice_time: number;
  expiration_time: number;
  /** When the scheduler must next look at the invoice; null when nothing is pending. */
  due_at: number | null;
  refund_address_request_pending: Generated<boolean>;
  /** BitPay's refundAddresses: [{"<address>": {type, date, email?}}] */
  refund_addresses: ColumnType<Record<string, { type: string; date: string; email?: string }>[], string | undefined, string>;
  /** BitPay's refundInfo, once a refund has been sent */
  refund_info: Json<{ supportRequest: string; currency: string; amounts: Record<string, number> }> | null;
}
