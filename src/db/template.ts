import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import { migrateToLatest, migrationsFingerprint } from './migrate.js';
import { PGliteDialect } from './pglite-dialect.js';

let building: Promise<Blob> | null = null;

/** Where the template of these migrations is kept on this machine. */
async function templatePath(): Promise<string> {
  return join(tmpdir(), `bitpay-emulator-template-${pgliteVersion()}-${await migrationsFingerprint()}.tar`);
}

/** The installed PGlite's version: a data directory of another version may not load. */
function pgliteVersion(): string {
  let dir = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
  while (dir !== dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === '@electric-sql/pglite') return manifest.version ?? 'unknown';
    } catch {
      // not the package's folder yet
    }
    dir = dirname(dir);
  }
  return 'unknown';
}

async function build(path: string): Promise<Blob> {
  try {
    return new Blob([readFileSync(path)]);
  } catch {
    const pglite = await PGlite.create();
    await migrateToLatest(new Kysely<unknown>({ dialect: new PGliteDialect(pglite) }));
    const dump = await pglite.dumpDataDir('none');
    await pglite.close();
    // Written aside and renamed: processes building it at once never read half a file. A temp
    // folder that takes no files only costs the next process the same build.
    const partial = `${path}.${randomBytes(6).toString('hex')}`;
    try {
      writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
      renameSync(partial, path);
    } catch {
      rmSync(partial, { force: true });
    }
    return dump;
  }
}

/**
 * An empty, migrated database to start in-memory emulators from: loading it takes a fraction of
 * initdb and the migrations. Built once per machine and schema (kept in the OS temp folder, named
 * by PGlite's version and the migrations' fingerprint), and once read, kept for the process.
 */
export function migratedTemplate(): Promise<Blob> {
  building ??= templatePath().then(build).catch((error: unknown) => {
    building = null;
    throw error;
  });
  return building;
}
