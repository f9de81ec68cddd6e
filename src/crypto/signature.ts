import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import elliptic from 'elliptic';

const secp256k1 = new elliptic.ec('secp256k1');

/** DER prefix of a SubjectPublicKeyInfo for an EC key on secp256k1 with a 33-byte compressed point. */
const SPKI_PREFIX_COMPRESSED = Buffer.from('3036301006072a8648ce3d020106052b8104000a032200', 'hex');
/** Same for a 65-byte uncompressed point. */
const SPKI_PREFIX_UNCOMPRESSED = Buffer.from('3056301006072a8648ce3d020106052b8104000a034200', 'hex');

export interface PublicKey {
  /** The key bytes exactly as sent in x-identity (SINs are derived from these). */
  bytes: Buffer;
  keyObject: KeyObject;
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
    const prefix = bytes.length === 33 ? SPKI_PREFIX_COMPRESSED : SPKI_PREFIX_UNCOMPRESSED;
    try {
      key = { bytes, keyObject: createPublicKey({ key: Buffer.concat([prefix, bytes]), format: 'der', type: 'spki' }) };
    } catch {
      key = null;
    }
  }
  if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.clear();
  keyCache.set(identity, key);
  return key;
}

/**
 * Verifies BitPay's x-signature: hex DER ECDSA over SHA-256 of the UTF-8 message. High-S
 * signatures are valid (the PHP and Python SDKs do not normalise s). OpenSSL verifies first
 * because it is fast; elliptic, which the SDKs sign with, gets the last word on encodings
 * OpenSSL's strict DER parser refuses.
 */
export function verifySignature(message: string, signatureHex: string, key: PublicKey): boolean {
  if (!/^[0-9a-fA-F]+$/.test(signatureHex) || signatureHex.length % 2 !== 0 || signatureHex.length > 300) return false;
  const signature = Buffer.from(signatureHex, 'hex');
  const data = Buffer.from(message, 'utf8');
  try {
    if (verify('sha256', data, { key: key.keyObject, dsaEncoding: 'der' }, signature)) return true;
  } catch {
    // fall through to the lenient verifier
  }
  try {
    const digest = createHash('sha256').update(data).digest();
    return secp256k1.keyFromPublic(key.bytes).verify(digest, signatureHex);
  } catch {
    return false;
  }
}
