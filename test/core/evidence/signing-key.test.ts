import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportPrivateKeyPem, generateSigningKey } from '../../../core/evidence/keys';
import { chooseSigningKey, keychainKeyStore, resolveSigningKey, SIGNING_KEY_ACCOUNT } from '../../../core/evidence/signing-key';
import { createKeychain, type Keychain } from '../../../core/secrets/keychain';
import { tempDirs } from '../../helpers/evidence';

const dirs = tempDirs();
afterAll(() => dirs.cleanup());

/** An in-memory keychain with the real one's rule that items are one line. */
function memoryKeychain(): Keychain & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    service: 'memory',
    backend: 'secret-service',
    items,
    setSecret: async (account, secret) => {
      if (/[\r\n\0]/.test(secret)) throw new Error('a keychain item is one line');
      items.set(account, secret);
    },
    getSecret: async (account) => items.get(account) ?? null,
    deleteSecret: async (account) => items.delete(account),
    probe: async () => ({ available: true, backend: 'secret-service' }),
  };
}

describe('signing key: keychain store and key files', () => {
  it('keeps the PEM as one keychain line, creates the key on first use and reuses it', async () => {
    const kc = memoryKeychain();
    const first = await resolveSigningKey({ keychain: kc });
    expect(first).toMatchObject({ source: 'keychain', created: true });
    const item = kc.items.get(SIGNING_KEY_ACCOUNT) ?? '';
    expect(item).toMatch(/^pem-base64:[A-Za-z0-9+/=]+$/);
    const again = await resolveSigningKey({ keychain: kc });
    expect(again).toMatchObject({ source: 'keychain', created: false });
    expect(again.key.keyid).toBe(first.key.keyid);
    expect(await keychainKeyStore(kc).get()).toBe(exportPrivateKeyPem(first.key.privateKey));
  });

  it('refuses a keychain item that is not a key rather than replacing the identity', async () => {
    const kc = memoryKeychain();
    kc.items.set(SIGNING_KEY_ACCOUNT, 'something else');
    await expect(resolveSigningKey({ keychain: kc })).rejects.toThrow(/signing key in the keychain is not a readable PEM private key/);
    expect(kc.items.get(SIGNING_KEY_ACCOUNT)).toBe('something else');
  });

  it('says to use --sign-key when no keychain can be reached', async () => {
    const none = createKeychain({ service: 'sentry-harden-test', platform: 'freebsd' });
    await expect(resolveSigningKey({ keychain: none })).rejects.toMatchObject({
      code: 'keychain_unavailable',
      message: expect.stringMatching(/^This operating system has no keychain sentry-harden can use\. The evidence signing key cannot be read\. Sign with a key file instead \(--sign-key FILE\)\.$/),
    });
  });

  it('signs with a key file (also an encrypted one) without touching any keychain', async () => {
    const dir = dirs.make();
    const plain = path.join(dir, 'consultant.pem');
    const key = generateSigningKey();
    writeFileSync(plain, exportPrivateKeyPem(key.privateKey));
    const fromFile = await resolveSigningKey({ keyFile: plain });
    expect(fromFile).toMatchObject({ source: 'file', created: false });
    expect(fromFile.key.keyid).toBe(key.keyid);

    const encrypted = path.join(dir, 'encrypted.pem');
    const { privateKey } = generateKeyPairSync('ed25519', { privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'correct horse' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    writeFileSync(encrypted, privateKey);
    expect((await resolveSigningKey({ keyFile: encrypted, passphrase: 'correct horse' })).source).toBe('file');
    await expect(resolveSigningKey({ keyFile: encrypted })).rejects.toThrow(/is encrypted; give its passphrase/);
    await expect(resolveSigningKey({ keyFile: path.join(dir, 'missing.pem') })).rejects.toThrow(/Cannot read the key file .*missing\.pem: ENOENT/);
  });
});

describe('chooseSigningKey: the one choice of key for packages and plans', () => {
  const unreachable = (): Keychain => createKeychain({ service: 'sentry-harden-test', platform: 'freebsd' });

  it('takes a key file first, then the PEM from the environment, then the keychain', async () => {
    const dir = dirs.make();
    const fileKey = generateSigningKey();
    const envKey = generateSigningKey();
    const file = path.join(dir, 'k.pem');
    writeFileSync(file, exportPrivateKeyPem(fileKey.privateKey));
    const envPem = exportPrivateKeyPem(envKey.privateKey);
    let opened = 0;
    const kc = memoryKeychain();
    const keychain = (): Keychain => {
      opened += 1;
      return kc;
    };
    const a = await chooseSigningKey({ keyFile: file, keyPem: envPem, keychain, allowUnsigned: true });
    expect(a.source === 'file' && a.key.keyid).toBe(fileKey.keyid);
    const b = await chooseSigningKey({ keyPem: envPem.trim().replaceAll('\n', '\\n'), keychain, allowUnsigned: true });
    expect(b.source === 'env' && b.key.keyid).toBe(envKey.keyid);
    expect(opened).toBe(0);
    const c = await chooseSigningKey({ keyPem: '  ', keychain, allowUnsigned: true });
    expect(c).toMatchObject({ source: 'keychain', created: true });
    expect(opened).toBe(1);
  });

  it('answers "unsigned" only when no keychain is reachable, and never for a key that was named but is unusable', async () => {
    expect(await chooseSigningKey({ keychain: unreachable, allowUnsigned: true })).toEqual({
      key: null,
      source: 'none',
      reason: 'no OS keychain is reachable and no key was given',
    });
    await expect(chooseSigningKey({ keychain: unreachable, allowUnsigned: false })).rejects.toMatchObject({ code: 'keychain_unavailable' });
    await expect(chooseSigningKey({ keyPem: 'not a key', keychain: unreachable, allowUnsigned: true })).rejects.toThrow(/The key in SENTRY_HARDEN_SIGNING_KEY is not a readable PEM private key/);
    await expect(chooseSigningKey({ keyFile: path.join(dirs.make(), 'missing.pem'), keychain: unreachable, allowUnsigned: true })).rejects.toThrow(/ENOENT/);
    const broken = memoryKeychain();
    broken.items.set(SIGNING_KEY_ACCOUNT, 'something else');
    await expect(chooseSigningKey({ keychain: () => broken, allowUnsigned: true })).rejects.toThrow(/not a readable PEM private key/);
  });
});

// The keychain-held key in the real Secret Service: `npm test` runs the suite inside
// scripts/with-keyring.sh; elsewhere these tests skip and say why.
const SERVICE = `sentry-harden-evidence-test-${process.pid}-${randomBytes(3).toString('hex')}`;
const realKeychain = createKeychain({ service: SERVICE });
let skipReason: string | null = null;
if (process.platform !== 'linux') skipReason = 'the Secret Service tests are Linux-only';
else if (!process.env.DBUS_SESSION_BUS_ADDRESS) skipReason = 'DBUS_SESSION_BUS_ADDRESS is unset (run the suite under scripts/with-keyring.sh)';
else {
  const probe = await realKeychain.probe();
  if (!probe.available) skipReason = probe.error.message;
}
if (skipReason) console.warn(`Secret Service signing-key tests skipped: ${skipReason}`);

describe.skipIf(skipReason !== null)('signing key in the real Secret Service', () => {
  afterAll(async () => {
    await realKeychain.deleteSecret(SIGNING_KEY_ACCOUNT).catch(() => undefined);
  });

  it('creates the key on first use, keeps it in the keychain and reuses it', async () => {
    expect(await realKeychain.getSecret(SIGNING_KEY_ACCOUNT)).toBeNull();
    const first = await resolveSigningKey({ keychain: realKeychain });
    expect(first.created).toBe(true);
    const stored = await realKeychain.getSecret(SIGNING_KEY_ACCOUNT);
    expect(stored).toMatch(/^pem-base64:/);
    // What secret-tool sees is that same item, under our service and the signing-key account.
    const seen = spawnSync('secret-tool', ['lookup', 'service', SERVICE, 'username', SIGNING_KEY_ACCOUNT], { encoding: 'utf8' });
    if (seen.status === 0) expect(seen.stdout).toBe(stored);
    const again = await resolveSigningKey({ keychain: createKeychain({ service: SERVICE }) });
    expect(again.created).toBe(false);
    expect(again.key.keyid).toBe(first.key.keyid);
    expect(again.key.fingerprint).toBe(first.key.fingerprint);
  });
});
