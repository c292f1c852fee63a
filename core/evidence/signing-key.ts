import { isSecretsError } from '../secrets/errors';
import type { Keychain } from '../secrets/keychain';
import { EvidenceError } from '../primitives/errors';
import { getOrCreateSigningKey, importPrivateKeyPem, loadPrivateKeyFile } from './keys';
import type { KeyStore, SigningKey } from './keys';

/**
 * Where the signing key lives in the OS keychain: one key per user account of the machine. A
 * service of its own: tokens live under `sentry-harden` with the profile id as account, and any
 * account name is a valid profile id, so sharing that service could let a profile's token
 * overwrite the key (or the key be read as a token).
 */
export const SIGNING_KEY_SERVICE = 'sentry-harden-signing';
export const SIGNING_KEY_ACCOUNT = 'evidence-signing-key';

const PREFIX = 'pem-base64:';

/**
 * A KeyStore over the OS keychain. Keychain items hold one line (no line breaks), so the PEM is
 * stored base64-encoded behind a prefix; anything else in the item is handed back as is, for
 * getOrCreateSigningKey to refuse rather than overwrite.
 */
export function keychainKeyStore(keychain: Keychain, account: string = SIGNING_KEY_ACCOUNT): KeyStore {
  const wrap = async <T>(what: string, op: () => Promise<T>): Promise<T> => {
    try {
      return await op();
    } catch (e) {
      if (isSecretsError(e)) {
        // The keychain's own message speaks of "the token"; say what is at stake here.
        const cause = e.unavailableBecause ?? e.message;
        throw new EvidenceError(e.code, `${cause} The evidence signing key cannot be ${what}. Sign with a key file instead (--sign-key FILE).`, e);
      }
      throw e;
    }
  };
  return {
    get: () =>
      wrap('read', async () => {
        const item = await keychain.getSecret(account);
        if (item === null) return null;
        return item.startsWith(PREFIX) ? Buffer.from(item.slice(PREFIX.length), 'base64').toString('utf8') : item;
      }),
    set: (pem: string) => wrap('stored', () => keychain.setSecret(account, PREFIX + Buffer.from(pem, 'utf8').toString('base64'))),
  };
}

export interface ResolvedSigningKey {
  readonly key: SigningKey;
  readonly source: 'file' | 'env' | 'keychain';
  /** True when the keychain key was created by this call. */
  readonly created: boolean;
}

/**
 * The key a package is signed with: a consultant's own key file when given (no keychain is
 * touched), else the key in the OS keychain, created there on first use. Throws EvidenceError
 * (`invalid_input` for an unusable file, `keychain_unavailable` when no keychain can be reached).
 */
export async function resolveSigningKey(options: { keyFile?: string; passphrase?: string; keychain?: Keychain }): Promise<ResolvedSigningKey> {
  if (options.keyFile !== undefined) {
    const key = await loadPrivateKeyFile(options.keyFile, options.passphrase === undefined ? {} : { passphrase: options.passphrase });
    return { key, source: 'file', created: false };
  }
  if (!options.keychain) throw new EvidenceError('invalid_input', 'No signing key: give a key file or a keychain.');
  const { key, created } = await getOrCreateSigningKey(keychainKeyStore(options.keychain));
  return { key, source: 'keychain', created };
}

/** The environment variable a CI job passes its signing key in (PKCS#8 PEM, as CI secrets are). */
export const SIGNING_KEY_ENV = 'SENTRY_HARDEN_SIGNING_KEY';
/** The passphrase of an encrypted key file or key in SIGNING_KEY_ENV. */
export const SIGNING_KEY_PASSPHRASE_ENV = 'SENTRY_HARDEN_SIGN_KEY_PASSPHRASE';

/** The key in SIGNING_KEY_ENV. CI variables often arrive with their line breaks written as "\\n". */
export function signingKeyFromEnv(value: string, pass: { passphrase?: string } = {}): SigningKey {
  const pem = value.includes('\\n') && !value.includes('\n') ? value.replaceAll('\\n', '\n') : value;
  return importPrivateKeyPem(pem, { ...pass, source: `The key in ${SIGNING_KEY_ENV}` });
}

/** No key could be had: the package is written unsigned, and `reason` says why (report.json, stderr, report.html). */
export interface NoSigningKey {
  readonly key: null;
  readonly source: 'none';
  readonly reason: string;
}

export type SigningKeyChoice = ResolvedSigningKey | NoSigningKey;

export interface SigningKeyOptions {
  /** `--sign-key FILE`: wins over everything; an unusable file is an error, never a fallback. */
  readonly keyFile?: string;
  /** The PEM from SIGNING_KEY_ENV (CI secrets); an unusable value is an error, never a fallback. */
  readonly keyPem?: string;
  readonly passphrase?: string;
  /** The OS keychain, opened only when neither a file nor a PEM was given. */
  readonly keychain?: () => Keychain;
  /** When no keychain is reachable: write unsigned (true) or refuse (false, the error as is). */
  readonly allowUnsigned: boolean;
}

/**
 * The one place that decides which key signs (evidence packages and plans alike): a key file,
 * else the PEM in SIGNING_KEY_ENV, else the OS keychain's key (created on first use). With no
 * keychain reachable (a CI runner has no D-Bus) the answer is "unsigned", so the audit's result
 * is never lost to where a key is stored. Keys that were named but are unusable always throw.
 */
export async function chooseSigningKey(options: SigningKeyOptions): Promise<SigningKeyChoice> {
  const pass = options.passphrase === undefined || options.passphrase === '' ? {} : { passphrase: options.passphrase };
  if (options.keyFile !== undefined) return resolveSigningKey({ keyFile: options.keyFile, ...pass });
  if (options.keyPem !== undefined && options.keyPem.trim() !== '') {
    return { key: signingKeyFromEnv(options.keyPem, pass), source: 'env', created: false };
  }
  if (!options.keychain) {
    if (options.allowUnsigned) return { key: null, source: 'none', reason: 'no signing key was given' };
    throw new EvidenceError('invalid_input', `No signing key: give --sign-key FILE or set ${SIGNING_KEY_ENV}.`);
  }
  try {
    return await resolveSigningKey({ keychain: options.keychain() });
  } catch (e) {
    const unavailable = (e instanceof EvidenceError || isSecretsError(e)) && e.code === 'keychain_unavailable';
    if (options.allowUnsigned && unavailable) {
      return { key: null, source: 'none', reason: 'no OS keychain is reachable and no key was given' };
    }
    throw e;
  }
}
