import type { ColumnType } from 'kysely';

/** A jsonb column: read as T, written as JSON text (the one encoding both drivers agree on). */
export type Json<T> = ColumnType<T, string, string>;

export function toJson(value: unknown): string {
  return JSON.stringify(value);
}
