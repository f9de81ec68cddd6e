import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';
import { PGliteDialect } from './pglite-dialect.js';
import { acquireDataDirLock } from './data-dir-lock.js';
import { createChangeFeed, type ChangeFeed } from './change-feed.js';
import { listenForChanges } from './change-listener.js';
import { migratedTemplate } from './template.js';
import { watchChanges } from './watched-dialect.js';
import type { Warnings } from './warnings.js';

export type DatabaseKind = 'embedded' | 'postgres';

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: DatabaseKind;
  /** Where the data lives, for the start-up log line (never contains a password). */
  location: string;
  /** What has changed, for the caches that must not serve stale invoices. */
  changes: ChangeFeed;
  close(): Promise<void>;
}

const INT8_OID = 20;

/** bigint columns hold ms timestamps, satoshis and heights: all well inside 2^53. */
function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new Error(`bigint value ${text} is outside the safe integer range`);
  return value;
}

export async function openDatabase(options: { databaseUrl: string | null; dataDir: string }, logger: Warnings): Promise<DatabaseHandle> {
  return options.databaseUrl ? openPostgres(options.databaseUrl, logger) : openEmbedded(options.dataDir);
}

/** PostgreSQL's "database does not exist" (3D000) in words that say how to make it. */
function missingDatabase(error: unknown, url: URL): Error | null {
  if ((error as { code?: string }).code !== '3D000') return null;
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  const server = `${url.hostname}${url.port ? `:${url.port}` : ''}`;
  const user = url.username ? ` -U ${decodeURIComponent(url.username)}` : '';
  return new Error(`DATABASE_URL names the database "${name}", which does not exist on ${server}: create it first, e.g. createdb -h ${url.hostname}${url.port ? ` -p ${url.port}` : ''}${user} ${name}`);
}

async function openPostgres(databaseUrl: string, logger: Warnings): Promise<DatabaseHandle> {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 10,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? parseInt8 : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection the server drops (restart, failover, DROP DATABASE) must not crash the
  // process: the pool replaces it on the next query.
  pool.on('error', (error) => logger.warn('database connection lost', { error: error.message }));
  const url = new URL(databaseUrl);
  url.password = '';
  const changes = createChangeFeed();
  const db = new Kysely<Database>({ dialect: watchChanges(new PostgresDialect({ pool }), changes) });
  const listener = await listenForChanges(databaseUrl, changes, logger).catch(async (error) => {
    await db.destroy();
    throw missingDatabase(error, url) ?? error;
  });
  return {
    db,
    kind: 'postgres',
    location: url.href.replace(/:@/, '@'),
    changes,
    close: async () => {
      await listener.close();
      await db.destroy();
    },
  };
}

/**
 * An in-memory database keeps its files in the process's memory, so PostgreSQL's defaults for a
 * server with disks are a waste there: 128 MB of shared buffers caching what is already in
 * memory, and up to 1 GB of WAL before a checkpoint recycles it. Full-page images only serve
 * crash recovery, which a database that ends with its process never does.
 */
const IN_MEMORY_SETTINGS = ['shared_buffers=16MB', 'wal_buffers=1MB', 'max_wal_size=32MB', 'min_wal_size=32MB', 'full_page_writes=off'];

async function openEmbedded(dataDir: string): Promise<DatabaseHandle> {
  const inMemory = dataDir === 'memory';
  let releaseLock = () => {};
  let directory: string | undefined;
  if (!inMemory) {
    directory = resolve(dataDir);
    mkdirSync(directory, { recursive: true });
    releaseLock = acquireDataDirLock(directory);
  }
  try {
    const pglite = await PGlite.create(directory ? `${directory}/pgdata` : undefined, {
      parsers: { [INT8_OID]: parseInt8 },
      ...(inMemory
        ? { loadDataDir: await migratedTemplate(), startParams: [...PGlite.defaultStartParams, ...IN_MEMORY_SETTINGS.flatMap((setting) => ['-c', setting])] }
        : {}),
    });
    // One process owns the data directory, so its own statements are every change there is.
    const changes = createChangeFeed();
    const db = new Kysely<Database>({ dialect: watchChanges(new PGliteDialect(pglite), changes) });
    return {
      db,
      kind: 'embedded',
      location: directory ?? 'memory',
      changes,
      close: async () => {
        await db.destroy();
        releaseLock();
      },
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
}
