import { createHash } from 'node:crypto';
import { expect } from 'chai';
import elliptic from 'elliptic';
import { isValidSin, sinFromPublicKey } from '../../src/crypto/sin.js';
import { parsePublicKey, verifySignature } from '../../src/crypto/signature.js';
import { newKey, sign } from '../support/bitpay.js';

// BITPAY-WIRE §2.3, captured from bitpay-sdk 8.0.4.
const VECTOR = {
  privateKey: 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00',
  identity: '0349f49fbf265da4d4d59f0de786351d040c895c2a9dc6ca7422a40958e1d71baa',
  sin: 'TezyVWSytxYuazuWyW9PCvqcUSP4WMsGnKF',
  uncompressedSin: 'TfGUNwhy2oBioVWt4KC8SRpXR2XrknMDYC1',
  signed: 'http://localhost:8080/invoices{"price":10,"currency":"USD","token":"MERCHTOKEN"}',
  signature:
    '3043021f435d5a4fab52d459fb80e2ac86eee479aa281639d4929d63d69ce398ac614202200d9b247beac9d6f5b2ba673cca09e5bb00ec870464a5ef4054c571e342c4c5cd',
};

const curve = new elliptic.ec('secp256k1');

function derEncode(r: Buffer, s: Buffer): string {
  const integer = (value: Buffer) => {
    let bytes = value;
    while (bytes.length > 1 && bytes[0] === 0 && (bytes[1] as number) < 0x80) bytes = bytes.subarray(1);
    if ((bytes[0] as number) >= 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
    return Buffer.concat([Buffer.from([0x02, bytes.length]), bytes]);
  };
  const body = Buffer.concat([integer(r), integer(s)]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]).toString('hex');
}

describe('crypto: SIN and request signatures', () => {
  const key = parsePublicKey(VECTOR.identity)!;

  it('derives the SIN of the BITPAY-WIRE test vector', () => {
    expect(sinFromPublicKey(Buffer.from(VECTOR.identity, 'hex'))).to.equal(VECTOR.sin);
    expect(newKey(VECTOR.privateKey).identity).to.equal(VECTOR.identity);
  });

  it('derives a different SIN from the uncompressed encoding of the same key, as BitAuth does', () => {
    const uncompressed = curve.keyFromPrivate(VECTOR.privateKey).getPublic(false, 'hex');
    expect(sinFromPublicKey(Buffer.from(uncompressed, 'hex'))).to.equal(VECTOR.uncompressedSin);
  });

  it('validates SINs by prefix and checksum', () => {
    expect(isValidSin(VECTOR.sin)).to.equal(true);
    expect(isValidSin(VECTOR.uncompressedSin)).to.equal(true);
    for (const bad of ['', 'TezyVWSytxYuazuWyW9PCvqcUSP4WMsGnKG', 'T0000', '1111111111111111111111111111111111', VECTOR.identity]) {
      expect(isValidSin(bad), bad).to.equal(false);
    }
  });

  it('verifies the captured SDK signature and refuses it over any other text', () => {
    expect(verifySignature(VECTOR.signed, VECTOR.signature, key)).to.equal(true);
    expect(verifySignature(VECTOR.signed.replace('10', '11'), VECTOR.signature, key)).to.equal(false);
    expect(verifySignature(`${VECTOR.signed} `, VECTOR.signature, key)).to.equal(false);
  });

  it('verifies bodies exactly as the Python SDK (spaces) and the PHP SDK (escaped slashes) serialise them', () => {
    const client = newKey(VECTOR.privateKey);
    const python = 'http://localhost:8088/invoices{"price": 10, "currency": "USD", "token": "T"}';
    const php = 'http://localhost:8088/invoices{"price":10,"currency":"USD","notificationURL":"https:\\/\\/shop.test\\/ipn","token":"T"}';
    for (const text of [python, php]) {
      const signature = sign(text, client);
      expect(verifySignature(text, signature, key), text).to.equal(true);
      const reserialised = JSON.stringify(JSON.parse(text.slice(text.indexOf('{'))));
      expect(verifySignature(text.slice(0, text.indexOf('{')) + reserialised, signature, key)).to.equal(false);
    }
  });

  it('accepts a high-S signature (PHP and Python do not normalise s)', () => {
    const client = newKey(VECTOR.privateKey);
    const lowS = client.ecKey.sign(createHash('sha256').update(VECTOR.signed).digest(), { canonical: true });
    const n = curve.curve.n;
    const highS = n.sub(lowS.s);
    expect(highS.gt(n.shrn(1))).to.equal(true);
    const encoded = derEncode(lowS.r.toArrayLike(Buffer, 'be', 32), highS.toArrayLike(Buffer, 'be', 32));
    expect(verifySignature(VECTOR.signed, encoded, key)).to.equal(true);
  });

  it('refuses malformed identities and signatures without throwing', () => {
    for (const identity of ['', '02', `05${'a'.repeat(64)}`, `02${'z'.repeat(64)}`, `02${'f'.repeat(64)}`]) {
      expect(parsePublicKey(identity), identity).to.equal(null);
    }
    for (const signature of ['', 'zz', '30', '3006020101020101', 'ab'.repeat(400)]) {
      expect(verifySignature(VECTOR.signed, signature, key), signature).to.equal(false);
    }
  });
});
