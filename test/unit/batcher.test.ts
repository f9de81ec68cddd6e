import { expect } from 'chai';
import { createBatcher, type BatchLimits } from '../../src/engine/batcher.js';

/** A write that records each call and finishes when told to. */
function recordingWrite(fail: (items: number[]) => boolean = () => false) {
  const calls: number[][] = [];
  const pending: (() => void)[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const write = (items: number[]) => {
    calls.push(items);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    return new Promise<string[]>((resolve, reject) => {
      pending.push(() => {
        inFlight--;
        if (fail(items)) reject(new Error(`write of ${items.join(',')} failed`));
        else resolve(items.map((item) => `stored ${item}`));
      });
    });
  };
  /** Finishes every write under way, round after round, until none is left. */
  const finishAll = async () => {
    for (let round = 0; round < 100; round++) {
      await new Promise((resolve) => setImmediate(resolve));
      if (pending.length === 0) return;
      for (const finish of pending.splice(0)) finish();
    }
  };
  return { write, calls, finishAll, maxInFlight: () => maxInFlight };
}

describe('batcher', () => {
  it('coalesces what arrives together, within its limits, and answers each item its own output', async () => {
    const table: [BatchLimits, number, number[]][] = [
      [{ maxBatch: 64, maxInFlight: 4 }, 1, [1]],
      [{ maxBatch: 64, maxInFlight: 4 }, 10, [10]],
      [{ maxBatch: 4, maxInFlight: 2 }, 10, [4, 4, 2]],
      [{ maxBatch: 3, maxInFlight: 1 }, 7, [3, 3, 1]],
    ];
    for (const [limits, count, sizes] of table) {
      const recorder = recordingWrite();
      const batcher = createBatcher(recorder.write, limits);
      const outputs = Promise.all(Array.from({ length: count }, (_, i) => batcher.submit(i)));
      await recorder.finishAll();
      expect(await outputs).to.deep.equal(Array.from({ length: count }, (_, i) => `stored ${i}`));
      expect(recorder.calls.map((c) => c.length), JSON.stringify(limits)).to.deep.equal(sizes);
      expect(recorder.maxInFlight()).to.be.at.most(limits.maxInFlight);
    }
  });

  it('sends items that arrive while writes are under way together in the next write', async () => {
    const recorder = recordingWrite();
    const batcher = createBatcher(recorder.write, { maxBatch: 64, maxInFlight: 1 });
    const first = batcher.submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    const later = [2, 3, 4].map((item) => batcher.submit(item));
    await recorder.finishAll();
    expect(await first).to.equal('stored 1');
    expect(await Promise.all(later)).to.deep.equal(['stored 2', 'stored 3', 'stored 4']);
    expect(recorder.calls).to.deep.equal([[1], [2, 3, 4]]);
  });

  it('retries a failed write item by item, so only the item that fails alone sees the error', async () => {
    const recorder = recordingWrite((items) => items.includes(3));
    const batcher = createBatcher(recorder.write, { maxBatch: 64, maxInFlight: 4 });
    const outcomes = await (async () => {
      const settled = Promise.allSettled([1, 2, 3, 4].map((item) => batcher.submit(item)));
      await recorder.finishAll();
      return settled;
    })();
    expect(outcomes.map((o) => o.status)).to.deep.equal(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[2] as PromiseRejectedResult).reason.message).to.equal('write of 3 failed');
    expect(recorder.calls).to.deep.equal([[1, 2, 3, 4], [1], [2], [3], [4]]);
  });

  it('refuses a write that answers the wrong number of outputs', async () => {
    const batcher = createBatcher(async (items: number[]) => items.slice(1), { maxBatch: 64, maxInFlight: 4 });
    const outcomes = await Promise.allSettled([batcher.submit(1), batcher.submit(2)]);
    expect(outcomes.map((o) => o.status)).to.deep.equal(['rejected', 'rejected']);
    expect((outcomes[0] as PromiseRejectedResult).reason.message).to.match(/answered 0 results for 1 items/);
  });
});
