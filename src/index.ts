import { resolveConfig, type Config, type ConfigInput } from './config.js';
import { parseDuration } from './domain/duration.js';
import { seededRandom } from './domain/ids.js';
import { createMerchant } from './engine/merchants.js';
import { approvePairingCode, createPairingCode, listTokens, type ServerPairingRequest } from './engine/tokens.js';
import { presentSandboxMerchant, presentSandboxToken } from './http/sandbox/presenters.js';
import type { Logger } from './logger.js';
import { startServer } from './server.js';

export type { Config, ConfigInput } from './config.js';
export type { Logger } from './logger.js';

export interface EmulatorOptions extends ConfigInput {
  /** Seed for ids and tokens, for reproducible test runs. */
  seed?: string;
  logger?: Logger;
}

export interface Emulator {
  /** Base URL for SDK clients, ending in '/'. */
  url: string;
  config: Config;
  sandbox: {
    createMerchant(name: string): Promise<ReturnType<typeof presentSandboxMerchant>>;
    createPairingCode(request?: ServerPairingRequest): Promise<ReturnType<typeof presentSandboxToken>>;
    approvePairingCode(code: string, merchantId?: string): Promise<ReturnType<typeof presentSandboxToken>>;
    tokens(): Promise<ReturnType<typeof presentSandboxToken>[]>;
  };
  clock: {
    now(): number;
    /** Moves the virtual clock: milliseconds or a duration such as '16m'. */
    advance(duration: number | string): number;
  };
  close(): Promise<void>;
}

/** In-process defaults for test suites: any free port, in-memory database, virtual clock, quiet. */
const PROGRAMMATIC_DEFAULTS: ConfigInput = {
  port: 0,
  dataDir: 'memory',
  clock: 'virtual',
  blockIntervalMs: '0',
  logLevel: 'warn',
};

function toMs(duration: number | string): number {
  const ms = typeof duration === 'number' ? duration : parseDuration(duration);
  if (ms === null) throw new Error(`not a duration: ${duration}`);
  return ms;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const { seed, logger, ...input } = options;
  const config = resolveConfig({ ...PROGRAMMATIC_DEFAULTS, ...input });
  const server = await startServer(config, {
    ...(logger ? { logger } : {}),
    ...(seed !== undefined ? { random: seededRandom(seed) } : {}),
  });
  const { engine } = server;
  return {
    url: server.url,
    config,
    sandbox: {
      createMerchant: async (name) => presentSandboxMerchant(await createMerchant(engine, { name })),
      createPairingCode: async (request = {}) => presentSandboxToken(await createPairingCode(engine, request)),
      approvePairingCode: async (code, merchantId) =>
        presentSandboxToken(await approvePairingCode(engine, code, merchantId)),
      tokens: async () => (await listTokens(engine.db)).map(presentSandboxToken),
    },
    clock: {
      now: () => engine.clock.now(),
      advance: (duration) => engine.clock.advance(toMs(duration)),
    },
    close: () => server.close(),
  };
}
