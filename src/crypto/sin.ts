import { createHash } from 'node:crypto';
import bs58 from 'bs58';

const SIN_PREFIX = Buffer.from([0x0f, 0x02]);

function sha256(data: Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

/**
 * BitPay's client id: base58(0x0F 0x02 || RIPEMD160(SHA256(pubkey)) || checksum), where the
 * checksum is the first 4 bytes of SHA256(SHA256(version)). The key bytes are taken as sent,
 * so a compressed and an uncompressed encoding of one key give different SINs (as in BitAuth).
 */
export function sinFromPublicKey(publicKey: Uint8Array): string {
  const hash160 = createHash('ripemd160').update(sha256(publicKey)).digest();
  const version = Buffer.concat([SIN_PREFIX, hash160]);
  const checksum = sha256(sha256(version)).subarray(0, 4);
  return bs58.encode(Buffer.concat([version, checksum]));
}

export function isValidSin(sin: string): boolean {
  let bytes: Uint8Array;
  try {
    bytes = bs58.decode(sin);
  } catch {
    return false;
  }
  if (bytes.length !== 26 || bytes[0] !== 0x0f || bytes[1] !== 0x02) return false;
  const version = bytes.subarray(0, 22);
  return Buffer.from(sha256(sha256(version)).subarray(0, 4)).equals(Buffer.from(bytes.subarray(22)));
}
