/**
 * `npm run bench`: load benchmarks of the emulator on PostgreSQL and on the embedded database,
 * against a bare Koa server measured in the same run (the floor). Results go to bench/results/.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, hostname, totalmem, type as osType, release } from 'node:os';
import autocannon from 'autocannon';
import pg from 'pg';
import secp256k1 from 'secp256k1';
import { sinFromPublicKey } from '../src/crypto/sin.js';
import { BENCH_SERVER_URL, withBenchDatabase } from './database.js';
import { startProcess, type Started } from './processes.js';

const CONNECTIONS = 32;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);

interface Measured {
  scenario: string;
  backend: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  peakRssMb: number;
  ratioToFloor?: number;
}

/** A client key, signing with libsecp256k1 (fast enough to pre-sign tens of thousands of bodies). */
function clientKey() {
  let privateKey: Buffer;
  do privateKey = randomBytes(32);
  while (!secp256k1.privateKeyVerify(privateKey));
  const publicKey = Buffer.from(secp256k1.publicKeyCreate(privateKey, true));
  return {
    identity: publicKey.toString('hex'),
    sin: sinFromPublicKey(publicKey),
    sign: (text: string) => {
      const { signature } = secp256k1.ecdsaSign(createHash('sha256').update(text, 'utf8').digest(), privateKey);
      return Buffer.from(secp256k1.signatureExport(signature)).toString('hex');
    },
  };
}

async function json(url: string, init: RequestInit = {}): Promise<any> {
  const response = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...(init.headers ?? {}) } });
  const body = await response.json();
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

/** One scenario: a warm-up (the JIT compiles the hot path, caches fill), then the measured window. */
async function run(options: autocannon.Options): Promise<autocannon.Result> {
  const warmup = { connections: CONNECTIONS, duration: WARMUP_SECONDS };
  return autocannon({ connections: CONNECTIONS, duration: SECONDS, ...options, warmup } as autocannon.Options);
}

function measured(scenario: string, backend: string, result: autocannon.Result, server: Started): Measured {
  return {
    scenario,
    backend,
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    peakRssMb: server.peakRssMb(),
  };
}

async function benchEmulator(backend: string, env: Record<string, string>): Promise<Measured[]> {
  const server = await startProcess(process.execPath, ['dist/cli.js', 'start'], { LOG_LEVEL: 'warn', BLOCK_INTERVAL: '0', CLOCK: 'system', ...env }, 'rates');
  try {
    const base = server.url;
    const key = clientKey();
    const [pairing] = (await json(`${base}tokens`, { method: 'POST', body: JSON.stringify({ id: key.sin, facade: 'merchant' }) })).data;
    await json(`${base}sandbox/pairing-codes/${pairing.pairingCode}/approve`, { method: 'POST', body: '{}' });
    const merchantToken = pairing.token as string;
    const posToken = (await json(`${base}sandbox/pairing-codes`, { method: 'POST', body: JSON.stringify({ facade: 'pos' }) })).token as string;

    // Every signed request gets its own body and signature, made before the timed window.
    const signed = Array.from({ length: 80_000 }, (_, i) => {
      const body = JSON.stringify({ price: 10 + (i % 1000) / 100, currency: 'USD', orderId: `bench-${i}`, token: merchantToken });
      return { body, headers: { 'content-type': 'application/json', 'x-accept-version': '2.0.0', 'x-identity': key.identity, 'x-signature': key.sign(`${base}invoices${body}`) } };
    });
    let next = 0;
    const results: Measured[] = [];

    results.push(
      measured('signed merchant POST /invoices', backend, await run({
        url: `${base}invoices`,
        requests: [{ method: 'POST', setupRequest: (request) => ({ ...request, ...(signed[next++ % signed.length] as object) }) }],
      }), server),
    );
    results.push(
      measured('unsigned pos POST /invoices', backend, await run({
        url: `${base}invoices`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ price: 10, currency: 'USD', token: posToken }),
      }), server),
    );

    const invoice = (await json(`${base}invoices`, { method: 'POST', body: JSON.stringify({ price: 5, currency: 'USD', token: posToken }) })).data;
    results.push(measured('GET /invoices/:id', backend, await run({ url: `${base}invoices/${invoice.id}?token=${posToken}` }), server));

    // A merchant of its own, with exactly 50 invoices for the list.
    const shop = await json(`${base}sandbox/merchants`, { method: 'POST', body: JSON.stringify({ name: 'List shop' }) });
    const listCode = await json(`${base}sandbox/pairing-codes`, { method: 'POST', body: JSON.stringify({ facade: 'merchant', merchantId: shop.id }) });
    await json(`${base}tokens`, { method: 'POST', body: JSON.stringify({ id: key.sin, pairingCode: listCode.pairingCode }) });
    const shopPos = (await json(`${base}sandbox/pairing-codes`, { method: 'POST', body: JSON.stringify({ facade: 'pos', merchantId: shop.id }) })).token;
    for (let i = 0; i < 50; i++) await json(`${base}invoices`, { method: 'POST', body: JSON.stringify({ price: 1 + i, currency: 'USD', token: shopPos }) });
    const today = new Date().toISOString().slice(0, 10);
    const listUrl = `${base}invoices?dateStart=${today}&dateEnd=${today}&limit=50&token=${listCode.token}`;
    const list = await json(listUrl, { headers: { 'x-identity': key.identity, 'x-signature': key.sign(listUrl) } });
    if (list.data.length !== 50) throw new Error(`expected 50 invoices in the list, got ${list.data.length}`);
    results.push(
      measured('GET /invoices (list of 50)', backend, await run({ url: listUrl, headers: { 'x-identity': key.identity, 'x-signature': key.sign(listUrl) } }), server),
    );
    return results;
  } finally {
    await server.stop();
  }
}

