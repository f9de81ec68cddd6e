import { createHash, randomFillSync } from 'node:crypto';

/** Where identifiers get their randomness: the OS, or a seed for reproducible test runs. */
export interface RandomSource {
  bytes(count: number): Buffer;
}

const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let used = 0;

/**
 * The OS's randomness, drawn 4 KB at a time: every request takes a few dozen bytes for its ids,
 * and one small draw costs about as much as a large one (node's randomUUID pools likewise).
 * Each byte is handed out once; callers get copies.
 */
export const systemRandom: RandomSource = {
  bytes(count) {
    if (count > POOL_BYTES) return randomFillSync(Buffer.alloc(count));
    if (used + count > pool.length) {
      pool = randomFillSync(Buffer.allocUnsafe(POOL_BYTES));
      used = 0;
    }
    used += count;
    return Buffer.from(pool.subarray(used - count, used));
  },
};

/** Deterministic stream: SHA-256 of seed and a counter. For tests, never for secrets in production. */
export function seededRandom(seed: string): RandomSource {
  let counter = 0;
  return {
    bytes(count) {
      const chunks: Buffer[] = [];
      let length = 0;
      while (length < count) {
        const chunk = createHash('sha256').update(`${seed}:${counter++}`).digest();
        chunks.push(chunk);
        length += chunk.length;
      }
      return Buffer.concat(chunks).subarray(0, count);
    },
  };
}

const BASE58_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** Seed 001's `ref` of invoices and payment links: two groups of eight upper-case hex digits ("A1B2C3D4-E5F6A7B8"). */
export function newHexRef(random: RandomSource): string {
  const hex = random.bytes(8).toString('hex').toUpperCase();
  return `${hex.slice(0, 8)}-${hex.slice(8)}`;
}

/** base58 text of exactly `length` characters, like BitPay's ids and tokens. */
export function base58Text(random: RandomSource, length: number): string {
  let text = '';
  while (text.length < length) {
    for (const byte of random.bytes(length)) {
      // 58 * 4 = 232: bytes at or above it would bias the alphabet, so they are skipped.
      if (byte < 232 && text.length < length) text += BASE58_ALPHABET[byte % 58];
    }
  }
  return text;
}

export const newMerchantId = (r: RandomSource) => base58Text(r, 22);
/** Facade tokens are about 44 base58 characters on BitPay. */
export const newApiToken = (r: RandomSource) => base58Text(r, 44);
/** Pairing codes are exactly 7 characters (plugins check the length). */
export const newPairingCode = (r: RandomSource) => base58Text(r, 7);
