import type { ColumnType, Generated } from 'kysely';
import type { Json } from '../json.js';
import type { PayoutStatus, RecipientStatus } from '../../domain/payouts.js';

export interface PayoutRecipientsTable {
  id: string;
  seq: Generated<number>;
  merchant_id: string;
  email: string;
  label: string | null;
  notification_url: string | null;
  status: RecipientStatus;
  shopper_id: string | null;
  resource_token: string;
  guid: string | null;
  /** The credential that made it: its webhooks are signed with it. */
  api_token: string;
  created_at: number;
}

export interface PayoutsTable {
  id: string;
  seq: Generated<number>;
  merchant_id: string;
  recipient_id: string;
  status: PayoutStatus;
  /** numeric, read as decimal strings */
  amount: ColumnType<string, string, string>;
  currency: string;
  ledger_currency: string;
  /** what funding took from the ledger, and its fee; null until funded */
  ledger_amount: string | null;
  ledger_fee: string | null;
  exchange_rates: Json<Record<string, Record<string, number>>>;
  reference: string | null;
  label: string | null;
  notification_url: string | null;
  notification_email: string | null;
  ignore_emails: Generated<boolean>;
  effective_date: number;
  request_date: number;
  date_executed: number | null;
  group_id: string | null;
  resource_token: string;
  api_token: string;
  /** why it waits, or why it failed */
  message: string | null;
  due_at: number | null;
}
