import type { Generated } from 'kysely';

import type { Facade } from '../../domain/facades.js';

import type { TokenStatus } from '../../domain/pairing.js';

export type { TokenStatus };

export interface TokensTable {
  token: string;
  /** Creation order (several tokens can share a millisecond on a virtual clock). */
  seq: Generated<number>;
  /** null while a client-initiated request waits for a merchant to approve it. */
  merchant_id: string | null;
  facade: Facade;
  label: string | null;
  /** The client identity bound to the token; null until a server-initiated code is claimed. */
  sin: string | null;
  require_auth: boolean;
  status: TokenStatus;
  pairing_code: string | null;
  pairing_expires_at: number | null;
  /** When the pairing code was approved (client-initiated) or claimed (server-initiated). */
  paired_at: number | null;
  created_at: number;
}
