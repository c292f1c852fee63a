import { isSecretsError } from '../secrets/errors';
import type { Keychain } from '../secrets/keychain';
import { EvidenceError } from './errors';
import { getOrCreateSigningKey, loadPrivateKeyFile } from './keys';
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
        const cause = e.message.replace(/;.*$/, '');
        throw new EvidenceError(
          e.code,
          `${cause}; the evidence signing key cannot be ${what}. Sign with a key file instead (--sign-key FILE).`,
          e,
        );
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
  readonly source: 'file' | 'keychain';
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
