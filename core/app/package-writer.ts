import path from 'node:path';
import type { ReviewSchedule } from '../../shared/settings';
import { readJournal } from '../engine/journal';
import { changeRecordsFromJournals } from '../evidence/changes';
import { isEvidenceError } from '../primitives/errors';
import { generateSigningKey, type SigningKey } from '../evidence/keys';
import { zipPackage } from '../evidence/package';
import { resolveSigningKey } from '../evidence/signing-key';
import { writeEvidencePackage } from '../evidence/writer';
import type { Keychain } from '../secrets/index';
import type { PackageWriter } from './report-output';

export interface AppPackageWriterOptions {
  /** Holds the signing key (core/evidence/signing-key.ts), created on first use. */
  readonly keychain: Keychain;
  /**
   * Demo sessions only: without a reachable keychain, sign with a throwaway key kept in memory
   * (the package names its fingerprint; nothing pretends it is the consultant's key).
   */
  readonly throwawayKeyWithoutKeychain: boolean;
  /** The demo organization's profile: its packages say "demo organization, simulated data". */
  readonly demoProfileId?: string | null;
  /** Records the next review date the package sets (the profile's registers). */
  readonly saveReview?: (profileId: string, review: ReviewSchedule) => void;
}

/**
 * The app's PackageWriter over core/evidence's writer: the session's audits, the change records
 * of its journals, the registers and thresholds, signed with the keychain's key; then the folder
 * zipped beside it.
 */
export function createAppPackageWriter(options: AppPackageWriterOptions): PackageWriter {
  let throwaway: SigningKey | null = null;

  async function signingKey(): Promise<SigningKey> {
    try {
      return (await resolveSigningKey({ keychain: options.keychain })).key;
    } catch (e) {
      if (options.throwawayKeyWithoutKeychain && isEvidenceError(e) && e.code === 'keychain_unavailable') {
        throwaway ??= generateSigningKey();
        return throwaway;
      }
      throw e;
    }
  }

  return async (session, outDir) => {
    const key = await signingKey();
    const changes = changeRecordsFromJournals(session.journals.map((file) => readJournal(file)));
    const written = await writeEvidencePackage(
      outDir,
      {
        final: session.after,
        before: session.before,
        changes,
        registers: session.registers,
        settings: session.settings,
        demo: options.demoProfileId !== undefined && options.demoProfileId !== null && session.profileId === options.demoProfileId,
      },
      { key, forbidden: session.forbidden },
    );
    const zip = `${written.path}.zip`;
    await zipPackage(written.path, zip, { folderName: path.basename(written.path), replaceExisting: true });
    options.saveReview?.(session.profileId, {
      nextReviewDate: written.report.review.nextReviewDate,
      lastSessionAt: written.report.finishedAt,
      lastPackage: written.path,
      signedBy: key.fingerprint,
    });
    return { dir: written.path, zip, fingerprint: key.fingerprint };
  };
}
