import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../db/schema.js';
import type { RandomSource } from '../domain/ids.js';
import type { Logger } from '../logger.js';
import type { Clock } from './clock.js';

/** What every engine service needs: built once by the composition root (server.ts). */
export interface EngineContext {
  db: Kysely<Database>;
  clock: Clock;
  random: RandomSource;
  config: Config;
  logger: Logger;
  /** The invoice receive address at a derivation index (BTC_XPUB, BIP84). */
  addresses: (index: number) => string;
}
