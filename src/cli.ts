#!/usr/bin/env node
import { parseArgs } from 'node:util';
import elliptic from 'elliptic';
import {
  configInputFromEnv,
  ConfigError,
  defaultPublicUrl,
  resolveConfig,
  SETTING_NAMES,
  certificatesDir,
  type Config,
  type ConfigInput,
} from './config.js';
import { sinFromPublicKey } from './crypto/sin.js';
import type { RunningServer } from './server.js';
import { wantsPrettyLogs } from './logger.js';

const USAGE = `Usage: bitpay-emulator <command> [options]

Commands:
  start                                   run the emulator (settings from env vars or flags)
  keys new                                print a new private key, its public key and SIN
  pairing create --facade pos|merchant|payout [--require-auth] [--label L] [--merchant ID]
                                          create a pairing code for a client to claim
  pairing approve <code> [--merchant ID]  approve a client's pairing request
  api-key --dialect greenfield|btpay [--merchant ID] [--permission P]... [--label L]
                                          create an API key of a dialect that uses them (default:
                                          greenfield: every store permission on the merchant's
                                          store; btpay: read and write)
  api-key revoke <key>                    revoke an API key of any dialect
  pay <invoiceId> [--amount BTC | --percent P] [--rbf]
                                          pay an invoice from the simulated wallet (default: the amount due);
                                          any dialect's name for it works (INV-0001 for btpay's)
  wire <invoiceId>                        a bank transfer paying a btpay invoice that takes wires arrived
  mine [n]                                mine n blocks (default 1)
  invoices [--status S] [--merchant ID]   list the newest invoices, every dialect's
  webhooks [--invoice ID] [--follow]      the webhook delivery log, newest last; --follow prints new
                                          deliveries and attempts as they happen (Ctrl-C to stop)
  reset [--keep-tokens]                   wipe invoices, chain and (unless kept) merchants and tokens
  clock advance <duration>                move the virtual clock, e.g. 16m, 1h30m
  certs [--host NAME]... [--force]        create a local CA and a certificate for test.bitpay.com,
                                          localhost and the NAMEs, in CERTS_DIR (default DATA_DIR/certs)

Settings (env var or flag): ${Object.values(SETTING_NAMES)
  .map((name) => `${name} (--${flagName(name)})`)
  .join(', ')}.
Commands that talk to a running emulator use --url (default http://HOST:PORT/) and SANDBOX_TOKEN.`;

function flagName(envName: string): string {
  return envName.toLowerCase().replace(/_/g, '-');
}

class UsageError extends Error {}

function configFrom(flags: Flags): Config {
  const input: ConfigInput = configInputFromEnv(process.env);
  for (const [key, envName] of Object.entries(SETTING_NAMES) as [keyof Config, string][]) {
    const value = flags[flagName(envName)];
    // --host may repeat (certs takes several names); a setting takes the last one.
    if (value !== undefined) input[key] = Array.isArray(value) ? (value.at(-1) as string) : value;
  }
  return resolveConfig(input);
}

const BOOLEAN_SETTINGS = new Set(['AUTO_APPROVE', 'WEBHOOK_HTTPS_ONLY']);

const settingOptions = Object.fromEntries(
  Object.values(SETTING_NAMES).map((name) => [
    flagName(name),
    { type: BOOLEAN_SETTINGS.has(name) ? ('boolean' as const) : ('string' as const), multiple: name === 'HOST' },
  ]),
);

/** Calls a running emulator's sandbox API (--url, or the configured address) with SANDBOX_TOKEN. */
async function sandboxRequest(flags: Flags, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const config = configFrom(flags);
  const base = (flags.url as string | undefined) ?? config.publicUrl ?? defaultPublicUrl(config.host, config.port);
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

/** What a person starting the server on a terminal needs first: where everything is, and what to do next. */
function banner(server: RunningServer, config: Config): string {
  const database = config.databaseUrl ? `PostgreSQL (${server.engine.config.databaseUrl?.replace(/\/\/[^@/]*@/, '//')})` : config.dataDir === 'memory' ? 'embedded, in memory' : `embedded, in ${config.dataDir}`;
  const port = new URL(server.url).port;
  const prefix = port === '8088' ? '' : `PORT=${port} `;
  return [
    '',
    `  bitpay-emulator is running`,
    `  API          ${server.url}   (${server.dialects.map((d) => d.name).join(', ')})`,
    `  dashboard    ${server.url}dashboard`,
    `  checkout     ${server.url}i/<invoiceId>`,
    `  database     ${database}`,
    `  clock        ${config.clock}${config.blockIntervalMs > 0 ? `, a block every ${config.blockIntervalMs / 1000} s` : ', blocks on request'}`,
    '',
    `  next: ${prefix}npx bitpay-emulator keys new`,
    `        ${prefix}npx bitpay-emulator pairing create --facade merchant`,
    '',
    '',
  ].join('\n');
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
      dialect: { type: 'string' },
      permission: { type: 'string', multiple: true },
      amount: { type: 'string' },
      percent: { type: 'string' },
      rbf: { type: 'boolean' },
      force: { type: 'boolean' },
      status: { type: 'string' },
      invoice: { type: 'string' },
      follow: { type: 'boolean' },
      'keep-tokens': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || positionals.length === 0) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const name = Object.keys(COMMANDS)
    .filter((n) => n.split(' ').every((word, i) => positionals[i] === word))
    .sort((a, b) => b.length - a.length)[0];
  if (!name) throw new UsageError(`unknown command "${positionals.join(' ')}"`);
  await (COMMANDS[name] as Command)(positionals.slice(name.split(' ').length), values);
}

