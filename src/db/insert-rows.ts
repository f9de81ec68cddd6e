import { sql, type Insertable } from 'kysely';
import type { Database, Db } from './schema.js';

/** Below this many rows a VALUES list costs as little, with a simpler plan. */
const ONE_PARAMETER_FROM = 16;

/** Each table's json and jsonb columns: the migrations', the same in every database they made. */
const jsonColumnsByTable = new Map<string, Promise<ReadonlySet<string>>>();

function jsonColumnsOf(db: Db, table: string): Promise<ReadonlySet<string>> {
  let columns = jsonColumnsByTable.get(table);
  if (!columns) {
    columns = sql<{ name: string }>`
      SELECT attname AS name FROM pg_attribute
      WHERE attrelid = ${table}::regclass AND atttypid IN ('json'::regtype, 'jsonb'::regtype) AND NOT attisdropped`
      .execute(db)
      .then(({ rows }) => new Set(rows.map((row) => row.name)));
    columns.catch(() => jsonColumnsByTable.delete(table));
    jsonColumnsByTable.set(table, columns);
  }
  return columns;
}

/**
 * Inserts rows in one statement. Many rows with the same columns go as one parameter, a JSON
 * array that json_populate_recordset turns into the table's own column types: a VALUES list
 * takes a parameter per row and column, each compiled, sent, parsed and bound (12,000 for the
 * 500 webhook deliveries of one batch of invoices). Values of json and jsonb columns are JSON text
 * already (db/json.ts), and go into the array as JSON.
 */
export async function insertRows<T extends keyof Database & string>(db: Db, table: T, rows: Insertable<Database[T]>[]): Promise<void> {
  if (rows.length === 0) return;
  const records = rows as Record<string, unknown>[];
  const columns = Object.keys(records[0] as Record<string, unknown>).filter((column) => (records[0] as Record<string, unknown>)[column] !== undefined);
  const sameColumns = records.every((row) => columns.every((column) => row[column] !== undefined) && Object.values(row).filter((value) => value !== undefined).length === columns.length);
  if (rows.length < ONE_PARAMETER_FROM || !sameColumns) {
    await db.insertInto(table).values(rows as never).execute();
    return;
  }
  const json = await jsonColumnsOf(db, table);
  const text = `[${records
    .map((row) => `{${columns.map((column) => `${JSON.stringify(column)}:${json.has(column) && row[column] !== null ? row[column] : JSON.stringify(row[column])}`).join(',')}}`)
    .join(',')}]`;
  const names = sql.join(columns.map((column) => sql.ref(column)));
  await sql`INSERT INTO ${sql.table(table)} (${names}) SELECT ${names} FROM json_populate_recordset(NULL::${sql.table(table)}, ${text}::json)`.execute(db);
}
