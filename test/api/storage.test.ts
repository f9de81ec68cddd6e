import { readdirSync } from 'node:fs';
import { expect } from 'chai';
import pg from 'pg';
import { startTestEmulator, type Emulator } from '../support/emulator.js';
import { withFreshDatabase } from '../support/postgres.js';

describe('storage on PostgreSQL', function () {
  before(function () {
    if (!process.env.DATABASE_URL) this.skip();
  });

  it('lets several emulators start at once on a fresh database: one migration, one default merchant', async () => {
    await withFreshDatabase(async (databaseUrl) => {
      const emulators: Emulator[] = await Promise.all([1, 2, 3, 4].map(() => startTestEmulator({ databaseUrl })));
      try {
        const client = new pg.Client({ connectionString: databaseUrl });
        await client.connect();
        const migrations = await client.query('SELECT name FROM kysely_migration');
        const defaults = await client.query('SELECT count(*)::int AS n FROM merchants WHERE is_default');
        await client.end();
        const files = readdirSync(new URL('../../migrations/', import.meta.url)).map((f) => f.replace(/\.sql$/, ''));
        expect(migrations.rows.map((r) => r.name).sort()).to.deep.equal(files.sort());
        expect(defaults.rows[0].n).to.equal(1);

        const code = await emulators[0]!.sandbox.createPairingCode({ facade: 'pos' });
        const seen = (await emulators[3]!.sandbox.tokens()).map((t) => t.token);
        expect(seen).to.include(code.token);
      } finally {
        await Promise.all(emulators.map((e) => e.close()));
      }
    });
  });
});
