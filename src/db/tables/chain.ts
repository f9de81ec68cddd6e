import type { Generated } from 'kysely';

export interface BlocksTable {
  height: number;
  hash: string;
  previous_hash: string | null;
  time: number;
}

export interface ChainTransactionsTable {
  txid: string;
  seq: Generated<number>;
  invoice_id: string | null;
  /** Set on the outgoing transaction that pays a refund. */
  refund_id: string | null;
  /** Set on the outgoing transaction that pays a payout. */
  payout_id: Generated<string | null>;
  address: string;
  output_index: number;
  amount_sats: number;
  fee_sats: number;
  rbf: boolean;
  received_at: number;
  block_height: number | null;
  double_spent_at: number | null;
  /** When the payment reached its invoice's speed policy (confirmations), or null. */
  settled_at: Generated<number | null>;
}

export interface VirtualClockTable {
  id: Generated<boolean>;
  now: number;
}
