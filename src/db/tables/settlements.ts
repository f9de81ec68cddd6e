import type { ColumnType } from 'kysely';
import type { Json } from '../json.js';

export interface SettlementWithholding {
  /** decimal string */
  amount: string;
  code: string;
  description: string;
}

export interface SettlementsTable {
  id: string;
  seq: ColumnType<number, never, never>;
  merchant_id: string;
  currency: string;
  status: 'processing' | 'completed';
  opening_date: number;
  closing_date: number;
  opening_entry_seq: number;
  closing_entry_seq: number | null;
  /** numeric, read as decimal strings */
  opening_balance: string;
  ledger_entries_sum: string;
  withholdings: Json<SettlementWithholding[]>;
  withholdings_sum: string;
  total_amount: string;
  /** the bank account it went to, as the merchant had set it */
  payout_info: Json<Record<string, unknown>>;
  resource_token: string;
  date_created: number;
  date_executed: number | null;
  due_at: number | null;
}
