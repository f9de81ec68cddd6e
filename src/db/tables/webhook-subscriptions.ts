import type { Generated } from 'kysely';
import type { Json } from '../json.js';

export interface WebhookSubscriptionsTable {
  id: string;
  seq: Generated<number>;
  /** The dialect whose API made the subscription and whose format its deliveries take. */
  dialect: string;
  merchant_id: string;
  url: string;
  /** The key the dialect signs bodies with. */
  secret: string;
  enabled: boolean;
  /** Whether failed deliveries are retried on the dialect's schedule. */
  automatic_redelivery: boolean;
  /** The dialect's event names; null: every event. */
  events: Json<string[]> | null;
  created_at: number;
  description: string | null;
}
