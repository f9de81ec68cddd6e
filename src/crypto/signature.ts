import { createHash } from 'node:crypto';
import secp256k1 from 'secp256k1';
import { sinFromPublicKey } from './sin.js';

export interface PublicKey {
  /** The key bytes exactly as sent in x-identity. */
  bytes: Buffer;
  /** The client id derived from those bytes. */
  sin: string;
}

const IDENTITY_PATTERN = /^(0[23][0-9a-fA-F]{64}|04[0-9a-fA-F]{128})$/;
const keyCache = new Map<string, PublicKey | null>();
const KEY_CACHE_LIMIT = 10_000;

/**
 * Parses an x-identity header: a hex secp256k1 public key, compressed (02/03…, the form every
 * BitPay SDK sends) or uncompressed (04…). Returns null for anything that is not a point on the
 * curve. Parsed keys are cached: the same few clients sign every request.
 */
export function parsePublicKey(identity: string): PublicKey | null {
  const cached = keyCache.get(identity);
  if (cached !== undefined) return cached;
  let key: PublicKey | null = null;
  if (IDENTITY_PATTERN.test(identity)) {
    const bytes = Buffer.from(identity, 'hex');
    if (secp256k1.publicKeyVerify(bytes)) key = { bytes, sin: sinFromPublicKey(bytes) };
  }
  if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.clear();
  keyCache.set(identity, key);
  return key;
}

/** A DER signature as libsecp256k1's 64-byte compact form with low S, or null if it is not DER. */
function compactLowS(der: Buffer): Uint8Array | null {
  try {
    return secp256k1.signatureNormalize(secp256k1.signatureImport(der));
  } catch {
    return null;
  }
}

/**
 * Verifies BitPay's x-signature: hex DER ECDSA over SHA-256 of the UTF-8 message. High-S
 * signatures are valid (the PHP and Python SDKs do not normalise s), so S is normalised before
 * libsecp256k1 (Bitcoin Core's library, several times faster than OpenSSL or JavaScript on this
 * curve) checks it. It refuses the same malformed encodings as elliptic, which the Node SDK
 * signs with.
 */
export function verifySignature(message: string, signatureHex: string, key: PublicKey): boolean {
  if (!/^[0-9a-fA-F]+$/.test(signatureHex) || signatureHex.length % 2 !== 0 || signatureHex.length > 300) return false;
  const digest = createHash('sha256').update(message, 'utf8').digest();
  const compact = compactLowS(Buffer.from(signatureHex, 'hex'));
  return compact !== null && secp256k1.ecdsaVerify(compact, digest, key.bytes);
}
