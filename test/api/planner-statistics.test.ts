import { expect } from 'chai';
import { sql } from 'kysely';
import { plannerStatistics } from '../../src/db/planner-statistics.js';
import { createLogger } from '../../src/logger.js';
import { eventually, withMigratedDatabase } from '../support/postgres.js';

describe('planner statistics of a queue table', function () {
  this.timeout(30_000);

  it('analyzes the table when a backlog is seen, then not again within 30 s', async () => {
    await withMigratedDatabase(async (db) => {
      const estimatedRows = async () => Number((await sql<{ reltuples: number }>`SELECT reltuples FROM pg_class WHERE relname = 'webhook_deliveries'`.execute(db)).rows[0]?.reltuples);
      expect(await estimatedRows(), 'never analyzed').to.equal(-1);
      const statistics = plannerStatistics(db, 'webhook_deliveries', createLogger('error'));
      statistics.backlogSeen();
      await eventually(async () => (await estimatedRows()) === 0, 10_000);
      await sql`INSERT INTO webhook_deliveries (id, dialect, kind, stream, url, event_name, extended, signing_key, status, next_attempt_at, created_at)
        SELECT 'd' || g, 'bitpay', 'invoice', 'd' || g, 'http://127.0.0.1/', 'paid', false, 'k', 'pending', 0, 0 FROM generate_series(1, 200) AS g`.execute(db);
      statistics.backlogSeen();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await estimatedRows(), 'analyzed again too soon').to.equal(0);
    });
  });
});
