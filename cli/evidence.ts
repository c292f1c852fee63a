import path from 'node:path';
import type { Drift, DriftFinding } from '../shared/evidence';
import type { Registers, ReviewSchedule } from '../shared/settings';
import { DEFAULT_AUDIT_SETTINGS } from '../core/controls/index';
import { mergeAuditSettings, sessionKeyChooser, writeSessionPackage as writeCorePackage, type SessionSigningKey } from '../core/evidence/session-package';
import type { AuditSettings } from '../core/controls/types';
import { loadBaselinePackage, type BaselinePackage } from '../core/evidence/drift';
import { isEvidenceError } from '../core/primitives/errors';
import { checkPackageDestination } from '../core/evidence/destination';
import { mergeRegisters, readRegistersFile, emptyRegisterSet } from '../core/evidence/registers';
import { SIGNING_KEY_ENV, SIGNING_KEY_PASSPHRASE_ENV, SIGNING_KEY_SERVICE } from '../core/evidence/signing-key';
import { DEFAULT_REVIEW_INTERVAL_DAYS, type EvidenceInput, type WrittenPackage } from '../core/evidence/writer';
import { isSecretsError } from '../core/secrets/errors';
import { createKeychain } from '../core/secrets/keychain';
import { isStoreError, recordReview, type AppStore } from '../core/store/index';
import { CliUsageError } from './cli-error';
import type { CliIo } from './io';
import { openExistingStore } from './profile-store';
import { joinLines } from './terminal';

/** Options of `audit` and `apply` that shape the evidence package. */
export const EVIDENCE_OPTIONS = {
  'sign-key': { type: 'string' },
  registers: { type: 'string' },
  profile: { type: 'string' },
  'review-days': { type: 'string' },
} as const;

export interface EvidenceFlags {
  /** A consultant's Ed25519 private key (PKCS#8 PEM); else the keychain's key. */
  readonly signKey: string | undefined;
  /** A JSON file matching RegistersSchema. */
  readonly registers: string | undefined;
  /** A profile of the app's store: its registers, thresholds and review schedule. */
  readonly profile: string | undefined;
  readonly reviewDays: number;
}

export function parseEvidenceFlags(values: Record<string, unknown>, io: CliIo): EvidenceFlags {
  const str = (k: string): string | undefined => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const days = str('review-days');
  const reviewDays = days === undefined ? DEFAULT_REVIEW_INTERVAL_DAYS : Number(days);
  if (!Number.isInteger(reviewDays) || reviewDays < 1 || reviewDays > 3660) {
    throw new CliUsageError(`--review-days must be a whole number of days between 1 and 3660 (got "${days}")`);
  }
  const file = str('sign-key');
  const registers = str('registers');
  return {
    signKey: file === undefined ? undefined : path.resolve(io.cwd, file),
    registers: registers === undefined ? undefined : path.resolve(io.cwd, registers),
    profile: str('profile'),
    reviewDays,
  };
}

/** What an audit needs from the registers: the entries, the thresholds, and where to record the review. */
export interface SessionContext {
  readonly registers: Registers;
  readonly settings: AuditSettings;
  readonly store: AppStore | null;
  readonly profileId: string | null;
}

function usage(e: unknown): never {
  if (isEvidenceError(e) || isStoreError(e) || isSecretsError(e)) throw new CliUsageError(e.message);
  throw e;
}

/**
 * Registers of the session: the store profile's (`--profile`, whose organization must be the one
 * audited; its audit thresholds apply too), then a `--registers` file on top (same ids replace).
 */
export async function loadSessionContext(io: CliIo, flags: EvidenceFlags, orgSlug: string): Promise<SessionContext> {
  let registers = emptyRegisterSet();
  let settings: AuditSettings = DEFAULT_AUDIT_SETTINGS;
  let store: AppStore | null = null;
  if (flags.profile !== undefined) {
    try {
      store = openExistingStore(io.env);
      if (!store) throw new CliUsageError(`--profile ${flags.profile}: there is no app settings file (set SENTRY_HARDEN_CONFIG_DIR to its folder)`);
      const profile = store.getProfile(flags.profile);
      if (!profile) throw new CliUsageError(`--profile ${flags.profile}: no such profile in ${store.path}`);
      if (profile.orgSlug !== orgSlug) throw new CliUsageError(`--profile ${flags.profile} is for organization ${profile.orgSlug}, not ${orgSlug}`);
      registers = store.getRegisters(flags.profile);
      settings = mergeAuditSettings(store.getSettings().audit);
    } catch (e) {
      usage(e);
    }
  }
  if (flags.registers !== undefined) {
    try {
      registers = mergeRegisters(registers, await readRegistersFile(flags.registers));
    } catch (e) {
      usage(e);
    }
  }
  return { registers, settings, store, profileId: flags.profile ?? null };
}

/**
 * The signing key (core/evidence/signing-key.ts `chooseSigningKey`): `--sign-key FILE`, else the
 * PEM in SENTRY_HARDEN_SIGNING_KEY, else the OS keychain's (service SENTRY_HARDEN_KEYCHAIN_SERVICE
 * or `sentry-harden-signing`), created on first use. With none reachable the package is written
 * unsigned, and this says so before the audit starts. Passphrase: SENTRY_HARDEN_SIGN_KEY_PASSPHRASE.
 */
