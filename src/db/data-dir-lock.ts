import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The embedded database is one process's: a second emulator on the same DATA_DIR would corrupt
 * it. Returns the function that releases the lock. A lock left by a killed process is taken over.
 */
export function acquireDataDirLock(directory: string): () => void {
  const file = join(directory, 'emulator.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(file, 'utf8'));
      if (Number.isInteger(owner) && (owner === process.pid || isRunning(owner))) {
        throw new Error(
          `DATA_DIR ${directory} is in use by another emulator (pid ${owner}); use another DATA_DIR, or DATABASE_URL to share state between processes`,
        );
      }
      rmSync(file, { force: true });
    }
  }
  throw new Error(`could not lock DATA_DIR ${directory}`);
}
