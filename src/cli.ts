#!/usr/bin/env node
import { parseArgs } from 'node:util';
import elliptic from 'elliptic';
import {
  configInputFromEnv,
  ConfigError,
  defaultPublicUrl,
  resolveConfig,
  SETTING_NAMES,
  type Config,
  type ConfigInput,
} from './config.js';
import { sinFromPublicKey } from './crypto/sin.js';
import { startServer } from './server.js';

const USAGE = `Usage: bitpay-emulator <command> [options]

Commands:
  start                                   run the emulator (settings from env vars or flags)
  keys new                                print a new private key, its public key and SIN
  pairing create --facade pos|merchant|payout [--require-auth] [--label L] [--merchant ID]
                                          create a pairing code for a client to claim
  pairing approve <code> [--merchant ID]  approve a client's pairing request

Settings (env var or flag): ${Object.values(SETTING_NAMES)
  .map((name) => `${name} (--${flagName(name)})`)
  .join(', ')}.
Commands that talk to a running emulator use --url (default http://HOST:PORT/) and SANDBOX_TOKEN.`;

function flagName(envName: string): string {
  return envName.toLowerCase().replace(/_/g, '-');
}

class UsageError extends Error {}

function configFrom(flags: Record<string, unknown>): Config {
  const input: ConfigInput = configInputFromEnv(process.env);
  for (const [key, envName] of Object.entries(SETTING_NAMES) as [keyof Config, string][]) {
    const value = flags[flagName(envName)];
    if (value !== undefined) input[key] = value as string | boolean;
  }
  return resolveConfig(input);
}

const settingOptions = Object.fromEntries(
  Object.values(SETTING_NAMES).map((name) => [
    flagName(name),
    { type: name === 'AUTO_APPROVE' ? ('boolean' as const) : ('string' as const) },
  ]),
);

async function sandboxRequest(config: Config, url: string | undefined, method: string, path: string, body?: unknown) {
  const base = url ?? config.publicUrl ?? defaultPublicUrl(config.host, config.port);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (config.sandboxToken) headers.authorization = `Bearer ${config.sandboxToken}`;
  let response: Response;
  try {
    response = await fetch(new URL(path, base), { method, headers, body: body === undefined ? null : JSON.stringify(body) });
  } catch (error) {
    throw new Error(`cannot reach the emulator at ${base} (${(error as Error).message}); is it running? (--url)`);
  }
  const payload = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(String(payload.error ?? `HTTP ${response.status}`));
  return payload;
}

function printToken(token: Record<string, unknown>): void {
  const lines = [
    `pairing code: ${token.pairingCode}`,
    `facade:       ${token.facade}${token.requireAuth ? ' (requests must be signed)' : ''}`,
    `token:        ${token.token}`,
    `status:       ${token.status}`,
    `merchant:     ${token.merchantId}`,
  ];
  if (token.pairingExpiration) lines.push(`expires:      ${new Date(Number(token.pairingExpiration)).toISOString()}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      ...settingOptions,
      url: { type: 'string' },
      facade: { type: 'string' },
      'require-auth': { type: 'boolean' },
      label: { type: 'string' },
      merchant: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, sub, ...rest] = positionals;
  if (values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  switch (`${command} ${sub ?? ''}`.trim()) {
    case 'start': {
      const server = await startServer(configFrom(values));
      const stop = async () => {
        await server.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      return;
    }
    case 'keys new': {
      const key = new elliptic.ec('secp256k1').genKeyPair();
      const publicKey = key.getPublic().encodeCompressed('hex');
      process.stdout.write(
        `private key: ${key.getPrivate('hex').padStart(64, '0')}\npublic key:  ${publicKey}\nSIN:         ${sinFromPublicKey(Buffer.from(publicKey, 'hex'))}\n`,
      );
      return;
    }
    case 'pairing create': {
      const token = await sandboxRequest(configFrom(values), values.url, 'POST', 'sandbox/pairing-codes', {
        facade: values.facade ?? 'pos',
        requireAuth: values['require-auth'] ?? false,
        ...(values.label ? { label: values.label } : {}),
        ...(values.merchant ? { merchantId: values.merchant } : {}),
      });
      printToken(token);
      return;
    }
    case 'pairing approve': {
      const code = rest[0];
      if (!code) throw new UsageError('pairing approve needs the pairing code');
      const path = `sandbox/pairing-codes/${encodeURIComponent(code)}/approve`;
      printToken(await sandboxRequest(configFrom(values), values.url, 'POST', path, values.merchant ? { merchantId: values.merchant } : {}));
      return;
    }
    default:
      throw new UsageError(`unknown command "${positionals.join(' ')}"`);
  }
}

function isUsageError(error: unknown): boolean {
  return error instanceof UsageError || String((error as NodeJS.ErrnoException)?.code).startsWith('ERR_PARSE_ARGS');
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  const usage = isUsageError(error);
  process.stderr.write(`bitpay-emulator: ${message}\n${usage ? `\n${USAGE}\n` : ''}`);
  process.exit(usage || error instanceof ConfigError ? 2 : 1);
});