type Flags = Record<string, string | boolean | (string | boolean)[] | undefined>;
type Command = (args: string[], flags: Flags) => Promise<void>;

const COMMANDS: Record<string, Command> = {
  async start(_args, flags) {
    const config = configFrom(flags);
    // Loaded here so that the commands that only talk to a running server start quickly.
    const { startServer } = await import('./server.js');
    const server = await startServer(config);
    if (wantsPrettyLogs(config.logFormat)) process.stdout.write(banner(server, config));
    const stop = async (signal: string) => {
      process.stdout.write(`\n${signal}: stopping…\n`);
      const { requestsDrained, webhooksQueued } = await server.close();
      const queued = webhooksQueued === 0 ? 'no webhook left to send' : `${webhooksQueued} webhook${webhooksQueued === 1 ? '' : 's'} still queued (sent after the next start)`;
      process.stdout.write(`stopped: ${requestsDrained} request${requestsDrained === 1 ? '' : 's'} in flight finished, ${queued}\n`);
      process.exit(0);
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
  },

  async 'keys new'() {
    const key = new elliptic.ec('secp256k1').genKeyPair();
    const publicKey = key.getPublic().encodeCompressed('hex');
    process.stdout.write(
      `private key: ${key.getPrivate('hex').padStart(64, '0')}\npublic key:  ${publicKey}\nSIN:         ${sinFromPublicKey(Buffer.from(publicKey, 'hex'))}\n`,
    );
  },

  async 'pairing create'(_args, flags) {
    const token = await sandboxRequest(flags, 'POST', 'sandbox/pairing-codes', {
      facade: flags.facade ?? 'pos',
      requireAuth: flags['require-auth'] ?? false,
      ...(flags.label ? { label: flags.label } : {}),
      ...(flags.merchant ? { merchantId: flags.merchant } : {}),
    });
    printToken(token);
  },

  async 'pairing approve'([code], flags) {
    if (!code) throw new UsageError('pairing approve needs the pairing code');
    const path = `sandbox/pairing-codes/${encodeURIComponent(code)}/approve`;
    printToken(await sandboxRequest(flags, 'POST', path, flags.merchant ? { merchantId: flags.merchant } : {}));
  },

  async 'api-key'([action, apiKey], flags) {
    if (action === 'revoke') {
      if (!apiKey) throw new UsageError('api-key revoke needs the key');
      await sandboxRequest(flags, 'DELETE', `sandbox/api-keys/${encodeURIComponent(apiKey)}`);
      process.stdout.write(`revoked ${apiKey}\n`);
      return;
    }
    if (action !== undefined) throw new UsageError(`api-key takes --dialect to create a key, or revoke <key> (not "${action}")`);
    if (!flags.dialect) throw new UsageError('api-key needs --dialect (greenfield or btpay)');
    const key = await sandboxRequest(flags, 'POST', 'sandbox/api-keys', {
      dialect: flags.dialect,
      ...(flags.merchant ? { merchantId: flags.merchant } : {}),
      ...(flags.permission ? { permissions: flags.permission } : {}),
      ...(flags.label ? { label: flags.label } : {}),
    });
    const lines = [`api key:     ${key.apiKey}`, `dialect:     ${key.dialect}`, `merchant:    ${key.merchantId}`];
    if (key.storeId) lines.push(`store:       ${key.storeId}`);
    lines.push(`permissions: ${(key.permissions as string[]).join('\n             ')}`);
    process.stdout.write(`${lines.join('\n')}\n`);
  },

  async pay([invoiceId], flags) {
    if (!invoiceId) throw new UsageError('pay needs the invoice id');
    if (flags.amount !== undefined && flags.percent !== undefined) throw new UsageError('give --amount or --percent, not both');
    const payment = await sandboxRequest(flags, 'POST', `sandbox/invoices/${encodeURIComponent(invoiceId)}/payments`, {
      ...(flags.amount !== undefined ? { amount: flags.amount } : {}),
      ...(flags.percent !== undefined ? { percent: Number(flags.percent) } : {}),
      ...(flags.rbf ? { rbf: true } : {}),
    });
    const invoice = payment.invoice as Record<string, unknown>;
    const exception = invoice.exceptionStatus ? ` (${invoice.exceptionStatus})` : '';
    process.stdout.write(
      `txid:    ${payment.txid}\namount:  ${payment.amountBtc} BTC to ${payment.address}\ninvoice: ${invoice.id} is ${invoice.status}${exception}, ${invoice.btcDue} BTC due\n`,
    );
  },

  async wire([invoiceId], flags) {
    if (!invoiceId) throw new UsageError('wire needs the invoice id or number');
    const invoice = await sandboxRequest(flags, 'POST', `sandbox/invoices/${encodeURIComponent(invoiceId)}/wire`, {});
    process.stdout.write(`invoice: ${invoice.id} is ${invoice.status}: the wire was received\n`);
  },

  async invoices(_args, flags) {
    const query = new URLSearchParams({ ...(flags.status ? { status: String(flags.status) } : {}), ...(flags.merchant ? { merchantId: String(flags.merchant) } : {}) });
    const invoices = (await sandboxRequest(flags, 'GET', `sandbox/invoices${query.size ? `?${query}` : ''}`)) as unknown as Record<string, unknown>[];
    if (invoices.length === 0) process.stdout.write('no invoices\n');
    for (const i of invoices) {
      const exception = i.exceptionStatus ? ` (${i.exceptionStatus})` : '';
      process.stdout.write(`${new Date(Number(i.invoiceTime)).toISOString()}  ${i.id}  ${String(i.status).padEnd(9)}${exception}  ${i.price} ${i.currency}  ${i.dialect}${i.orderId ? `  order ${i.orderId}` : ''}\n`);
    }
  },

  async webhooks(_args, flags) {
    const path = `sandbox/webhooks${flags.invoice ? `?invoiceId=${encodeURIComponent(String(flags.invoice))}` : ''}`;
    const seen = new Map<string, number>();
    const print = async () => {
      const deliveries = ((await sandboxRequest(flags, 'GET', path)) as unknown as Record<string, any>[]).reverse();
      for (const d of deliveries) {
        const attempts = (d.attempts as Record<string, any>[]) ?? [];
        const known = seen.get(d.id) ?? -1;
        if (known === -1 && attempts.length === 0) {
          process.stdout.write(`${d.id}  ${d.event.name}${d.event.code ? ` (${d.event.code})` : ''}  ${d.invoiceId ?? d.payoutId ?? d.recipientId ?? d.billId ?? ''}  → ${d.url}  ${d.status}\n`);
        }
        for (const a of attempts.slice(Math.max(known, 0))) {
          const answer = a.response ? `HTTP ${a.response.status}` : (a.error ?? 'no answer');
          process.stdout.write(`${d.id}  ${d.event.name}${d.event.code ? ` (${d.event.code})` : ''}  ${d.invoiceId ?? d.payoutId ?? d.recipientId ?? d.billId ?? ''}  → ${d.url}  attempt ${a.number}: ${answer}${a.delivered ? ' delivered' : ''}\n`);
        }
        seen.set(d.id, attempts.length);
      }
    };
    await print();
    if (!flags.follow) return;
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await print();
    }
  },

  async reset(_args, flags) {
    await sandboxRequest(flags, 'POST', 'sandbox/reset', { keepTokens: flags['keep-tokens'] === true });
    process.stdout.write(`reset: invoices, chain, ledgers and webhooks wiped${flags['keep-tokens'] ? '; merchants, tokens and API keys kept' : ', and merchants, tokens and API keys'}\n`);
  },

  async mine([count = '1'], flags) {
    if (!/^[1-9][0-9]*$/.test(count)) throw new UsageError('mine takes a positive number of blocks');
    const blocks = (await sandboxRequest(flags, 'POST', 'sandbox/blocks', { count: Number(count) })) as unknown as { height: number }[];
    process.stdout.write(`mined ${blocks.length} block${blocks.length === 1 ? '' : 's'}; height ${blocks.at(-1)?.height}\n`);
  },

  async certs(_args, flags) {
    const names = ([] as unknown[]).concat(flags.host ?? []).map(String);
    const dir = certificatesDir(configFrom({ ...flags, host: undefined }));
    const { createCertificates, DEFAULT_CERTIFICATE_HOSTS } = await import('./crypto/certificates.js');
    const files = createCertificates(dir, names, { force: flags.force === true });
    process.stdout.write(
      `CA certificate:     ${files.caCert}  (trust this one)\nserver certificate: ${files.cert}\nserver key:         ${files.key}\n` +
        `names: ${[...new Set([...DEFAULT_CERTIFICATE_HOSTS, ...names])].join(', ')}\nserve HTTPS with HTTPS_PORT=443 (or any port) and the same CERTS_DIR/DATA_DIR\n`,
    );
  },

  async 'clock advance'([duration], flags) {
    if (!duration) throw new UsageError('clock advance needs a duration, e.g. 16m');
    const clock = await sandboxRequest(flags, 'POST', 'sandbox/clock', { advance: duration });
    process.stdout.write(`clock: ${clock.iso}\n`);
  },
};

function isUsageError(error: unknown): boolean {
  return error instanceof UsageError || String((error as NodeJS.ErrnoException)?.code).startsWith('ERR_PARSE_ARGS');
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  const usage = isUsageError(error);
  process.stderr.write(`bitpay-emulator: ${message}\n${usage ? `\n${USAGE}\n` : ''}`);
  process.exit(usage || error instanceof ConfigError ? 2 : 1);
});
