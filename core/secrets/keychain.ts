import type * as Keyring from '@napi-rs/keyring';
import type { EntryOptions } from '@napi-rs/keyring';
import type { ErrorInfo } from '../../shared/errors';
import { ProfileIdSchema } from '../../shared/profile';
import { SecretsError, redact } from './errors';
import { keychainHelp } from './keychain-help';

/**
 * The OS keychain, one entry per connection profile (account = profile id), so the tokens of
 * different client organizations never share an item. Backed by `@napi-rs/keyring`:
 * - Linux: pinned to the Secret Service (gnome-keyring, KWallet, KeePassXC). Unpinned, the
 *   library silently falls back to the kernel keyutils store, which is memory-only and not
 *   what a person expects; pinned, it throws instead, and so do we.
 * - macOS: the login Keychain; Windows: the Credential Manager. The library has no fallback
 *   there (and ignores the Linux options).
 * - Anything else: refused, since we cannot say where the token would go.
 * When no keychain can be reached the token is never written anywhere else.
 */

export type KeychainBackend = 'secret-service' | 'macos-keychain' | 'windows-credential-manager';

export type KeychainProbe =
  | { readonly available: true; readonly backend: KeychainBackend }
  | {
      readonly available: false;
      readonly backend: KeychainBackend | null;
      /** Its message is plain words (keychain-help.ts), never the library's raw text. */
      readonly error: ErrorInfo;
      /** What to install, run or unlock. */
      readonly steps?: readonly string[];
    };

export interface Keychain {
  readonly service: string;
  /** Where tokens go on this platform; null when the platform has no supported keychain. */
  readonly backend: KeychainBackend | null;
  /** Stores (or replaces) the secret of `account`. Throws SecretsError `keychain_unavailable`. */
  setSecret(account: string, secret: string): Promise<void>;
  /** The secret of `account`, or null when there is none. */
  getSecret(account: string): Promise<string | null>;
  /** True when an item was deleted, false when there was none. */
  deleteSecret(account: string): Promise<boolean>;
  /**
   * Read-only reachability check: never writes an item. It sees a missing bus or Secret Service,
   * but not a locked keyring (looking up an absent item needs no unlock); a write to a locked
   * keyring fails with `keychain_unavailable` when it happens.
   */
  probe(): Promise<KeychainProbe>;
}

export interface KeychainOptions {
  /** The keychain's service attribute, e.g. `sentry-harden`. */
  readonly service: string;
  /** For tests; defaults to `process.platform`. */
  readonly platform?: NodeJS.Platform;
  /** For tests: the keychain library (defaults to `@napi-rs/keyring`, loaded on first use). */
  readonly keyring?: () => Promise<KeyringModule>;
}

/** Sentry tokens are well under 1 KiB; the cap keeps absurd input out of the keychain. */
const MAX_SECRET_LENGTH = 8192;
const PROBE_ACCOUNT = 'sentry-harden-probe';

export function keychainBackendFor(platform: NodeJS.Platform): KeychainBackend | null {
  switch (platform) {
    case 'linux':
      return 'secret-service';
    case 'darwin':
      return 'macos-keychain';
    case 'win32':
      return 'windows-credential-manager';
    default:
      return null;
  }
}

/** The options bag that pins the store; exported so a test can assert the pin. */
export function keychainEntryOptions(platform: NodeJS.Platform): EntryOptions {
  return platform === 'linux' ? { linux: { store: 'secret-service' } } : {};
}

type KeyringModule = typeof Keyring;
let keyringModule: Promise<KeyringModule> | undefined;

/** Loaded on first use so that a missing native binary becomes a clear error, not a crash at start. */
function loadKeyring(): Promise<KeyringModule> {
  keyringModule ??= import('@napi-rs/keyring');
  return keyringModule;
}

type Operation = 'store' | 'read' | 'delete' | 'probe';

const CONSEQUENCE: Record<Operation, string> = {
  store: 'The token was not saved.',
  read: 'The saved token cannot be read.',
  delete: 'The token could not be removed.',
  probe: '',
};

function causeText(error: unknown, secret: string | undefined): string {
  const raw = error instanceof Error ? error.message : String(error);
  return redact(raw, secret).replace(/\s+/g, ' ').trim().slice(0, 300) || 'unknown error';
}

/**
 * Turns a library failure into a SecretsError whose message names the cause, never the secret.
 * An unreachable keychain is told in plain words with what to do (keychain-help.ts); the
 * library's own text stays in `cause`, for a log, never in the message.
 */
