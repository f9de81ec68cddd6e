/**
 * Which tables have changed, as version counters, so that a per-process cache can tell whether
 * what it holds is still what the database holds. This process's own statements are counted
 * as they complete (see watched-dialect.ts); other processes' arrive as notifications
 * (see change-listener.ts).
 */
export const EVERY_TABLE = Symbol('every table');
export type Changed = readonly string[] | typeof EVERY_TABLE;

export interface ChangeFeed {
  /** Records that `tables` (or, not knowing which, every table) may have changed. */
  changed(tables: Changed): void;
  /**
   * A number that grows whenever any of `tables` changes; null while changes made elsewhere
   * could go unseen (the notification connection is down), when nothing may be cached.
   */
  version(tables: readonly string[]): number | null;
  /** While blind, version() is null; regaining sight counts as a change of every table. */
  setBlind(blind: boolean): void;
}

export function createChangeFeed(): ChangeFeed {
  const counts = new Map<string, number>();
  let everything = 0;
  let blind = false;
  return {
    changed(tables) {
      if (tables === EVERY_TABLE) everything++;
      else for (const table of tables) counts.set(table, (counts.get(table) ?? 0) + 1);
    },
    version(tables) {
      if (blind) return null;
      let version = everything;
      for (const table of tables) version += counts.get(table) ?? 0;
      return version;
    },
    setBlind(value) {
      blind = value;
      everything++;
    },
  };
}

const WRITES = /\b(?:insert\s+into|update|delete\s+from)\s+"?(\w+)"?/gi;
const CHANGES_NOTHING = /^\s*(?:select|with|begin|start|savepoint|release|rollback|commit|show|set|listen|unlisten|analyze)\b/i;

/**
 * The tables a SQL statement may change, read off its text: the targets of INSERT, UPDATE and
 * DELETE (also inside WITH); none for reads, transaction control and ANALYZE; every table for anything
 * else (DDL, TRUNCATE, a migration file). `FOR UPDATE` or `DO UPDATE SET` yield a harmless
 * extra name. `rowsAffected` of 0 from a top-level INSERT, UPDATE or DELETE means nothing changed.
 */
export function tablesChangedBy(statement: string, rowsAffected?: bigint): Changed {
  const tables = [...statement.matchAll(WRITES)].map((match) => (match[1] as string).toLowerCase());
  if (tables.length > 0) {
    const topLevelWrite = /^\s*(?:insert|update|delete)\b/i.test(statement);
    return topLevelWrite && rowsAffected === 0n ? [] : tables;
  }
  return CHANGES_NOTHING.test(statement) ? [] : EVERY_TABLE;
}
