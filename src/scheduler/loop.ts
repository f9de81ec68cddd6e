import type { Logger } from '../logger.js';

export interface Loop {
  /** Runs one pass now (after any pass already running) and resolves when it is done. */
  run(): Promise<void>;
  /** Starts a pass soon, unless one is running. */
  wake(): void;
  stop(): Promise<void>;
}

/** A background job: `pass` runs every `intervalMs`, on demand, and never twice at once. */
export function startLoop(name: string, pass: () => Promise<void>, intervalMs: number, logger: Logger): Loop {
  let running: Promise<void> | null = null;
  let stopped = false;

  const run = async (): Promise<void> => {
    while (running) await running.catch(() => {});
    running = pass().finally(() => {
      running = null;
    });
    return running;
  };
  const background = () => {
    if (stopped || running) return;
    run().catch((error: Error) => logger.error(`${name} pass failed`, { error: error.message, stack: error.stack }));
  };
  const timer = setInterval(background, intervalMs);
  timer.unref();

  return {
    run,
    wake: () => setImmediate(background),
    async stop() {
      stopped = true;
      clearInterval(timer);
      while (running) await running.catch(() => {});
    },
  };
}
