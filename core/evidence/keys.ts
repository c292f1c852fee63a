import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { EvidenceError } from '../primitives/errors';

/**
 * Where the signing key lives between runs (the OS keychain in the app and the CLI). It holds the
 * PKCS#8 PEM of the private key; `get` answers null when nothing is stored yet.
 */
export interface KeyStore {
  get(): Promise<string | null>;
  set(pem: string): Promise<void>;
}

/**
 * An Ed25519 key ready to sign. Identifiers are both derived from the SHA-256 of the public key's
 * SPKI DER (44 bytes for Ed25519), so anyone can recompute them with
 * `openssl pkey -pubin -in signing-key.pub.pem -outform DER | openssl dgst -sha256`:
 * - `keyid`: that digest in lowercase hex (64 chars); it is the DSSE signature's keyid.
 * - `fingerprint`: `SHA256:` + that digest in unpadded standard base64 (43 chars), for people to
 *   compare by eye. It looks like an OpenSSH fingerprint but is not one (OpenSSH hashes its own
 *   wire encoding, not the SPKI DER).
 * The private key's PEM is deliberately not a field, so logging this object leaks nothing.
 */
export interface SigningKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly publicKeyPem: string;
  readonly keyid: string;
  readonly fingerprint: string;
}

export interface KeyIds {
  readonly keyid: string;
  readonly fingerprint: string;
}

const ED25519_HINT = 'Create one with: openssl genpkey -algorithm ed25519 -out signing-key.pem';

export function generateSigningKey(): SigningKey {
  const { privateKey } = generateKeyPairSync('ed25519');
  return signingKeyFromPrivateKey(privateKey);
}

/** Wraps an Ed25519 private KeyObject; throws if it is another algorithm or a public key. */
export function signingKeyFromPrivateKey(privateKey: KeyObject): SigningKey {
  if (privateKey.type !== 'private') {
    throw new EvidenceError('invalid_input', `A ${privateKey.type} key cannot sign; an Ed25519 private key is needed.`);
  }
  assertEd25519(privateKey, 'The signing key');
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, publicKeyPem: exportPublicKeyPem(publicKey), ...keyIds(publicKey) };
}

/** keyid and fingerprint of a public key (or of the public half of a private key). */
export function keyIds(key: KeyObject): KeyIds {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const digest = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest();
  return { keyid: digest.toString('hex'), fingerprint: `SHA256:${digest.toString('base64').replace(/=+$/, '')}` };
}

export function exportPrivateKeyPem(key: KeyObject): string {
  return key.export({ type: 'pkcs8', format: 'pem' }).toString();
}

export function exportPublicKeyPem(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

/**
 * Reads a private key PEM (PKCS#8, optionally encrypted with `passphrase`). `source` names where
 * it came from (a file path, "the keychain") in error messages; the PEM itself never appears.
 */
export function importPrivateKeyPem(pem: string, options: { passphrase?: string; source?: string } = {}): SigningKey {
  const source = options.source ?? 'The private key';
  if (/-----BEGIN OPENSSH PRIVATE KEY-----/.test(pem)) {
    throw new EvidenceError(
      'invalid_input',
      `${source} is in OpenSSH format, which is not supported; use a dedicated Ed25519 key in PKCS#8 PEM. ${ED25519_HINT}`,
    );
  }
  if (/-----BEGIN (RSA |EC )?PUBLIC KEY-----/.test(pem) && !/PRIVATE KEY-----/.test(pem)) {
    throw new EvidenceError('invalid_input', `${source} holds a public key; signing needs the Ed25519 private key.`);
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(
      options.passphrase === undefined ? { key: pem, format: 'pem' } : { key: pem, format: 'pem', passphrase: options.passphrase },
    );
  } catch (e) {
    // OpenSSL reports a missing passphrase differently across versions; the PEM header does not vary.
    const encrypted = /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(pem);
    if (encrypted && options.passphrase === undefined) {
      throw new EvidenceError('invalid_input', `${source} is encrypted; give its passphrase.`, e);
    }
    if (encrypted) throw new EvidenceError('invalid_input', `${source} could not be decrypted (wrong passphrase?).`, e);
    throw new EvidenceError('invalid_input', `${source} is not a readable PEM private key. ${ED25519_HINT}`, e);
  }
  assertEd25519(key, source);
  return signingKeyFromPrivateKey(key);
}

/** A consultant's own key file. Errors name the file, never its content. */
export async function loadPrivateKeyFile(file: string, options: { passphrase?: string } = {}): Promise<SigningKey> {
  let pem: string;
  try {
    pem = await readFile(file, 'utf8');
  } catch (e) {
    throw new EvidenceError('invalid_input', `Cannot read the key file ${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}.`, e);
  }
  return importPrivateKeyPem(pem, { ...options, source: `The key file ${file}` });
}

/** Reads an SPKI public key PEM (e.g. `signing-key.pub.pem`); throws unless it is Ed25519. */
export function importPublicKeyPem(pem: string, source = 'The public key'): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch (e) {
    throw new EvidenceError('invalid_input', `${source} is not a readable PEM public key.`, e);
  }
  // createPublicKey accepts a private PEM and derives its public half: refuse, so nobody passes a
  // private key where only the public one should travel.
  if (/PRIVATE KEY-----/.test(pem)) {
    throw new EvidenceError('invalid_input', `${source} is a private key; give the public key (signing-key.pub.pem).`);
  }
  assertEd25519(key, source);
  return key;
}

/**
 * The signing key from the store, created and stored on first use. A stored value that is not an
 * Ed25519 private key is an error, not a reason to overwrite it: replacing the key would silently
 * change the identity auditors were told to expect.
 */
export async function getOrCreateSigningKey(store: KeyStore): Promise<{ key: SigningKey; created: boolean }> {
  const stored = await store.get();
  if (stored !== null && stored !== '') {
    return { key: importPrivateKeyPem(stored, { source: 'The signing key in the keychain' }), created: false };
  }
  const key = generateSigningKey();
  const pem = exportPrivateKeyPem(key.privateKey);
  await store.set(pem);
  // Signing with a key that was not kept would give a package nobody can tie to the next one.
  const readBack = await store.get();
  if (readBack !== pem) {
    throw new EvidenceError('keychain_unavailable', 'The new signing key could not be read back from the keychain after saving it.');
  }
  return { key, created: true };
}

function assertEd25519(key: KeyObject, source: string): void {
  const type = key.asymmetricKeyType;
  if (type === 'ed25519') return;
  const kind = type === undefined ? 'a secret key' : type.toUpperCase();
  throw new EvidenceError('invalid_input', `${source} is not an Ed25519 key (it is ${kind}); sentry-harden signs with Ed25519 only. ${ED25519_HINT}`);
}
