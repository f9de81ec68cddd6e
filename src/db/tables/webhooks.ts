import type { Generated } from 'kysely';
import type { Json } from '../json.js';

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookDeliveriesTable {
  id: string;
  seq: Generated<number>;
  /** The dialect whose webhook format renders, signs and retries this delivery. */
  dialect: string;
  kind: 'invoice' | 'refund' | 'payout' | 'recipient';
  /** null for a bill's webhooks from before it had an invoice */
  invoice_id: string | null;
  bill_id: string | null;
  payout_id: Generated<string | null>;
  recipient_id: Generated<string | null>;
  refund_id: string | null;
  stream: string;
  url: string;
  event_code: number | null;
  event_name: string;
  extended: boolean;
  /** The secret the dialect signs the body with. */
  signing_key: string;
  /** The subscription it goes to (dialects with subscriptions); null for BitPay's per-invoice URL. */
  subscription_id: string | null;
  /** The event's data as it was when the event happened, for formats that send that (not the state at send time). */
  payload: Json<Record<string, unknown>> | null;
  /** The delivery this one repeats (a dialect's redelivery), or null. */
  original_delivery_id: string | null;
  /** Whether a failed attempt is retried on the dialect's schedule. */
  retries: Generated<boolean>;
  status: DeliveryStatus;
  attempts: Generated<number>;
  next_attempt_at: number;
  lease_until: number | null;
  created_at: number;
  delivered_at: number | null;
}

export interface WebhookAttemptsTable {
  id: Generated<number>;
  delivery_id: string;
  number: number;
  started_at: number;
  request_headers: Json<Record<string, string>>;
  request_body: string;
  response_status: number | null;
  response_body: string | null;
  duration_ms: number;
  error: string | null;
  delivered: boolean;
}
