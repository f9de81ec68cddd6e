import { createHash } from 'node:crypto';
import { Client, KeyUtils, TokenContainer } from 'bitpay-sdk';
import { BitPayClient } from 'bitpay-sdk/client';
import type { Emulator } from './emulator.js';

/** Anything with the emulator's base URL: an in-process emulator or a spawned server. */
export type Target = Pick<Emulator, 'url'>;

const keyUtils = new KeyUtils();

export interface TestKey {
  privateKey: string;
  ecKey: ReturnType<KeyUtils['load_keypair']>;
  identity: string;
  sin: string;
}

/** A client key made the way the official Node SDK makes one. */
export function newKey(privateKey?: string): TestKey {
  const ecKey = privateKey ? keyUtils.load_keypair(privateKey) : keyUtils.generate_keypair();
  return {
    privateKey: ecKey.getPrivate('hex').padStart(64, '0'),
    ecKey,
    identity: keyUtils.getPublicKeyFromPrivateKey(ecKey),
    sin: keyUtils.get_sin_from_key(ecKey),
  };
}

/** The SDK's own transport (signing included), pointed at the emulator as BITPAY-WIRE §6.1 shows. */
export function sdkTransport(emu: Target, key: TestKey | null): BitPayClient {
  return new BitPayClient(emu.url, key?.ecKey ?? null, key?.identity ?? null);
}

/** An unmodified SDK Client for merchant/payout tokens, signing with `key`. */
export function sdkClient(emu: Target, key: TestKey, tokens: Record<string, string>): Client {
  return new Client(null, null, new TokenContainer(tokens), null, undefined, undefined, sdkTransport(emu, key));
}

/** An unmodified SDK Client holding only a pos token (unsigned requests). */
export function sdkPosClient(emu: Target, posToken: string): Client {
  return new Client(null, null, new TokenContainer({ pos: posToken }), null, undefined, undefined, sdkTransport(emu, null));
}

/** Client-initiated pairing through the SDK transport, approved through the sandbox: the usual setup. */
export async function pairClient(emu: Emulator, facade: 'merchant' | 'payout' | 'pos' = 'merchant', key = newKey(), merchantId?: string) {
  const response = JSON.parse(await sdkTransport(emu, null).post('tokens', { id: key.sin, facade }, false));
  const pairing = response[0] as { token: string; pairingCode: string };
  await emu.sandbox.approvePairingCode(pairing.pairingCode, merchantId);
  return { key, token: pairing.token };
}

/** Signs like the SDKs: hex DER ECDSA over SHA-256 of the text. */
export function sign(text: string, key: TestKey): string {
  return Buffer.from(key.ecKey.sign(createHash('sha256').update(text, 'utf8').digest()).toDER()).toString('hex');
}

/** Raw HTTP, optionally signed over `signedUrl + body` (defaults to the URL requested). */
export async function rawRequest(
  emu: Target,
  method: string,
  path: string,
  options: { body?: string | object; key?: TestKey; signedUrl?: string; headers?: Record<string, string> } = {},
) {
  const url = new URL(path, emu.url).href;
  const body = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-accept-version': '2.0.0', ...options.headers };
  if (options.key) {
    headers['x-identity'] = options.key.identity;
    headers['x-signature'] = sign((options.signedUrl ?? url) + (body ?? ''), options.key);
  }
  const response = await fetch(url, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await response.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** The BitPay error an SDK call throws: its message and BitPay's code. */
export async function sdkError(promise: Promise<unknown>): Promise<{ message: string; code: string }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { message: string; code?: string };
    return { message: e.message, code: e.code ?? '' };
  }
  throw new Error('expected the SDK call to fail');
}

/** A merchant account of its own (so a test sees only its own state, on a shared PostgreSQL too), with a paired merchant client. */
export async function merchantOfItsOwn(emu: Emulator, name: string) {
  const merchantId = (await emu.sandbox.createMerchant(name)).id as string;
  const { key, token } = await pairClient(emu, 'merchant', undefined, merchantId);
  return { merchantId, key, token, client: sdkClient(emu, key, { merchant: token }) };
}
