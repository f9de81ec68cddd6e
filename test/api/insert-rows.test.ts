import { expect } from 'chai';
import { insertRows } from '../../src/db/insert-rows.js';
import { toJson } from '../../src/db/json.js';
import { withMigratedDatabase } from '../support/postgres.js';

describe('inserting many rows as one JSON parameter', function () {
  this.timeout(30_000);

  it('writes every column as the table types it: text, bigint, boolean, null and JSON', async () => {
    await withMigratedDatabase(async (db) => {
      const rows = (count: number, prefix: string) =>
        Array.from({ length: count }, (_, i) => ({
          id: `${prefix}${i}`,
          dialect: 'greenfield',
          kind: 'invoice' as const,
          invoice_id: null,
          stream: `s"\\${i}`,
          url: 'http://127.0.0.1/hook?a=1&b="2"',
          event_code: i % 2 ? 1005 : null,
          event_name: 'InvoiceSettled',
          extended: i % 2 === 0,
          signing_key: 'ключ',
          payload: i % 3 ? toJson({ n: i, text: 'quote " backslash \\ emoji 🙂', nested: { list: [1, null, true] } }) : null,
          status: 'pending' as const,
          next_attempt_at: 1_700_000_000_000 + i,
          created_at: 1_700_000_000_000,
        }));
      // 40 rows take the one-parameter path, 3 the VALUES list: both must read back the same.
      for (const [count, prefix] of [[40, 'many'], [3, 'few']] as const) {
        const written = rows(count, prefix);
        await insertRows(db, 'webhook_deliveries', written);
        const read = await db.selectFrom('webhook_deliveries').selectAll().where('id', 'like', `${prefix}%`).orderBy('seq').execute();
        expect(read.map((row) => row.id)).to.deep.equal(written.map((row) => row.id));
        read.forEach((row, i) => {
          const { payload, ...rest } = written[i] as (typeof written)[number];
          expect(row).to.include(rest);
          expect(row.payload).to.deep.equal(payload === null ? null : JSON.parse(payload));
        });
      }
    });
  });
});
