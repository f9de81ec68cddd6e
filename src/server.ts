import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { EngineError } from './errors.js';
import { certificatesDir, defaultPublicUrl, type Config } from './config.js';
import { loadServerCertificate } from './crypto/certificates.js';
import { openDatabase } from './db/connect.js';
import { migrateToLatest } from './db/migrate.js';
import { systemRandom, type RandomSource } from './domain/ids.js';
import { createAddressDeriver } from './chain/addresses.js';
import { createAddressBook } from './engine/address-book.js';
import { createVersionedCache } from './engine/cache.js';
import { INVOICE_READ_TABLES, insertInvoices } from './engine/invoices.js';
import { SUBSCRIPTION_READ_TABLES } from './engine/webhook-subscriptions.js';
import { createBatcher } from './engine/batcher.js';
import { ensureGenesis } from './engine/chain.js';
import { openClock } from './engine/clock.js';
import { createSandbox, type Sandbox } from './sandbox/controls.js';
import { RATE_READ_TABLES, seedRates } from './engine/rates.js';
import { fixtures } from './fixtures.js';
import type { EngineContext } from './engine/context.js';
import { ensureDefaultMerchant } from './engine/merchants.js';
import { TOKEN_READ_TABLES } from './engine/tokens.js';
import { API_KEY_READ_TABLES } from './engine/api-keys.js';
import { BILL_READ_TABLES, insertDrafts } from './engine/bills.js';
import { createApp } from './http/app.js';
import { clientErrorAnswer } from './http/client-errors.js';
import { errorShapes } from './http/errors.js';
import type { Dialect } from './dialects/dialect.js';
import { FALLBACK_DIALECT, servedDialects } from './dialects/registry.js';
import { createConsoleLogger, type Logger } from './logger.js';
import { startScheduler } from './scheduler/scheduler.js';
import { startDeliveryWorker, type DeliveryWorker } from './webhooks/worker.js';

export interface RunningServer {
  /** The base URL clients use, always ending in '/'. */
  url: string;
  /** The HTTPS base URL when HTTPS_PORT is set. */
  httpsUrl: string | null;
  engine: EngineContext;
  sandbox: Sandbox;
  webhooks: DeliveryWorker;
  /** The dialects served (DIALECTS). */
  dialects: readonly Dialect[];
  /** Stops gracefully (requests in flight finish) and says what it drained. */
  close(): Promise<StopSummary>;
}

export interface StopSummary {
  /** requests that were in flight when it began to stop, and were let finish */
  requestsDrained: number;
  /** webhooks still queued: they are sent after the next start */
  webhooksQueued: number;
}

/** How often the scheduler and the webhook worker look for due work when nothing wakes them. */
const LOOP_INTERVAL_MS = 250;
/** Webhooks per delivery batch (to different invoices; one invoice's go out in order); two batches may be in flight. */
const WEBHOOK_BATCH = 128;
/** Invoice and draft creations that arrive together are written in shared statements (see engine/batcher.ts). */
const INSERT_LIMITS = { maxBatch: 64, maxInFlight: 4 };

