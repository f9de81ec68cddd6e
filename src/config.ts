import { isIP } from 'node:net';
import { parseAccountXpub, XpubError, type BtcNetwork } from './chain/addresses.js';
import { parseDuration } from './domain/duration.js';
import { parseWebhookFaults, type WebhookFaults } from './domain/webhook-faults.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export type LogFormat = 'auto' | 'json' | 'pretty';
export type ClockMode = 'system' | 'virtual';
/** WEBHOOK_SUCCESS: HTTP 200 only (BitPay's rule), or any 2xx. */
export type SuccessRule = '200' | '2xx';

export interface Config {
  port: number;
  /** Serves the same app over TLS too (null: no HTTPS; 0: any free port). */
  httpsPort: number | null;
  /** Where `bitpay-emulator certs` writes, and HTTPS reads, the certificates (default DATA_DIR/certs). */
  certsDir: string | null;
  host: string;
  databaseUrl: string | null;
  dataDir: string;
  /** Always ends in '/'. null until the server knows its port (then `http://HOST:PORT/`). */
  publicUrl: string | null;
  sandboxToken: string | null;
  autoApprove: boolean;
  blockIntervalMs: number;
  /** How long a paid invoice's payment may stay unconfirmed before the invoice is invalid. */
  invalidAfterMs: number;
  clock: ClockMode;
  btcNetwork: BtcNetwork;
  btcXpub: string | null;
  logLevel: LogLevel;
  /** How the server's console looks: `auto` (for a person on a terminal, JSON lines otherwise), `json` or `pretty`. */
  logFormat: LogFormat;
  /** What counts as a delivered webhook: HTTP 200 only (BitPay), or any 2xx. */
  webhookSuccess: SuccessRule;
  webhookTimeoutMs: number;
  /** Refuse http:// notificationURLs, as BitPay does. */
  webhookHttpsOnly: boolean;
  webhookFaults: WebhookFaults;
  /** The dialects served (DIALECTS); null: all. Names are checked against the registry at start. */
  dialects: string[] | null;
  /** How long a finalized line-item invoice (seed 001) locks its bitcoin amount (BTC_QUOTE_DEADLINE, minutes). */
  btcQuoteDeadlineMs: number;
  /** Requests per minute per API key on seed 001's API (BTPAY_RATE_LIMIT); 0: no limit. */
  btpayRateLimit: number;
}

export class ConfigError extends Error {
  constructor(readonly setting: string, message: string) {
    super(`Invalid configuration: ${setting} ${message}`);
  }
}

type RawValue = string | number | boolean | null | undefined;

interface Setting<K extends keyof Config> {
  env: string;
  key: K;
  fallback: string | null;
  parse(value: string, name: string): Config[K];
}

function oneOf<T extends string>(allowed: readonly T[]) {
  return (value: string, name: string): T => {
    if ((allowed as readonly string[]).includes(value)) return value as T;
    throw new ConfigError(name, `must be one of ${allowed.join(', ')} (got "${value}")`);
  };
}

function parseBoolean(value: string, name: string): boolean {
  const v = value.toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off', ''].includes(v)) return false;
  throw new ConfigError(name, `must be true or false (got "${value}")`);
}

function parsePort(value: string, name: string): number {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) {
    throw new ConfigError(name, `must be an integer from 0 to 65535 (got "${value}")`);
  }
  return Number(value);
}

function parseWholeNumber(min: number, max: number) {
  return (value: string, name: string): number => {
    if (!/^\d{1,9}$/.test(value) || Number(value) < min || Number(value) > max) {
      throw new ConfigError(name, `must be a whole number from ${min} to ${max} (got "${value}")`);
    }
    return Number(value);
  };
}

function parseNonEmpty(value: string, name: string): string {
  if (value.trim() === '') throw new ConfigError(name, 'must not be empty');
  return value;
}

function parseOptional(value: string): string | null {
  return value === '' ? null : value;
}

function parseDatabaseUrl(value: string, name: string): string | null {
  if (value === '') return null;
  if (!/^postgres(ql)?:\/\//.test(value)) {
    throw new ConfigError(name, `must be a postgres:// or postgresql:// URL (got "${value}")`);
  }
  return value;
}

