import type { ReviewSchedule } from '../../shared/settings';
import { readJournal } from '../engine/journal';
import { changeRecordsFromJournals } from '../evidence/changes';
import { sessionKeyChooser, writeSessionPackage } from '../evidence/session-package';
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
 * The app's PackageWriter over core/evidence/session-package.ts: the session's audits, the change
 * records of its journals, the registers and thresholds, signed with the keychain's key; then the
 * folder zipped beside it.
 */
export function createAppPackageWriter(options: AppPackageWriterOptions): PackageWriter {
  const signingKey = sessionKeyChooser({
    keychain: () => options.keychain,
    withoutKeychain: options.throwawayKeyWithoutKeychain ? 'throwaway' : 'refuse',
  });

  return async (session, outDir) => {
    const key = await signingKey();
    const changes = changeRecordsFromJournals(session.journals.map((file) => readJournal(file)));
    const { written, zip } = await writeSessionPackage(
      outDir,
      {
        final: session.after,
        before: session.before,
        changes,
        registers: session.registers,
        settings: session.settings,
        demo: options.demoProfileId !== undefined && options.demoProfileId !== null && session.profileId === options.demoProfileId,
      },
      {
        key,
        forbidden: session.forbidden,
        zip: true,
        ...(options.saveReview ? { saveReview: (review: ReviewSchedule) => options.saveReview?.(session.profileId, review) } : {}),
      },
    );
    return { dir: written.path, zip, fingerprint: written.fingerprint };
  };
}
