import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/index.js';

/**
 * An in-process emulator for a test: embedded in-memory database, or the PostgreSQL database in
 * DATABASE_URL when the suite runs against a server (.ci/run does both).
 */
export function startTestEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  return startEmulator({
    logLevel: process.env.TEST_LOG_LEVEL ?? 'error',
    ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {}),
    ...options,
  });
}

export type { Emulator };
