import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import forge from 'node-forge';

/** The names the server certificate always covers: BitPay's test host and this machine. */
export const DEFAULT_CERTIFICATE_HOSTS = ['test.bitpay.com', 'localhost', '127.0.0.1', '::1'];

const FILES = { caCert: 'ca.crt', caKey: 'ca.key', cert: 'server.crt', key: 'server.key' } as const;

export interface CertificateFiles {
  caCert: string;
  caKey: string;
  cert: string;
  key: string;
}

export function certificateFiles(dir: string): CertificateFiles {
  return {
    caCert: join(dir, FILES.caCert),
    caKey: join(dir, FILES.caKey),
    cert: join(dir, FILES.cert),
    key: join(dir, FILES.key),
  };
}

export class CertificatesExistError extends Error {}

function serial(): string {
  return `01${forge.util.bytesToHex(forge.random.getBytesSync(15))}`;
}

/** A certificate for `publicKey`, valid from a minute ago for `years`. */
function newCertificate(publicKey: forge.pki.PublicKey, years: number): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(cert.validity.notBefore);
  cert.validity.notAfter.setFullYear(cert.validity.notAfter.getFullYear() + years);
  return cert;
}

/**
 * A local certificate authority and a server certificate it signs for `hosts` (test.bitpay.com,
 * localhost and the loopback addresses always included), written to `dir`. Existing files are
 * never replaced unless `force` is set.
 */
export function createCertificates(dir: string, hosts: string[], options: { force?: boolean } = {}): CertificateFiles {
  const files = certificateFiles(dir);
  const existing = Object.values(files).filter((file) => existsSync(file));
  if (existing.length > 0 && !options.force) {
    throw new CertificatesExistError(`certificates already exist in ${dir} (${existing.join(', ')}); use --force to replace them`);
  }
  mkdirSync(dir, { recursive: true });
  const names = [...new Set([...DEFAULT_CERTIFICATE_HOSTS, ...hosts])];

  const caKeys = forge.pki.rsa.generateKeyPair(2048);
  const ca = newCertificate(caKeys.publicKey, 10);
  const caName = [{ name: 'commonName', value: 'BitPay Emulator local CA' }, { name: 'organizationName', value: 'bitpay-emulator' }];
  ca.setSubject(caName);
  ca.setIssuer(caName);
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  ca.sign(caKeys.privateKey, forge.md.sha256.create());

  const keys = forge.pki.rsa.generateKeyPair(2048);
  const cert = newCertificate(keys.publicKey, 2);
  cert.setSubject([{ name: 'commonName', value: names[0] as string }]);
  cert.setIssuer(caName);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: names.map((name) => (isIP(name) ? { type: 7, ip: name } : { type: 2, value: name })) },
  ]);
  cert.sign(caKeys.privateKey, forge.md.sha256.create());

  writeFileSync(files.caCert, forge.pki.certificateToPem(ca));
  writeFileSync(files.caKey, forge.pki.privateKeyToPem(caKeys.privateKey), { mode: 0o600 });
  writeFileSync(files.cert, forge.pki.certificateToPem(cert));
  writeFileSync(files.key, forge.pki.privateKeyToPem(keys.privateKey), { mode: 0o600 });
  return files;
}

/** The server certificate (with its CA, as a chain) and key for HTTPS_PORT. */
export function loadServerCertificate(dir: string): { cert: string; key: string } {
  const files = certificateFiles(dir);
  for (const file of [files.cert, files.key, files.caCert]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run "bitpay-emulator certs" first`);
  }
  return {
    cert: readFileSync(files.cert, 'utf8') + readFileSync(files.caCert, 'utf8'),
    key: readFileSync(files.key, 'utf8'),
  };
}
