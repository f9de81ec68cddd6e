/**
 * `npm run bench`: load benchmarks of the emulator on PostgreSQL and on the embedded database,
 * against a bare Koa server measured in the same run (the floor). Results go to bench/results/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, hostname, totalmem, type as osType, release } from 'node:os';
import autocannon from 'autocannon';
import pg from 'pg';
import { BENCH_SERVER_URL, withBenchDatabase } from './database.js';
import { startProcess, type Started } from './processes.js';
import { dialectScenarios, loadScenarios } from './scenarios.js';

const CONNECTIONS = 32;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

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

/** BitPay's scenario each dialect scenario is set against (the same work in BitPay's words). */
const BITPAY_EQUIVALENT: Record<string, string> = {
  'Greenfield POST invoices': 'unsigned pos POST /invoices',
  'Greenfield GET invoice': 'GET /invoices/:id',
  'Greenfield GET invoices (list of 50)': 'GET /invoices (list of 50)',
  'btpay POST invoices (draft)': 'unsigned pos POST /invoices',
  'btpay GET invoice': 'GET /invoices/:id',
  'btpay GET invoices (list of 50)': 'GET /invoices (list of 50)',
};

async function benchEmulator(backend: string, env: Record<string, string>): Promise<Measured[]> {
  const server = await startProcess(process.execPath, ['dist/cli.js', 'start'], { LOG_LEVEL: 'warn', BLOCK_INTERVAL: '0', CLOCK: 'system', ...env }, 'rates');
  try {
    const results: Measured[] = [];
    for (const scenario of [...(await loadScenarios(server.url)), ...(await dialectScenarios(server.url))]) {
      results.push(measured(scenario.name, backend, await run(scenario.options as autocannon.Options), server));
    }
    return results;
  } finally {
    await server.stop();
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};
const spread = (values: number[], digits: number) => `${median(values).toFixed(digits)} (${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})`;

/** Each scenario over the runs: the median and, in brackets, the lowest and highest. */
function table(runs: Measured[][]): string {
  const lines = [
    '| scenario | backend | req/s | ratio to floor | vs BitPay | p99 ms | errors | non-2xx | peak RSS MB |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const first = runs[0] as Measured[];
  for (const row of first) {
    const same = runs.map((rows) => rows.find((r) => r.scenario === row.scenario && r.backend === row.backend) as Measured);
    const equivalent = BITPAY_EQUIVALENT[row.scenario];
    const versus = equivalent
      ? spread(runs.map((rows, i) => (same[i] as Measured).requestsPerSecond / (rows.find((r) => r.scenario === equivalent && r.backend === row.backend) as Measured).requestsPerSecond), 2)
      : '';
    lines.push(
      `| ${row.scenario} | ${row.backend} | ${spread(same.map((r) => r.requestsPerSecond), 0)} | ${spread(same.map((r) => r.ratioToFloor as number), 3)} | ${versus} | ` +
        `${spread(same.map((r) => r.p99Ms), 0)} | ${same.reduce((n, r) => n + r.errors, 0)} | ${same.reduce((n, r) => n + r.non2xx, 0)} | ${Math.max(...same.map((r) => r.peakRssMb))} |`,
    );
  }
  for (const backend of ['postgres', 'embedded']) {
    const ratios = runs.map((rows) => {
      const rps = (name: string) => (rows.find((r) => r.scenario === name && r.backend === backend) as Measured).requestsPerSecond;
      return rps('signed merchant POST /invoices') / rps('unsigned pos POST /invoices');
    });
    lines.push(`| signed create ÷ unsigned create | ${backend} | | | ${spread(ratios, 2)} | | | | |`);
  }
  return lines.join('\n');
}

async function oneRun(): Promise<Measured[]> {
  const floorServer = await startProcess(process.execPath, ['--import', 'tsx', 'bench/floor.ts'], {});
  const floor = measured('bare Koa, fixed JSON (floor)', 'none', await run({ url: floorServer.url }), floorServer);
  await floorServer.stop();
  const rows: Measured[] = [floor];
  rows.push(...(await withBenchDatabase(`bitpay_emulator_bench_${process.pid}`, (url) => benchEmulator('postgres', { DATABASE_URL: url }))));
  rows.push(...(await benchEmulator('embedded', { DATA_DIR: 'memory' })));
  for (const row of rows) row.ratioToFloor = row.requestsPerSecond / floor.requestsPerSecond;
  return rows;
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
    runs: RUNS,
  };

  const runs: Measured[][] = [];
  for (let i = 0; i < RUNS; i++) {
    runs.push(await oneRun());
    process.stderr.write(`run ${i + 1} of ${RUNS} done\n`);
  }

  const stamp = new Date().toISOString().slice(0, 10);
  const report =
    `# Benchmark ${stamp}\n\nMachine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB, ${machine.os}; Node ${machine.node}; PostgreSQL ${machine.postgres}.\n` +
    `${RUNS} runs, each with its own floor; ${CONNECTIONS} connections, ${SECONDS} s per scenario after ${WARMUP_SECONDS} s of warm-up (autocannon), emulator with LOG_LEVEL=warn. ` +
    `Each cell: the median of the runs (lowest–highest). "vs BitPay": the dialect scenario's req/s over BitPay's same scenario in the same run.\n\n${table(runs)}\n`;
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(`bench/results/${stamp}-${machine.host}.json`, `${JSON.stringify({ machine, runs }, null, 2)}\n`);
  writeFileSync('bench/results/latest.md', report);
  process.stdout.write(report);
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
