/** What the database layer says to the server's log: warnings only (the server's Logger is one). */
export interface Warnings {
  warn(message: string, fields?: Record<string, unknown>): void;
}
