import type { Generated } from 'kysely';
import type { Json } from '../json.js';

export interface ApiKeysTable {
  key: string;
  seq: Generated<number>;
  /** The dialect whose API the key opens. */
  dialect: string;
  /** The account the key belongs to, for dialects whose keys are per account; null for the sandbox user's keys. */
  merchant_id: string | null;
  label: string | null;
  /** The dialect's permission strings. */
  permissions: Json<string[]>;
  created_at: number;
  revoked_at: number | null;
}