function table(rows: Measured[]): string {
  const lines = [
    '| scenario | backend | req/s | ratio to floor | p50 ms | p99 ms | errors | non-2xx | peak RSS MB |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    lines.push(`| ${r.scenario} | ${r.backend} | ${r.requestsPerSecond} | ${r.ratioToFloor?.toFixed(2) ?? ''} | ${r.p50Ms} | ${r.p99Ms} | ${r.errors} | ${r.non2xx} | ${r.peakRssMb} |`);
  }
  return lines.join('\n');
}

async function main() {
  const pgVersion = await (async () => {
    const client = new pg.Client({ connectionString: BENCH_SERVER_URL });
    await client.connect();
    const { rows } = await client.query('SHOW server_version');
    await client.end();
    return rows[0].server_version as string;
  })();
  const machine = {
    host: hostname(),
    os: `${osType()} ${release()}`,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    postgres: pgVersion,
    connections: CONNECTIONS,
    secondsPerScenario: SECONDS,
    warmupSecondsPerScenario: WARMUP_SECONDS,
  };

  const floorServer = await startProcess(process.execPath, ['--import', 'tsx', 'bench/floor.ts'], {});
  const floor = measured('bare Koa, fixed JSON (floor)', 'none', await run({ url: floorServer.url }), floorServer);
  await floorServer.stop();

  const rows: Measured[] = [floor];
  rows.push(...(await withBenchDatabase(`bitpay_emulator_bench_${process.pid}`, (url) => benchEmulator('postgres', { DATABASE_URL: url }))));
  rows.push(...(await benchEmulator('embedded', { DATA_DIR: 'memory' })));
  for (const row of rows) row.ratioToFloor = row.requestsPerSecond / floor.requestsPerSecond;

  const stamp = new Date().toISOString().slice(0, 10);
  const report = `# Benchmark ${stamp}\n\nMachine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB, ${machine.os}; Node ${machine.node}; PostgreSQL ${machine.postgres}.\n` +
    `${CONNECTIONS} connections, ${SECONDS} s per scenario after ${WARMUP_SECONDS} s of warm-up (autocannon), emulator with LOG_LEVEL=warn.\n\n${table(rows)}\n`;
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(`bench/results/${stamp}-${machine.host}.json`, `${JSON.stringify({ machine, results: rows }, null, 2)}\n`);
  writeFileSync('bench/results/latest.md', report);
  process.stdout.write(report);
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