export interface ServerOptions {
  logger?: Logger;
  random?: RandomSource;
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/** How long requests in flight may take to finish when the server stops. */
const DRAIN_MS = 5_000;

/**
 * Stops accepting connections and lets the requests in flight finish (they still need the
 * database, which closes after this), then cuts whatever is left.
 */
function drain(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    const idle = setInterval(() => server.closeIdleConnections(), 50);
    const force = setTimeout(() => server.closeAllConnections(), DRAIN_MS);
    server.close(() => {
      clearInterval(idle);
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/** The composition root: database → clock → engine → scheduler → webhooks → dialects → HTTP. */
export async function startServer(config: Config, options: ServerOptions = {}): Promise<RunningServer> {
  const dialects = servedDialects(config.dialects);
  const logger = options.logger ?? createConsoleLogger(config.logLevel, config.logFormat);
  const database = await openDatabase(config, logger);
  const stoppers: (() => Promise<void>)[] = [() => database.close()];
  const stopAll = async () => {
    for (const stop of stoppers.reverse()) await stop();
  };
  try {
    await migrateToLatest(database.db);
    const cacheOf = <K, V>(tables: string[]) => createVersionedCache<K, V>(() => database.changes.version(tables));
    const engine: EngineContext = {
      db: database.db,
      clock: await openClock(database.db, config.clock),
      random: options.random ?? systemRandom,
      config,
      logger,
      addresses: createAddressBook(database.db, createAddressDeriver(config.btcXpub ?? fixtures.bitcoin.accountXpub, config.btcNetwork)),
      invoiceInserts: createBatcher((rows) => insertInvoices(engine, rows), INSERT_LIMITS),
      billDrafts: createBatcher((rows) => insertDrafts(engine, rows), INSERT_LIMITS),
      subscribers: dialects.flatMap((dialect) => (dialect.subscriber ? [dialect.subscriber] : [])),
      caches: {
        tokens: cacheOf(TOKEN_READ_TABLES),
        rates: cacheOf(RATE_READ_TABLES),
        invoices: cacheOf(INVOICE_READ_TABLES),
        invoiceLists: cacheOf(INVOICE_READ_TABLES),
        apiKeys: cacheOf(API_KEY_READ_TABLES),
        merchants: cacheOf(['merchants']),
        bills: cacheOf(BILL_READ_TABLES),
        billLists: cacheOf(BILL_READ_TABLES),
        subscriptions: cacheOf(SUBSCRIPTION_READ_TABLES),
      },
    };
    await ensureDefaultMerchant(engine);
    await seedRates(engine);
    await ensureGenesis(engine);

    // Known once the port is: until then no webhook is sent (the loops start after listen).
    let publicUrl = config.publicUrl ?? '';
    const formats = new Map(dialects.flatMap((dialect) => (dialect.webhookFormat ? [[dialect.name, dialect.webhookFormat(engine)] as const] : [])));
    const webhooks = startDeliveryWorker(engine, { publicUrl: () => publicUrl, pollMs: LOOP_INTERVAL_MS, batchSize: WEBHOOK_BATCH, formats });
    stoppers.push(() => webhooks.stop());
    const scheduler = startScheduler(engine, LOOP_INTERVAL_MS, webhooks.wake);
    stoppers.push(() => scheduler.stop());
    const sandbox = createSandbox(engine, scheduler, webhooks);

    const shapes = errorShapes(dialects, FALLBACK_DIALECT);
    const app = createApp({ engine, sandbox, publicUrl: () => publicUrl, dialects, shapes });
    let inFlight = 0;
    let drained = 0;
    let webhooksQueued = 0;
    const countWebhooks = async () => {
      const row = await engine.db.selectFrom('webhook_deliveries').select((eb) => eb.fn.countAll<string>().as('n')).where('status', '=', 'pending').executeTakeFirst();
      webhooksQueued = Number(row?.n ?? 0);
    };
    stoppers.push(() => countWebhooks().catch(() => undefined));
    const serve = async (server: Server, port: number) => {
      server.on('request', (_req, res) => {
        inFlight += 1;
        res.once('close', () => (inFlight -= 1));
      });
      const refuse = clientErrorAnswer(shapes);
      server.on('clientError', refuse);
      // Node answers these itself, with no body, unless told otherwise: CONNECT (no tunnels here)
      // and an Expect header other than 100-continue.
      server.on('connect', (req, socket) => refuse(Object.assign(new Error('CONNECT'), { code: 'HPE_INVALID_METHOD', rawPacket: Buffer.from(`CONNECT ${req.url ?? '/'} `) }), socket as Socket));
      server.on('checkExpectation', (req, res) => {
        const body = JSON.stringify(shapes(req.url ?? '/').errorBody(req.method ?? '', new EngineError('invalid', `Unsupported Expect header: ${req.headers.expect}`, { subject: 'request' })));
        res.writeHead(417, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body), Connection: 'close' });
        res.end(body);
      });
      const address = await listen(server, port, config.host);
      stoppers.push(async () => {
        drained += inFlight;
        await drain(server);
      });
      return address.port;
    };
    const port = await serve(createServer({ requireHostHeader: false }, app.callback()), config.port);
    const httpsPort =
      config.httpsPort === null ? null : await serve(createHttpsServer({ ...loadServerCertificate(certificatesDir(config)), requireHostHeader: false }, app.callback()), config.httpsPort);
    publicUrl = config.publicUrl ?? defaultPublicUrl(config.host, port);
    const url = defaultPublicUrl(config.host, port);
    const httpsUrl = httpsPort === null ? null : defaultPublicUrl(config.host, httpsPort).replace(/^http:/, 'https:');
    logger.info('listening', { url, httpsUrl, publicUrl, database: database.kind, location: database.location, dialects: dialects.map((d) => d.name) });
    const close = async (): Promise<StopSummary> => {
      await stopAll();
      return { requestsDrained: drained, webhooksQueued };
    };
    return { url, httpsUrl, engine, sandbox, webhooks, dialects, close };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
