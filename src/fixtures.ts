import { readFileSync } from 'node:fs';

const FIXTURES_DIR = new URL('../fixtures/', import.meta.url);

function load<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(name, FIXTURES_DIR), 'utf8')) as T;
}

export interface CurrencyInfo {
  code: string;
  symbol: string;
  /** Digits shown to people. */
  precision: number;
  name: string;
  plural: string;
  alts: string;
  minimum: number;
  sanctioned: boolean;
  /** Digits of the smallest unit (8 for BTC: satoshi). */
  decimals: number;
  chain?: string;
  displayCode?: string;
  maxSupply?: string;
}

export interface BitcoinFixture {
  accountXpub: string;
  satoshisPerByte: number;
  sweepTransactionBytes: number;
  targetConfirmations: number;
  /** What sending a refund costs on the network. */
  refundNetworkFeeSats: number;
}

/** Static reference data shipped in fixtures/: the currency catalogue, starting rates, wallets, chain settings. */
export const fixtures = {
  currencies: load<CurrencyInfo[]>('currencies.json'),
  /** Units of each currency per 1 BTC, as decimal strings. */
  rates: load<{ BTC: Record<string, string> }>('rates.json'),
  supportedWallets: load<unknown[]>('supported-wallets.json'),
  bitcoin: load<BitcoinFixture>('bitcoin.json'),
};

const CURRENCIES = new Map(fixtures.currencies.map((c) => [c.code, c]));

export function findCurrency(code: string): CurrencyInfo | undefined {
  return CURRENCIES.get(code);
}
