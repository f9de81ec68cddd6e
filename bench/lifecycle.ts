/**
 * `npm run bench:lifecycle`: (1) 10,000 paid invoices, 6 blocks mined: how long until all are
 * complete and every webhook reached a local receiver; (2) one scheduler pass over 1,000,000
 * stored invoices with nothing due, and the plan PostgreSQL uses for it. Each is set against a
 * baseline measured in the same run: the same webhook POSTs sent by a bare client, and a
 * `SELECT 1` round trip.
 */
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { cpus, hostname, totalmem } from 'node:os';
import { sql } from 'kysely';
import pg from 'pg';
import { resolveConfig } from '../src/config.js';
import { openDatabase } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { systemRandom } from '../src/domain/ids.js';
import { createAddressBook } from '../src/engine/address-book.js';
import { createBatcher } from '../src/engine/batcher.js';
import { insertDrafts } from '../src/engine/bills.js';
import { insertInvoices, listInvoices } from '../src/engine/invoices.js';
import { createVersionedCache } from '../src/engine/cache.js';
import { openClock } from '../src/engine/clock.js';
import { drainDueWork } from '../src/engine/lifecycle.js';
import { createLogger } from '../src/logger.js';
import { withBenchDatabase } from './database.js';
import { startProcess } from './processes.js';

const INVOICES = Number(process.env.BENCH_INVOICES ?? 10_000);
const STORED = Number(process.env.BENCH_STORED ?? 1_000_000);
const LISTED_SMALL = 1_000;
/** Webhooks in flight at once, as in the emulator's delivery worker (two batches of 128). */
const SENDERS = 256;

async function post(url: string, body: unknown = {}): Promise<any> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return response.json();
}

async function inParallel(count: number, concurrency: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) await work(next++);
  }));
}

/** The baseline: `count` POSTs of `body` sent straight to `url` by a bare keep-alive client, SENDERS at a time. */
async function bareDeliverySeconds(url: string, body: string, count: number): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: SENDERS });
  const headers = { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) };
  const started = Date.now();
  await inParallel(count, SENDERS, () =>
    new Promise<void>((resolve, reject) => {
      const req = request(url, { method: 'POST', agent, headers }, (res) => res.resume().on('end', resolve));
      req.on('error', reject);
      req.end(body);
    }),
  );
  agent.destroy();
  return (Date.now() - started) / 1000;
}