function toSecretsError(error: unknown, op: Operation, platform: NodeJS.Platform, secret?: string): SecretsError {
  const cause = causeText(error, secret);
  if (/ambiguous/i.test(cause)) {
    return new SecretsError(
      'internal',
      `Several OS keychain items match this profile (${cause}); remove the duplicates in the keychain manager`,
    );
  }
  if (/too ?long/i.test(cause)) {
    return new SecretsError('invalid_input', `The OS keychain refused the token: it is too long (${cause})`);
  }
  if (/bad ?encoding|utf-?8/i.test(cause)) {
    return new SecretsError('internal', `The OS keychain item for this profile is not text (${cause})`);
  }
  // Everything else (no bus, no Secret Service, locked or dismissed prompt, denied access).
  return unavailable(platform, cause, op);
}

function unavailable(platform: NodeJS.Platform, cause: string, op: Operation): SecretsError {
  const help = keychainHelp(platform, cause);
  const message = [help.reason, CONSEQUENCE[op], help.steps[0]].filter((s) => s !== '' && s !== undefined).join(' ');
  return new SecretsError('keychain_unavailable', message, { cause: new Error(cause), unavailableBecause: help.cause });
}

function checkAccount(account: string): void {
  if (!ProfileIdSchema.safeParse(account).success) {
    throw new SecretsError('invalid_input', 'Keychain account must be a profile id (1-64 letters, digits, "-" or "_")');
  }
}

function checkSecret(secret: string): void {
  if (typeof secret !== 'string' || secret.length === 0) {
    throw new SecretsError('invalid_input', 'The token is empty');
  }
  if (secret.length > MAX_SECRET_LENGTH) {
    throw new SecretsError('invalid_input', `The token is longer than ${MAX_SECRET_LENGTH} characters`);
  }
  if (/[\0\r\n]/.test(secret)) {
    throw new SecretsError('invalid_input', 'The token contains a line break or NUL character');
  }
}

export function createKeychain(options: KeychainOptions): Keychain {
  const service = options.service;
  if (typeof service !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(service)) {
    throw new SecretsError('invalid_input', 'Keychain service name must be 1-100 letters, digits, ".", "-" or "_"');
  }
  const platform = options.platform ?? process.platform;
  const backend = keychainBackendFor(platform);
  const entryOptions = keychainEntryOptions(platform);
  const load = options.keyring ?? loadKeyring;

  async function entry(account: string, op: Operation, secret?: string) {
    if (backend === null) throw unavailable(platform, `platform ${platform} is not supported`, op);
    let keyring: KeyringModule;
    try {
      keyring = await load();
    } catch (error) {
      throw toSecretsError(new Error(`the keychain module failed to load: ${causeText(error, secret)}`), op, platform, secret);
    }
    try {
      // With the store pinned, the constructor throws when the Secret Service is unreachable.
      return new keyring.AsyncEntry(service, account, entryOptions);
    } catch (error) {
      throw toSecretsError(error, op, platform, secret);
    }
  }

  return {
    service,
    backend,

    async setSecret(account, secret) {
      checkAccount(account);
      checkSecret(secret);
      const e = await entry(account, 'store', secret);
      try {
        await e.setPassword(secret);
      } catch (error) {
        throw toSecretsError(error, 'store', platform, secret);
      }
    },

    async getSecret(account) {
      checkAccount(account);
      const e = await entry(account, 'read');
      try {
        return await e.getPassword();
      } catch (error) {
        throw toSecretsError(error, 'read', platform);
      }
    },

    async deleteSecret(account) {
      checkAccount(account);
      const e = await entry(account, 'delete');
      try {
        return await e.deleteCredential();
      } catch (error) {
        throw toSecretsError(error, 'delete', platform);
      }
    },

    async probe() {
      try {
        const e = await entry(PROBE_ACCOUNT, 'probe');
        // A read reaches the store (and, for a locked keyring, fails on the unlock prompt).
        await e.getPassword();
        return { available: true, backend: backend as KeychainBackend };
      } catch (error) {
        const failure = error instanceof SecretsError ? error : toSecretsError(error, 'probe', platform);
        const raw = failure.cause instanceof Error ? failure.cause.message : failure.message;
        return { available: false, backend, error: failure.toInfo(), steps: keychainHelp(platform, raw).steps };
      }
    },
  };
}