export async function signingKeyFor(io: CliIo, flags: EvidenceFlags): Promise<SessionSigningKey> {
  let choice: SessionSigningKey;
  try {
    const passphrase = io.env[SIGNING_KEY_PASSPHRASE_ENV];
    const keyPem = io.env[SIGNING_KEY_ENV];
    choice = await sessionKeyChooser({
      ...(flags.signKey !== undefined ? { keyFile: flags.signKey } : {}),
      ...(keyPem !== undefined ? { keyPem } : {}),
      ...(passphrase !== undefined ? { passphrase } : {}),
      keychain: () => createKeychain({ service: io.env.SENTRY_HARDEN_KEYCHAIN_SERVICE ?? SIGNING_KEY_SERVICE }),
      withoutKeychain: 'unsigned',
    })();
  } catch (e) {
    return usage(e);
  }
  if (choice.key === null) io.stderr.write(unsignedWarning(choice.reason));
  return choice;
}

function unsignedWarning(reason: string): string {
  return `warning: the evidence package will be UNSIGNED: ${reason}. Sign with --sign-key FILE or ${SIGNING_KEY_ENV} (sentry-harden keys create --out FILE makes a key).\n`;
}

/** Refuses, before any request, an output folder that holds files of someone else's. */
/** Refuses an --out that cannot take a package (an existing .zip, someone's folder, no write access) before any audit. */
export async function checkOutput(io: CliIo, out: string): Promise<void> {
  try {
    await checkPackageDestination(path.resolve(io.cwd, out));
  } catch (e) {
    if (isEvidenceError(e)) throw new CliUsageError(`--out ${out}: ${e.message}`);
    throw e;
  }
}

export async function loadBaseline(io: CliIo, file: string): Promise<BaselinePackage> {
  try {
    return await loadBaselinePackage(path.resolve(io.cwd, file));
  } catch (e) {
    return usage(e);
  }
}

/**
 * Writes the package and, for a store profile, records its next review date there. Throws
 * CliUsageError (exit 2) when the package cannot be written.
 */
export async function writeSessionPackage(
  io: CliIo,
  out: string,
  input: EvidenceInput,
  ctx: SessionContext,
  key: SessionSigningKey,
  token: string,
): Promise<WrittenPackage> {
  const { store, profileId } = ctx;
  try {
    const { written } = await writeCorePackage(path.resolve(io.cwd, out), input, {
      key,
      forbidden: [token],
      ...(store && profileId ? { saveReview: (review: ReviewSchedule) => store.saveRegisters(profileId, recordReview(store.getRegisters(profileId), review)) } : {}),
    });
    return written;
  } catch (e) {
    return usage(e);
  }
}

export function formatPackage(written: WrittenPackage, key: SessionSigningKey): string {
  const how =
    key.source === 'file'
      ? 'key file'
      : key.source === 'env'
        ? `key from ${SIGNING_KEY_ENV}`
        : key.source === 'throwaway'
          ? 'throwaway demo key'
          : key.source === 'keychain' && key.created
            ? 'new key created in the OS keychain'
            : 'key from the OS keychain';
  const lines = [
    `Evidence package: ${written.path} (${written.files.length} files)`,
    written.fingerprint === null ? `UNSIGNED: ${written.report.unsigned?.reason ?? 'no signing key'}` : `Signed by ${written.fingerprint} (${how})`,
    `Next review: ${written.report.review.nextReviewDate.slice(0, 10)}`,
    written.fingerprint === null
      ? `Verify with: sentry-harden verify ${written.path} (checks every file against manifest.json; it reports UNSIGNED, never VALID)`
      : `Verify with: sentry-harden verify ${written.path} --key SIGNER_PUBLIC_KEY (the signer's signing-key.pub.pem, obtained separately)`,
  ];
  return joinLines(lines);
}

function driftLines(title: string, items: readonly DriftFinding[]): string[] {
  if (items.length === 0) return [];
  return [`  ${title} (${items.length}):`, ...items.slice(0, 20).map((d) => `    ${d.check}  ${d.resource.type} ${d.resource.name}: ${d.message}`), ...(items.length > 20 ? [`    ... and ${items.length - 20} more in report.json`] : [])];
}

export function formatDrift(drift: Drift): string {
  const lines = [`Drift since the review of ${drift.baseline.finishedAt.slice(0, 10)}${drift.baseline.signer ? ` (baseline signed by ${drift.baseline.signer})` : ' (baseline unsigned)'}:`];
  lines.push(...driftLines('newly failing', drift.newlyFailing));
  lines.push(...driftLines('regressed', drift.regressed));
  lines.push(...driftLines('fixed', drift.fixed));
  lines.push(...driftLines('no longer reported', drift.noLongerReported));
  if (drift.newIntegrations.length > 0) {
    lines.push(`  new integrations (${drift.newIntegrations.length}):`, ...drift.newIntegrations.map((i) => `    ${i.resource.type} ${i.resource.name}${i.scopes.length > 0 ? `: ${i.scopes.join(', ')}` : ''}`));
  }
  if (drift.newScopes.length > 0) {
    lines.push(`  new scopes (${drift.newScopes.length}):`, ...drift.newScopes.map((i) => `    ${i.resource.type} ${i.resource.name}: ${i.scopes.join(', ')}`));
  }
  if (drift.expiredExceptions.length > 0) {
    lines.push(`  expired exceptions (${drift.expiredExceptions.length}):`, ...drift.expiredExceptions.map((e) => `    ${e.id} (${e.control})${e.expiresAt ? ` expired ${e.expiresAt.slice(0, 10)}` : ''}`));
  }
  if (lines.length === 1) lines.push('  no change.');
  for (const n of drift.notes) lines.push(`  note: ${n}`);
  return joinLines(lines);
}