async function paidInvoicesToComplete(): Promise<Record<string, number>> {
  const received = new Map<string, number>();
  let delivered = 0;
  let sampleBody = '';
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.url === '/ipn') {
        const id = req.headers['x-delivery-id'] as string;
        if (!received.has(id)) delivered++;
        received.set(id, Date.now());
        sampleBody ||= Buffer.concat(chunks).toString('utf8');
      }
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const notificationURL = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/ipn`;
  try {
    return await withBenchDatabase(`bitpay_emulator_lifecycle_${process.pid}`, async (databaseUrl) => {
      const server = await startProcess(process.execPath, ['dist/cli.js', 'start'], { DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', BLOCK_INTERVAL: '0', CLOCK: 'virtual' }, 'rates');
      try {
        const base = server.url;
        const pos = (await post(`${base}sandbox/pairing-codes`, { facade: 'pos' })).token;
        const ids: string[] = [];
        const setupStarted = Date.now();
        await inParallel(INVOICES, 32, async () => {
          ids.push((await post(`${base}invoices`, { token: pos, price: 1, currency: 'USD', notificationURL })).data.id);
        });
        await inParallel(INVOICES, 32, async (i) => void (await post(`${base}sandbox/invoices/${ids[i]}/payments`)));
        // The paid webhooks (1003) belong to the payments, before the measured window.
        while (delivered < INVOICES) await new Promise((resolve) => setTimeout(resolve, 50));
        const setupSeconds = (Date.now() - setupStarted) / 1000;

        const started = Date.now();
        await post(`${base}sandbox/blocks`, { count: 6 });
        const minedAt = Date.now();
        while (delivered < INVOICES * 3) await new Promise((resolve) => setTimeout(resolve, 20));
        const doneAt = Date.now();
        const client = new pg.Client({ connectionString: databaseUrl });
        await client.connect();
        const { rows } = await client.query(`SELECT count(*)::int AS n FROM invoices WHERE status = 'complete'`);
        await client.end();
        if (rows[0].n !== INVOICES) throw new Error(`${rows[0].n} of ${INVOICES} invoices are complete`);
        const allSeconds = (doneAt - started) / 1000;
        const baselineSeconds = await bareDeliverySeconds(notificationURL.replace(/ipn$/, 'baseline'), sampleBody, INVOICES * 2);
        return {
          invoices: INVOICES,
          setupSeconds,
          mineAndApplySeconds: (minedAt - started) / 1000,
          allCompleteAndDeliveredSeconds: allSeconds,
          webhooksPerSecond: Math.round((INVOICES * 2) / allSeconds),
          peakRssMb: server.peakRssMb(),
          webhookBodyBytes: Buffer.byteLength(sampleBody),
          baselineBarePostsSeconds: baselineSeconds,
          ratioToBaseline: Number((allSeconds / baselineSeconds).toFixed(2)),
        };
      } finally {
        await server.stop();
      }
    });
  } finally {
    receiver.close();
  }
}

/**
 * A list of 50 as the engine reads it for `GET /invoices` when nothing is cached (every row, newest
 * first, in a date range): the median of 100, in ms.
 */
async function listMs(db: Parameters<typeof listInvoices>[0], merchantId: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 110; i++) {
    const started = process.hrtime.bigint();
    const listed = await listInvoices(db, merchantId, { from: 0, to: Date.now(), limit: 50, offset: 0 });
    if (i >= 10) times.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (listed.length !== 50) throw new Error(`listed ${listed.length}`);
  }
  return Number((times.sort((a, b) => a - b)[times.length >> 1] as number).toFixed(3));
}

async function schedulerPassOverStoredInvoices(): Promise<{ result: Record<string, number>; plan: string; listPlan: string }> {
  return withBenchDatabase(`bitpay_emulator_scale_${process.pid}`, async (databaseUrl) => {
    const config = resolveConfig({ databaseUrl, logLevel: 'error' });
    const logger = createLogger('error');
    const database = await openDatabase(config, logger);
    try {
      await migrateToLatest(database.db);
      const merchant = 'benchMerchant';
      const small = 'smallMerchant';
      await sql`INSERT INTO merchants (id, name, created_at) VALUES (${merchant}, 'Bench', 0), (${small}, 'Small', 0)`.execute(database.db);
      // Invoices long settled: nothing is due. Rows are made by the server, in batches.
      const fill = (owner: string, prefix: string, from: number, to: number) => sql`
          INSERT INTO invoices (id, merchant_id, dialect, resource_token, event_token, api_token, facade, status, price, currency, rate,
            exchange_rates, subtotal_sats, miner_fee_sats, sats_per_byte, address, derivation_index, transaction_speed,
            full_notifications, extended_notifications, auto_redirect, buyer, buyer_provided, details, invoice_time, expiration_time, due_at)
          SELECT ${prefix} || g, ${owner}, 'bitpay', ${prefix} || 'rt' || g, ${prefix} || 'et' || g, 'tok', 'pos', 'complete', 10, 'USD', 65000,
            '{"BTC":{"USD":65000,"EUR":59950}}'::jsonb, 15385, 100, 1, ${prefix} || 'addr' || g, g, 'medium', true, false, false, '{}'::jsonb, '{}'::jsonb, '{"itemDesc":"Bench"}'::jsonb,
            1700000000000 + g, 1700000900000 + g, NULL
          FROM generate_series(${from}::bigint, ${to - 1}::bigint) AS g`.execute(database.db);
      await fill(small, 's', 0, LISTED_SMALL);
      await sql`ANALYZE invoices`.execute(database.db);
      const listFew = await listMs(database.db, small);
      const fillStarted = Date.now();
      for (let from = 0; from < STORED; from += 100_000) await fill(merchant, 'inv', from, Math.min(from + 100_000, STORED));
      // Done now rather than by autovacuum during the timings below: the first ones after a fill
      // of 1,000,000 rows ran beside it (measured: whichever list came first read up to 1.9 x slower).
      await sql`VACUUM ANALYZE invoices`.execute(database.db);
      const fillSeconds = (Date.now() - fillStarted) / 1000;
      const uncached = createVersionedCache<never, never>(() => null);
      const engine = {
        db: database.db,
        clock: await openClock(database.db, 'system'),
        random: systemRandom,
        config,
        logger,
        addresses: createAddressBook(database.db, () => ''),
        invoiceInserts: createBatcher((rows) => insertInvoices(engine, rows), { maxBatch: 1, maxInFlight: 1 }),
        billDrafts: createBatcher((rows) => insertDrafts(engine, rows), { maxBatch: 1, maxInFlight: 1 }),
        subscribers: [],
        caches: { tokens: uncached, rates: uncached, invoices: uncached, invoiceLists: uncached, apiKeys: uncached, merchants: uncached, bills: uncached, billLists: uncached, subscriptions: uncached },
      } as Parameters<typeof drainDueWork>[0];
      await drainDueWork(engine);
      const passes = 50;
      const started = process.hrtime.bigint();
      for (let i = 0; i < passes; i++) await drainDueWork(engine);
      const passMs = Number(process.hrtime.bigint() - started) / 1e6 / passes;
      const pingStarted = process.hrtime.bigint();
      for (let i = 0; i < passes; i++) await sql`SELECT 1`.execute(database.db);
      const roundTripMs = Number(process.hrtime.bigint() - pingStarted) / 1e6 / passes;
      const { rows } = await sql<{ 'QUERY PLAN': string }>`
        EXPLAIN ANALYZE SELECT * FROM invoices WHERE due_at <= ${Date.now()} ORDER BY due_at LIMIT 500 FOR UPDATE SKIP LOCKED`.execute(database.db);
      const listMany = await listMs(database.db, merchant);
      const listFewAmongMany = await listMs(database.db, small);
      const { rows: listPlan } = await sql<{ 'QUERY PLAN': string }>`
        EXPLAIN ANALYZE SELECT * FROM invoices WHERE merchant_id = ${merchant} AND invoice_time >= 0 AND invoice_time < ${Date.now()}
        ORDER BY invoice_time DESC, seq DESC LIMIT 50`.execute(database.db);
      const result = {
        storedInvoices: STORED,
        listOf50With1000StoredMs: listFew,
        listOf50NewestOfMillionMs: listMany,
        listOf50OfThe1000AmongMillionMs: listFewAmongMany,
        listRatioMillionTo1000: Number((listMany / listFew).toFixed(2)),
        fillSeconds,
        schedulerPassMs: Number(passMs.toFixed(3)),
        baselineSelect1Ms: Number(roundTripMs.toFixed(3)),
        ratioToBaseline: Number((passMs / roundTripMs).toFixed(2)),
      };
      return { result, plan: rows.map((r) => r['QUERY PLAN']).join('\n'), listPlan: listPlan.map((r) => r['QUERY PLAN']).join('\n') };
    } finally {
      await database.close();
    }
  });
}

const RUNS = Number(process.env.BENCH_RUNS ?? 3);

/** Each measure over the runs: the median and, in brackets, the lowest and highest. */
function table(runs: Record<string, number>[]): string {
  const cell = (values: number[]) => {
    const sorted = [...values].sort((x, y) => x - y);
    const median = sorted[sorted.length >> 1] as number;
    return sorted.length === 1 ? String(median) : `${median} (${sorted[0]}–${sorted[sorted.length - 1]})`;
  };
  return ['| measure | median (lowest–highest) |', '|---|---:|', ...Object.keys(runs[0] ?? {}).map((key) => `| ${key} | ${cell(runs.map((run) => run[key] as number))} |`)].join('\n');
}

async function main() {
  const lifecycles: Record<string, number>[] = [];
  const scales: Awaited<ReturnType<typeof schedulerPassOverStoredInvoices>>[] = [];
  for (let i = 0; i < RUNS; i++) {
    lifecycles.push(await paidInvoicesToComplete());
    scales.push(await schedulerPassOverStoredInvoices());
    process.stderr.write(`run ${i + 1} of ${RUNS} done\n`);
  }
  const scale = scales[scales.length - 1] as (typeof scales)[number];
  const machine = { host: hostname(), cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version };
  const stamp = new Date().toISOString().slice(0, 10);
  const report =
    `# Lifecycle benchmark ${stamp}\n\nMachine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB; Node ${machine.node}; PostgreSQL. ${RUNS} runs.\n\n` +
    `## ${INVOICES} paid invoices, 6 blocks mined\n\n${table(lifecycles)}` +
    `\n\n## Scheduler pass and a list of 50 over ${STORED} stored invoices, nothing due\n\n${table(scales.map((s) => s.result))}` +
    `\n\nPlan of the due-work query (last run):\n\n\`\`\`\n${scale.plan}\n\`\`\`\n\nPlan of the list of 50, the newest of the merchant with ${STORED} (last run):\n\n\`\`\`\n${scale.listPlan}\n\`\`\`\n`;
  writeFileSync(`bench/results/lifecycle-${stamp}-${machine.host}.json`, `${JSON.stringify({ machine, lifecycles, scales }, null, 2)}\n`);
  writeFileSync('bench/results/lifecycle-latest.md', report);
  process.stdout.write(report);
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
