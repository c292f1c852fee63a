import { existsSync } from 'node:fs';
import path from 'node:path';
import { appConfigDir } from '../core/app/paths';
import { createAppStore, type AppStore } from '../core/store/index';
import { line } from './terminal';

/**
 * The desktop app's settings store (profiles and their registers), as the CLI reaches it: the
 * folder `appConfigDir` names (`SENTRY_HARDEN_CONFIG_DIR`, else the app's user-data folder). Only
 * the variables of the CLI's environment are used, so tests control it fully.
 */
export function storeDir(env: NodeJS.ProcessEnv): string | null {
  return appConfigDir(env);
}

/**
 * The store when its settings file exists; null otherwise. Never creates it: an `audit` on a
 * machine without the app must not leave a settings file behind.
 */
export function openExistingStore(env: NodeJS.ProcessEnv): AppStore | null {
  const dir = storeDir(env);
  if (dir === null || !existsSync(path.join(dir, 'settings.json'))) return null;
  return createAppStore({ cwd: dir });
}

export interface OverdueReview {
  readonly profileId: string;
  readonly label: string;
  readonly orgSlug: string;
  readonly nextReviewDate: string;
  readonly lastPackage: string | undefined;
}

/** Profiles whose next review date (set by their last evidence package) has passed at `now`. */
export function overdueReviews(store: AppStore, now: Date): OverdueReview[] {
  const out: OverdueReview[] = [];
  for (const p of store.listProfiles()) {
    const review = store.getRegisters(p.id).review;
    if (review && Date.parse(review.nextReviewDate) <= now.getTime()) {
      out.push({ profileId: p.id, label: p.label, orgSlug: p.orgSlug, nextReviewDate: review.nextReviewDate, lastPackage: review.lastPackage });
    }
  }
  return out;
}

export function formatOverdue(r: OverdueReview): string {
  const day = r.nextReviewDate.slice(0, 10);
  return line(`warning: the review of "${r.label}" (${r.orgSlug}, profile ${r.profileId}) was due on ${day}${r.lastPackage ? `; last package: ${r.lastPackage}` : ''}`);
}
