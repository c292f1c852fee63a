import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { isEvidenceError } from '../core/primitives/errors';
import { exportPrivateKeyPem, generateSigningKey, importPrivateKeyPem, loadPrivateKeyFile, type SigningKey } from '../core/evidence/keys';
import { keychainKeyStore, signingKeyFromEnv, SIGNING_KEY_ENV, SIGNING_KEY_PASSPHRASE_ENV, SIGNING_KEY_SERVICE } from '../core/evidence/signing-key';
import { isSecretsError } from '../core/secrets/errors';
import { createKeychain } from '../core/secrets/keychain';
import { CliUsageError, EXIT } from './cli-error';
import type { CliIo } from './io';
import { withUsageErrors } from './options';

/**
 * `sentry-harden keys create --out FILE`: a new Ed25519 signing key for CI (PKCS#8 PEM, mode 0600,
 * never overwriting a file). `sentry-harden keys public [FILE]`: the public key PEM on stdout (for
 * auditors: `> signing-key.pub.pem`), its fingerprint on stderr; without FILE, the key that
 * audit would sign with (SENTRY_HARDEN_SIGNING_KEY, else the keychain's; none is created).
 */
export async function runKeysCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = withUsageErrors(() =>
    parseArgs({ args: argv, options: { out: { type: 'string' } }, allowPositionals: true, strict: true }),
  );
  const [verb, ...rest] = positionals;
  try {
    if (verb === 'create') {
      if (rest.length > 0) throw new CliUsageError(`keys create: unexpected argument "${rest[0]}"`);
      if (!values.out) throw new CliUsageError('keys create needs --out FILE (where the private key is written)');
      return await createKey(io, path.resolve(io.cwd, values.out));
    }
    if (verb === 'public') {
      if (rest.length > 1) throw new CliUsageError(`keys public: unexpected argument "${rest[1]}"`);
      const key = await keyToShow(io, rest[0]);
      io.stdout.write(key.publicKeyPem);
      io.stderr.write(`${key.fingerprint}\nkeyid ${key.keyid}\n`);
      return EXIT.ok;
    }
  } catch (e) {
    if (isEvidenceError(e) || isSecretsError(e)) throw new CliUsageError(e.message);
    throw e;
  }
  throw new CliUsageError('expected "keys create --out FILE" or "keys public [FILE]"');
}

async function createKey(io: CliIo, file: string): Promise<number> {
  const key = generateSigningKey();
  try {
    await writeFile(file, exportPrivateKeyPem(key.privateKey), { flag: 'wx', mode: 0o600 });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new CliUsageError(code === 'EEXIST' ? `${file} already exists; a key is never overwritten (choose another name)` : `cannot write ${file}: ${code}`);
  }
  io.stdout.write(
    `Signing key written to ${file} (Ed25519, PKCS#8 PEM, readable by you only).\n` +
      `Fingerprint: ${key.fingerprint}\n` +
      `In CI: store the file's content as the secret ${SIGNING_KEY_ENV} (or pass --sign-key FILE).\n` +
      `For auditors: sentry-harden keys public ${path.basename(file)} > signing-key.pub.pem, then verify PACKAGE --key signing-key.pub.pem.\n`,
  );
  return EXIT.ok;
}

async function keyToShow(io: CliIo, file: string | undefined): Promise<SigningKey> {
  const passphrase = io.env[SIGNING_KEY_PASSPHRASE_ENV];
  const pass = passphrase ? { passphrase } : {};
  if (file !== undefined) return loadPrivateKeyFile(path.resolve(io.cwd, file), pass);
  const pem = io.env[SIGNING_KEY_ENV];
  if (pem !== undefined && pem.trim() !== '') return signingKeyFromEnv(pem, pass);
  const keychain = createKeychain({ service: io.env.SENTRY_HARDEN_KEYCHAIN_SERVICE ?? SIGNING_KEY_SERVICE });
  const stored = await keychainKeyStore(keychain).get();
  if (stored === null || stored === '') {
    throw new CliUsageError(`no signing key: give a FILE, set ${SIGNING_KEY_ENV}, or run an audit with --out once to create the keychain's key`);
  }
  return importPrivateKeyPem(stored, { source: 'The signing key in the keychain' });
}
