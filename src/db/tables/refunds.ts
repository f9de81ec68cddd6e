import type { Generated } from 'kysely';
import type { RefundStatus } from '../../domain/refund.js';

export interface RefundsTable {
  id: string;
  seq: Generated<number>;
  merchant_id: string;
  invoice_id: string;
  resource_token: string;
  guid: string | null;
  reference: string | null;
  status: RefundStatus;
  /** numeric, as a decimal string */
  amount: string;
  currency: string;
  refund_fee: string;
  transaction_amount_sats: number;
  transaction_refund_fee_sats: number;
  immediate: boolean;
  buyer_pays_refund_fee: boolean;
  cancellable: boolean;
  type: 'full' | 'partial';
  notification_url: string | null;
  support_request: string;
  refund_email: string | null;
  refund_address: string | null;
  txid: string | null;
  request_date: number;
  last_notification: number | null;
}