function parsePublicUrl(value: string, name: string): string | null {
  if (value === '') return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(name, `must be an absolute http:// or https:// URL (got "${value}")`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(name, `must be an absolute http:// or https:// URL (got "${value}")`);
  }
  if (url.search || url.hash) throw new ConfigError(name, `must not contain a query or fragment (got "${value}")`);
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

function parseXpub(value: string, name: string): string | null {
  if (value === '') return null;
  try {
    parseAccountXpub(value);
  } catch (error) {
    if (error instanceof XpubError) throw new ConfigError(name, error.message);
    throw error;
  }
  return value;
}

function parseFaults(value: string, name: string): WebhookFaults {
  const faults = parseWebhookFaults(value);
  if (typeof faults === 'string') throw new ConfigError(name, faults);
  return faults;
}

function parseDialects(value: string, name: string): string[] | null {
  if (value === '' || value === 'all') return null;
  const names = value.split(',').map((n) => n.trim().toLowerCase());
  if (names.some((n) => !/^[a-z][a-z0-9-]*$/.test(n))) {
    throw new ConfigError(name, `must be "all" or a comma-separated list of dialect names such as bitpay (got "${value}")`);
  }
  return [...new Set(names)];
}

function parsePositiveInterval(value: string, name: string): number {
  const ms = parseInterval(value, name);
  if (ms <= 0) throw new ConfigError(name, 'must be longer than 0');
  return ms;
}

function parseInterval(value: string, name: string): number {
  const ms = parseDuration(value);
  if (ms === null) {
    throw new ConfigError(name, `must be a duration such as 10s, 500ms, 2m or 0 (got "${value}")`);
  }
  return ms;
}

const SETTINGS: { [K in keyof Config]: Setting<K> } = {
  port: { env: 'PORT', key: 'port', fallback: '8088', parse: parsePort },
  httpsPort: { env: 'HTTPS_PORT', key: 'httpsPort', fallback: null, parse: (v, n) => (v === '' ? null : parsePort(v, n)) },
  certsDir: { env: 'CERTS_DIR', key: 'certsDir', fallback: null, parse: parseOptional },
  host: { env: 'HOST', key: 'host', fallback: '127.0.0.1', parse: parseNonEmpty },
  databaseUrl: { env: 'DATABASE_URL', key: 'databaseUrl', fallback: null, parse: parseDatabaseUrl },
  dataDir: { env: 'DATA_DIR', key: 'dataDir', fallback: './.bitpay-emulator', parse: parseNonEmpty },
  publicUrl: { env: 'PUBLIC_URL', key: 'publicUrl', fallback: null, parse: parsePublicUrl },
  sandboxToken: { env: 'SANDBOX_TOKEN', key: 'sandboxToken', fallback: null, parse: parseOptional },
  autoApprove: { env: 'AUTO_APPROVE', key: 'autoApprove', fallback: 'false', parse: parseBoolean },
  blockIntervalMs: { env: 'BLOCK_INTERVAL', key: 'blockIntervalMs', fallback: '10s', parse: parseInterval },
  invalidAfterMs: { env: 'INVALID_AFTER', key: 'invalidAfterMs', fallback: '1h', parse: parseInterval },
  clock: { env: 'CLOCK', key: 'clock', fallback: 'system', parse: oneOf(['system', 'virtual'] as const) },
  btcNetwork: { env: 'BTC_NETWORK', key: 'btcNetwork', fallback: 'testnet', parse: oneOf(['testnet', 'regtest'] as const) },
  btcXpub: { env: 'BTC_XPUB', key: 'btcXpub', fallback: null, parse: parseXpub },
  webhookSuccess: { env: 'WEBHOOK_SUCCESS', key: 'webhookSuccess', fallback: '200', parse: oneOf(['200', '2xx'] as const) },
  webhookTimeoutMs: { env: 'WEBHOOK_TIMEOUT', key: 'webhookTimeoutMs', fallback: '10s', parse: parsePositiveInterval },
  webhookHttpsOnly: { env: 'WEBHOOK_HTTPS_ONLY', key: 'webhookHttpsOnly', fallback: 'false', parse: parseBoolean },
  webhookFaults: { env: 'WEBHOOK_FAULTS', key: 'webhookFaults', fallback: '', parse: parseFaults },
  dialects: { env: 'DIALECTS', key: 'dialects', fallback: 'all', parse: parseDialects },
  btcQuoteDeadlineMs: { env: 'BTC_QUOTE_DEADLINE', key: 'btcQuoteDeadlineMs', fallback: '15', parse: (v, n) => parseWholeNumber(1, 10_080)(v, n) * 60_000 },
  btpayRateLimit: { env: 'BTPAY_RATE_LIMIT', key: 'btpayRateLimit', fallback: '0', parse: parseWholeNumber(0, 1_000_000) },
  logFormat: { env: 'LOG_FORMAT', key: 'logFormat', fallback: 'auto', parse: oneOf(['auto', 'json', 'pretty'] as const) },
  logLevel: {
    env: 'LOG_LEVEL',
    key: 'logLevel',
    fallback: 'info',
    parse: oneOf(['debug', 'info', 'warn', 'error', 'silent'] as const),
  },
};

export type ConfigInput = { [K in keyof Config]?: RawValue };

/** The environment variable names, for the CLI's flags and help text. */
export const SETTING_NAMES: Record<keyof Config, string> = Object.fromEntries(
  Object.values(SETTINGS).map((s) => [s.key, s.env]),
) as Record<keyof Config, string>;

/** An unset or empty setting takes its default (`PORT=` is the default port, as a shell's `PORT=$PORT` may leave it). */
function parseSetting<K extends keyof Config>(setting: Setting<K>, raw: RawValue): Config[K] {
  const given = raw === undefined || raw === null ? '' : String(raw);
  const text = given === '' ? setting.fallback : given;
  if (text === null) return null as Config[K];
  return setting.parse(text.trim(), setting.env);
}

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  return h === '::1';
}

