import type { CompiledQuery, DatabaseConnection, Dialect, Driver, Kysely, QueryResult, TransactionSettings } from 'kysely';
import { EVERY_TABLE, tablesChangedBy, type ChangeFeed } from './change-feed.js';

/**
 * Tells `feed` about every change this process makes, once it is visible to other sessions:
 * a statement outside a transaction when it completes, the statements of a transaction again
 * at its COMMIT (the driver's BEGIN, COMMIT and ROLLBACK run through the watched connection).
 * Savepoints are not offered: nothing here uses them.
 */
export function watchChanges(dialect: Dialect, feed: ChangeFeed): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db: Kysely<any>) => dialect.createIntrospector(db),
    createDriver: () => new WatchedDriver(dialect.createDriver(), feed),
  };
}

class WatchedConnection implements DatabaseConnection {
  /** Tables changed since the connection was acquired; reported again at COMMIT. */
  private uncommitted = new Set<string>();
  private uncommittedEverything = false;

  constructor(
    readonly inner: DatabaseConnection,
    private readonly feed: ChangeFeed,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    let result: QueryResult<R> | undefined;
    try {
      result = await this.inner.executeQuery<R>(query);
      return result;
    } finally {
      this.record(query.sql, result?.numAffectedRows);
    }
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    this.record(query.sql, undefined);
    return this.inner.streamQuery<R>(query, chunkSize);
  }

  private record(statement: string, rowsAffected: bigint | undefined): void {
    if (/^\s*(?:commit|rollback)\b/i.test(statement)) {
      if (/^\s*commit\b/i.test(statement)) this.feed.changed(this.uncommittedEverything ? EVERY_TABLE : [...this.uncommitted]);
      this.uncommitted = new Set();
      this.uncommittedEverything = false;
      return;
    }
    const changed = tablesChangedBy(statement, rowsAffected);
    if (changed === EVERY_TABLE) this.uncommittedEverything = true;
    else for (const table of changed) this.uncommitted.add(table);
    this.feed.changed(changed);
  }
}

class WatchedDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly feed: ChangeFeed,
  ) {}

  init = () => this.inner.init();
  destroy = () => this.inner.destroy();

  async acquireConnection(): Promise<DatabaseConnection> {
    return new WatchedConnection(await this.inner.acquireConnection(), this.feed);
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    await this.inner.releaseConnection((connection as WatchedConnection).inner);
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.inner.beginTransaction(connection, settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.rollbackTransaction(connection);
  }
}
