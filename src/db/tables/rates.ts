export interface RatesTable {
  code: string;
  /** numeric: units of `code` per 1 BTC, read as a decimal string */
  rate: string;
  updated_at: number;
}
