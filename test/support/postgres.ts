import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { openDatabase } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';
import { createLogger } from '../../src/logger.js';

/** Runs `run` against a throwaway database on the PostgreSQL server of DATABASE_URL. */
export async function withFreshDatabase(run: (url: string) => Promise<void>): Promise<void> {
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  const name = `emu_fresh_${process.pid}_${Date.now()}`;
  await admin.query(`CREATE DATABASE ${name}`);
  try {
    const url = new URL(process.env.DATABASE_URL as string);
    url.pathname = `/${name}`;
    await run(url.href);
  } finally {
    await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    await admin.end();
  }
}

/**
 * Runs `run` with storage that survives a server process: a temporary DATA_DIR, and a throwaway
 * database when the suite runs on PostgreSQL (DATABASE_URL), else '' (the embedded database).
 */
export async function withDurableStorage(run: (storage: { dataDir: string; databaseUrl: string }) => Promise<void>): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bitpay-emulator-'));
  try {
    if (process.env.DATABASE_URL) await withFreshDatabase((databaseUrl) => run({ dataDir, databaseUrl }));
    else await run({ dataDir, databaseUrl: '' });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Polls `check` until it returns true or `ms` pass (for work another process finishes). */
export async function eventually(check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A fresh database of the suite's kind, opened and migrated: a throwaway one on DATABASE_URL's server, else an in-memory PGlite. */
export async function withMigratedDatabase(run: (db: Kysely<Database>) => Promise<void>): Promise<void> {
  const open = async (databaseUrl: string | null) => {
    const database = await openDatabase({ databaseUrl, dataDir: 'memory' }, createLogger('error'));
    try {
      await migrateToLatest(database.db);
      await run(database.db);
    } finally {
      await database.close();
    }
  };
  if (process.env.DATABASE_URL) await withFreshDatabase(open);
  else await open(null);
}
