import { createHmac } from 'node:crypto';
import * as ecc from 'tiny-secp256k1';
import secp256k1 from 'secp256k1';
import { BIP32Factory, type BIP32Interface } from 'bip32';
import * as bitcoin from 'bitcoinjs-lib';
import bs58check from 'bs58check';
import type { RandomSource } from '../domain/ids.js';

const bip32 = BIP32Factory(ecc);

/** Extended public key versions accepted for BTC_XPUB; all are read as plain BIP32 keys. */
const PUBLIC_VERSIONS: Record<string, number> = {
  xpub: 0x0488b21e,
  ypub: 0x049d7cb2,
  zpub: 0x04b24746,
  tpub: 0x043587cf,
  upub: 0x044a5262,
  vpub: 0x045f1cf6,
};

export class XpubError extends Error {}

/** Parses an account-level extended public key of any common version (xpub/zpub/tpub/vpub…). */
export function parseAccountXpub(text: string): BIP32Interface {
  let payload: Uint8Array;
  try {
    payload = bs58check.decode(text.trim());
  } catch {
    throw new XpubError('must be a base58check extended public key (xpub, tpub, vpub, zpub…)');
  }
  if (payload.length !== 78) throw new XpubError('must be a 78-byte extended public key');
  const version = Buffer.from(payload.subarray(0, 4)).readUInt32BE(0);
  if (!Object.values(PUBLIC_VERSIONS).includes(version)) {
    throw new XpubError('must be an extended public key (xpub, ypub, zpub, tpub, upub or vpub), not a private key');
  }
  const asTpub = Buffer.from(payload);
  asTpub.writeUInt32BE(PUBLIC_VERSIONS.tpub as number, 0);
  try {
    return bip32.fromBase58(bs58check.encode(asTpub), bitcoin.networks.testnet);
  } catch (error) {
    throw new XpubError(`is not a valid extended public key (${(error as Error).message})`);
  }
}

/** BTC_NETWORK: the networks whose addresses invoices get (never mainnet). */
export type BtcNetwork = 'testnet' | 'regtest';

const NETWORKS: Record<BtcNetwork, bitcoin.Network> = {
  testnet: bitcoin.networks.testnet,
  regtest: bitcoin.networks.regtest,
};

/**
 * BIP32 public child derivation (CKDpub, non-hardened): HMAC-SHA512 over the parent key and the
 * index, then the parent point tweaked by the left half. Done here with node's HMAC and
 * libsecp256k1 because it runs once per invoice, and bip32's path through the WebAssembly curve
 * costs several times more; bip32 still parses the account key.
 */
function childPublicKey(parent: Uint8Array, chainCode: Uint8Array, index: number): Uint8Array {
  const data = Buffer.alloc(37);
  data.set(parent, 0);
  data.writeUInt32BE(index, 33);
  const digest = createHmac('sha512', chainCode).update(data).digest();
  return secp256k1.publicKeyTweakAdd(parent, digest.subarray(0, 32), true);
}

/**
 * Native segwit (BIP84) receive addresses m/0/i under the account key. The external-chain node
 * is derived once; each address costs one child derivation.
 */
export function createAddressDeriver(accountXpub: string, network: BtcNetwork): (index: number) => string {
  const receive = parseAccountXpub(accountXpub).derive(0);
  const btcNetwork = NETWORKS[network];
  return (index) => {
    // P2WPKH: witness version 0 over HASH160 of the key (what bitcoin.payments.p2wpkh computes, without its validation pass).
    return bitcoin.address.toBech32(bitcoin.crypto.hash160(childPublicKey(receive.publicKey, receive.chainCode, index)), 0, btcNetwork.bech32);
  };
}

/** A fresh address of a simulated wallet (a buyer's refund address, a payout recipient's), on the configured network. */
export function simulatedWalletAddress(random: RandomSource, network: BtcNetwork): string {
  let key: Uint8Array | null = null;
  while (!key) key = ecc.pointFromScalar(random.bytes(32), true);
  return bitcoin.payments.p2wpkh({ pubkey: key, network: NETWORKS[network] }).address as string;
}
