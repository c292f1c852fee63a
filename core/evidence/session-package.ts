import type { AuditSettingsOverrides, ReviewSchedule } from '../../shared/settings';
import { DEFAULT_AUDIT_SETTINGS } from '../controls/index';
import type { AuditSettings } from '../controls/types';
import { isSecretsError } from '../secrets/errors';
import type { Keychain } from '../secrets/keychain';
import { isEvidenceError } from '../primitives/errors';
import { generateSigningKey, type SigningKey } from './keys';
import { zipPackage } from './package';
import { chooseSigningKey, type SigningKeyChoice } from './signing-key';
import { writeEvidencePackage, type EvidenceInput, type WrittenPackage } from './writer';
import path from 'node:path';

/**
 * What the CLI (`audit --out`, `apply --out`) and the app (report:save) share around an evidence
 * package: the audit thresholds, the choice of signing key, writing it, and the review date it
 * sets on the profile.
 */

/** The person's threshold overrides over the defaults; an override left undefined keeps the default. */
export function mergeAuditSettings(overrides: AuditSettingsOverrides | undefined): AuditSettings {
  const defined = Object.fromEntries(Object.entries(overrides ?? {}).filter(([, v]) => v !== undefined));
  return { ...DEFAULT_AUDIT_SETTINGS, ...defined } as AuditSettings;
}

/** The demo's key when no keychain is reachable: made here only, kept in memory, never stored. */
export interface ThrowawaySigningKey {
  readonly key: SigningKey;
  readonly source: 'throwaway';
  readonly created: boolean;
}

export type SessionSigningKey = SigningKeyChoice | ThrowawaySigningKey;

export interface SessionKeyOptions {
  /** `--sign-key FILE`. */
  readonly keyFile?: string;
  /** The PEM of SIGNING_KEY_ENV. */
  readonly keyPem?: string;
  readonly passphrase?: string;
  readonly keychain?: () => Keychain;
  /**
   * Without a reachable keychain: `unsigned` writes the package unsigned (CLI), `throwaway` signs
   * with a key made for this process (demo sessions), `refuse` throws the keychain's error.
   */
  readonly withoutKeychain: 'unsigned' | 'throwaway' | 'refuse';
}

/**
 * The key chooser of a session (core/evidence/signing-key.ts `chooseSigningKey` decides): call it
 * for each package; a throwaway key, once made, signs every later package of the process.
 */
export function sessionKeyChooser(options: SessionKeyOptions): () => Promise<SessionSigningKey> {
  let throwaway: SigningKey | null = null;
  return async () => {
    try {
      return await chooseSigningKey({
        ...(options.keyFile !== undefined ? { keyFile: options.keyFile } : {}),
        ...(options.keyPem !== undefined ? { keyPem: options.keyPem } : {}),
        ...(options.passphrase !== undefined ? { passphrase: options.passphrase } : {}),
        ...(options.keychain ? { keychain: options.keychain } : {}),
        allowUnsigned: options.withoutKeychain === 'unsigned',
      });
    } catch (e) {
      const unavailable = (isEvidenceError(e) || isSecretsError(e)) && e.code === 'keychain_unavailable';
      if (options.withoutKeychain !== 'throwaway' || !unavailable) throw e;
      const created = throwaway === null;
      throwaway ??= generateSigningKey();
      return { key: throwaway, source: 'throwaway', created };
    }
  };
}

export interface SessionPackageOptions {
  readonly key: SessionSigningKey;
  /** Values no file may contain (the token). */
  readonly forbidden: readonly string[];
  /** Also zip the folder beside it (the app's report:save). */
  readonly zip?: boolean;
  /** Records the next review date the package sets (the profile's registers). */
  readonly saveReview?: (review: ReviewSchedule) => void;
}

export interface SessionPackage {
  readonly written: WrittenPackage;
  /** The .zip beside the folder, when asked for. */
  readonly zip: string | null;
}

/** Writes the package (and its zip), then records the review it sets. */
export async function writeSessionPackage(out: string, input: EvidenceInput, options: SessionPackageOptions): Promise<SessionPackage> {
  const { key } = options;
  const written = await writeEvidencePackage(out, input, {
    key: key.key,
    ...(key.key === null ? { unsignedReason: key.reason } : {}),
    forbidden: [...options.forbidden],
  });
  let zip: string | null = null;
  if (options.zip) {
    zip = `${written.path}.zip`;
    await zipPackage(written.path, zip, { folderName: path.basename(written.path), replaceExisting: true });
  }
  options.saveReview?.({
    nextReviewDate: written.report.review.nextReviewDate,
    lastSessionAt: written.report.finishedAt,
    lastPackage: written.path,
    ...(written.fingerprint !== null ? { signedBy: written.fingerprint } : {}),
  });
  return { written, zip };
}
