import { ConfigError } from '../config.js';
import { invalidParam } from '../errors.js';
import { bitpay } from './bitpay/index.js';
import { btpay } from './btpay/index.js';
import type { EngineContext } from '../engine/context.js';
import type { Dialect } from './dialect.js';
import { greenfield } from './greenfield/index.js';

/** Every dialect the emulator speaks, most specific first: a request's errors take the shape of the first that owns its path. */
export const DIALECTS: readonly Dialect[] = [greenfield, btpay, bitpay];

/**
 * The dialects DIALECTS names (null: all), in registry order. The sandbox API, the pages and
 * requests no served dialect owns write their errors in BitPay's shape, which every dialect
 * falls back to.
 */
export function servedDialects(names: readonly string[] | null): Dialect[] {
  if (names === null) return [...DIALECTS];
  const unknown = names.find((name) => !DIALECTS.some((d) => d.name === name));
  if (unknown !== undefined) throw new ConfigError('DIALECTS', `names an unknown dialect "${unknown}" (known: ${DIALECTS.map((d) => d.name).join(', ')})`);
  return DIALECTS.filter((d) => names.includes(d.name));
}

export const FALLBACK_DIALECT: Dialect = bitpay;

/** The served dialect named `name` that has API keys (`POST /sandbox/api-keys`), or a refusal naming those there are. */
export function apiKeyDialect(dialects: readonly Dialect[], name: unknown): Dialect & Required<Pick<Dialect, 'sandboxApiKey'>> {
  const withKeys = dialects.filter((d) => d.sandboxApiKey);
  const dialect = withKeys.find((d) => d.name === name);
  if (!dialect?.sandboxApiKey) {
    throw invalidParam('request', `dialect must be one of the served dialects with API keys: ${withKeys.map((d) => d.name).join(', ') || 'none is served'}`);
  }
  return dialect as Dialect & Required<Pick<Dialect, 'sandboxApiKey'>>;
}

/** The engine invoice id a name stands for: a dialect's own name for it (`INV-0001`), else the name itself. */
export async function resolveInvoiceName(engine: EngineContext, dialects: readonly Dialect[], name: string): Promise<string> {
  for (const dialect of dialects) {
    const id = await dialect.invoiceIdOf?.(engine, name);
    if (id) return id;
  }
  return name;
}
