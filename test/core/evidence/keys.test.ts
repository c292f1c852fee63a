import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvidenceError } from '../../../core/primitives/errors';
import {
  exportPrivateKeyPem,
  exportPublicKeyPem,
  generateSigningKey,
  getOrCreateSigningKey,
  importPrivateKeyPem,
  importPublicKeyPem,
  keyIds,
  loadPrivateKeyFile,
} from '../../../core/evidence/keys';
import type { KeyStore } from '../../../core/evidence/keys';

class MemoryStore implements KeyStore {
  sets = 0;
  constructor(public value: string | null = null) {}
  async get(): Promise<string | null> {
    return this.value;
  }
  async set(pem: string): Promise<void> {
    this.sets += 1;
    this.value = pem;
  }
}

async function rejectionOf(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sh-keys-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('Ed25519 keys', () => {
  it('generates keys with keyid and fingerprint derived from the SPKI DER', () => {
    const key = generateSigningKey();
    const digest = createHash('sha256').update(key.publicKey.export({ type: 'spki', format: 'der' })).digest();
    expect(key.keyid).toBe(digest.toString('hex'));
    expect(key.fingerprint).toBe(`SHA256:${digest.toString('base64').replace(/=+$/, '')}`);
    expect(key.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(keyIds(key.privateKey)).toEqual({ keyid: key.keyid, fingerprint: key.fingerprint });
    expect(generateSigningKey().keyid).not.toBe(key.keyid);
    expect(JSON.stringify(key)).not.toContain('PRIVATE');
  });

  it('round-trips PKCS#8 and SPKI PEM', () => {
    const key = generateSigningKey();
    const pem = exportPrivateKeyPem(key.privateKey);
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(key.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(exportPublicKeyPem(key.privateKey)).toBe(key.publicKeyPem);
    expect(importPrivateKeyPem(pem).keyid).toBe(key.keyid);
    expect(keyIds(importPublicKeyPem(key.publicKeyPem)).keyid).toBe(key.keyid);
  });

  it('rejects RSA and EC private keys with a clear message', () => {
    const rsaPem = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const rsaPkcs1 = rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const ecPem = ec.privateKey.export({ type: 'sec1', format: 'pem' }).toString();
    expect(() => importPrivateKeyPem(rsaPem)).toThrow(/not an Ed25519 key \(it is RSA\); sentry-harden signs with Ed25519 only/);
    expect(() => importPrivateKeyPem(rsaPkcs1)).toThrow(/it is RSA/);
    expect(() => importPrivateKeyPem(ecPem)).toThrow(/not an Ed25519 key \(it is EC\)/);
    expect(() => importPrivateKeyPem(ecPem)).toThrow(/openssl genpkey -algorithm ed25519/);
    expect(() => importPrivateKeyPem(rsaPem)).toThrow(EvidenceError);
  });

  it('rejects public keys, OpenSSH keys and garbage where a private key is needed', () => {
    const key = generateSigningKey();
    expect(() => importPrivateKeyPem(key.publicKeyPem)).toThrow(/holds a public key/);
    expect(() => importPrivateKeyPem('-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaA==\n-----END OPENSSH PRIVATE KEY-----\n')).toThrow(/OpenSSH format/);
    expect(() => importPrivateKeyPem('hello')).toThrow(/not a readable PEM private key/);
  });

  it('reads encrypted PKCS#8 with its passphrase and explains when it is missing or wrong', () => {
    const key = generateSigningKey();
    const pem = key.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'correct horse' }).toString();
    expect(importPrivateKeyPem(pem, { passphrase: 'correct horse' }).keyid).toBe(key.keyid);
    expect(() => importPrivateKeyPem(pem)).toThrow(/encrypted; give its passphrase/);
    expect(() => importPrivateKeyPem(pem, { passphrase: 'wrong' })).toThrow(/could not be decrypted/);
  });

  it('loads a key file and names the file, never its content, in errors', async () => {
    const key = generateSigningKey();
    const good = path.join(dir, 'ed.pem');
    const bad = path.join(dir, 'rsa.pem');
    await writeFile(good, exportPrivateKeyPem(key.privateKey));
    const rsaPem = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await writeFile(bad, rsaPem);
    expect((await loadPrivateKeyFile(good)).keyid).toBe(key.keyid);
    const err = await rejectionOf(loadPrivateKeyFile(bad));
    expect(err).toBeInstanceOf(EvidenceError);
    expect(err.message).toContain(`The key file ${bad} is not an Ed25519 key (it is RSA)`);
    expect(err.message).not.toContain(rsaPem.split('\n')[1]);
    await expect(loadPrivateKeyFile(path.join(dir, 'nope.pem'))).rejects.toThrow(/Cannot read the key file .*nope\.pem: ENOENT/);
  });

  it('importPublicKeyPem rejects other algorithms and private keys', () => {
    const rsaPub = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(() => importPublicKeyPem(rsaPub, 'The expected public key')).toThrow(/The expected public key is not an Ed25519 key \(it is RSA\)/);
    expect(() => importPublicKeyPem(exportPrivateKeyPem(generateSigningKey().privateKey))).toThrow(/is a private key/);
    expect(() => importPublicKeyPem('junk')).toThrow(/not a readable PEM public key/);
  });
});

describe('getOrCreateSigningKey', () => {
  it('creates the key on first use, stores it, and returns the same key afterwards', async () => {
    const store = new MemoryStore();
    const first = await getOrCreateSigningKey(store);
    expect(first.created).toBe(true);
    expect(store.sets).toBe(1);
    expect(store.value).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const second = await getOrCreateSigningKey(store);
    expect(second.created).toBe(false);
    expect(second.key.keyid).toBe(first.key.keyid);
    expect(store.sets).toBe(1);
  });

  it('refuses a stored key that is not Ed25519 and does not overwrite it', async () => {
    const rsaPem = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const store = new MemoryStore(rsaPem);
    await expect(getOrCreateSigningKey(store)).rejects.toThrow(/The signing key in the keychain is not an Ed25519 key/);
    expect(store.value).toBe(rsaPem);
    expect(store.sets).toBe(0);
  });

  it('fails when the store does not keep the key', async () => {
    const forgetful: KeyStore = { get: async () => null, set: async () => undefined };
    const err = (await rejectionOf(getOrCreateSigningKey(forgetful))) as EvidenceError;
    expect(err).toBeInstanceOf(EvidenceError);
    expect(err.code).toBe('keychain_unavailable');
  });
});