/** The shortest SANDBOX_TOKEN an emulator open to the network accepts. */
export const MIN_NETWORK_TOKEN_LENGTH = 16;

/** Builds the one validated config. Throws ConfigError naming the first wrong setting. */
export function resolveConfig(input: ConfigInput): Config {
  const config = {} as Record<keyof Config, unknown>;
  for (const key of Object.keys(SETTINGS) as (keyof Config)[]) {
    config[key] = parseSetting(SETTINGS[key] as Setting<typeof key>, input[key]);
  }
  const result = config as unknown as Config;
  if (result.httpsPort !== null && result.certsDir === null && result.dataDir === 'memory') {
    throw new ConfigError('CERTS_DIR', 'must be set when HTTPS_PORT is used with DATA_DIR=memory (there is no DATA_DIR/certs)');
  }
  if (!isLoopbackHost(result.host) && !result.sandboxToken) {
    throw new ConfigError(
      'HOST',
      `is "${result.host}", which is not a loopback address: set SANDBOX_TOKEN so that the sandbox API and dashboard are not open to the network`,
    );
  }
  if (!isLoopbackHost(result.host) && (result.sandboxToken ?? '').length < MIN_NETWORK_TOKEN_LENGTH) {
    throw new ConfigError(
      'SANDBOX_TOKEN',
      `must be at least ${MIN_NETWORK_TOKEN_LENGTH} characters when HOST ("${result.host}") is not a loopback address: it guards the sandbox API and the dashboard on the network`,
    );
  }
  return result;
}

/** Reads settings from environment variables (names as in the README). */
export function configInputFromEnv(env: NodeJS.ProcessEnv): ConfigInput {
  const input: ConfigInput = {};
  for (const setting of Object.values(SETTINGS)) {
    const value = env[setting.env];
    if (value !== undefined) input[setting.key] = value;
  }
  return input;
}

export function defaultPublicUrl(host: string, port: number): string {
  const wildcard = host === '0.0.0.0' || host === '::';
  const name = wildcard ? 'localhost' : isIP(host) === 6 ? `[${host}]` : host;
  return `http://${name}:${port}/`;
}

/** Where the TLS certificates live. */
export function certificatesDir(config: Pick<Config, 'certsDir' | 'dataDir'>): string {
  return config.certsDir ?? `${config.dataDir}/certs`;
}
