/** Takes items one at a time and writes them in shared batches. */
export interface Batcher<I, O> {
  submit(item: I): Promise<O>;
}

export interface BatchLimits {
  /** Items per write. */
  maxBatch: number;
  /** Writes under way at once; further items wait and go out together in the next one. */
  maxInFlight: number;
}

interface Waiting<I, O> {
  item: I;
  resolve(output: O): void;
  reject(error: unknown): void;
}

/**
 * Coalesces concurrent submissions into one multi-item write (group commit): items that arrive
 * while `maxInFlight` writes are under way leave together in the next one, so a burst costs a
 * few statements instead of one each, and a lone item leaves at once. `writeAll` answers one
 * output per item, in order, or fails as a whole; a failed write of several items is retried
 * item by item, so only an item that fails on its own sees the error.
 */
export function createBatcher<I, O>(writeAll: (items: I[]) => Promise<O[]>, limits: BatchLimits): Batcher<I, O> {
  const queue: Waiting<I, O>[] = [];
  let inFlight = 0;
  let scheduled = false;

  const settle = async (batch: Waiting<I, O>[]) => {
    try {
      const outputs = await writeAll(batch.map((waiting) => waiting.item));
      if (outputs.length !== batch.length) throw new Error(`batch write answered ${outputs.length} results for ${batch.length} items`);
      batch.forEach((waiting, i) => waiting.resolve(outputs[i] as O));
    } catch (error) {
      if (batch.length === 1) (batch[0] as Waiting<I, O>).reject(error);
      else await Promise.all(batch.map((waiting) => settle([waiting])));
    }
  };

  const pump = () => {
    while (inFlight < limits.maxInFlight && queue.length > 0) {
      inFlight++;
      void settle(queue.splice(0, limits.maxBatch)).finally(() => {
        inFlight--;
        pump();
      });
    }
  };

  return {
    submit(item) {
      return new Promise<O>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        // Requests whose bodies arrived in the same turn of the event loop leave together.
        if (!scheduled) {
          scheduled = true;
          setImmediate(() => {
            scheduled = false;
            pump();
          });
        }
      });
    },
  };
}
