import type { ColumnType } from 'kysely';
import type { Json } from '../json.js';
import type { SubscriptionSchedule, SubscriptionStatus } from '../../domain/subscription.js';
import type { NewBill } from '../../domain/bill.js';

export interface SubscriptionsTable {
  id: string;
  seq: ColumnType<number, never, never>;
  merchant_id: string;
  dialect: string;
  status: SubscriptionStatus;
  schedule: SubscriptionSchedule;
  bill_template: Json<NewBill>;
  next_delivery: number;
  resource_token: string;
  created_at: number;
  due_at: number | null;
}
