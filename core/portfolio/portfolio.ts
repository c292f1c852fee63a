import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseReportFile } from '../evidence/report-file';
import type { EvidenceReport } from '../../shared/evidence';
import type { LastPackageState, PortfolioEntry } from '../../shared/portfolio';
import type { Profile } from '../../shared/profile';
import { UNCHOSEN_ORG_SLUG } from '../../shared/profile';
import type { Registers } from '../../shared/settings';
import { verifyPackage } from '../evidence/package';
import { openPackage, REPORT_FILE } from '../evidence/package-files';
import { computeDrift, loadBaselinePackage } from '../evidence/drift';

/** Days before expiry from which an exception counts as "expiring soon". */
export const EXPIRING_WITHIN_DAYS = 30;
/** report.json larger than this is not read for the portfolio (it only needs the summary). */
const MAX_REPORT_BYTES = 200 * 1024 * 1024;

export interface PortfolioSource {
  listProfiles(): Profile[];
  getRegisters(profileId: string): Registers;
}

function hostOf(baseUrl: string): string {
  try {
    const u = new URL(baseUrl);
    return `${u.host}${u.pathname.replace(/\/+$/, '')}`;
  } catch {
    return baseUrl;
  }
}

/** Drift between the previous package (checked as `--baseline` checks one) and the last report. */
async function driftSincePrevious(previous: string, signer: string | undefined, current: EvidenceReport): Promise<{ drift: NonNullable<Extract<LastPackageState, { state: 'valid' }>['drift']> } | { note: string }> {
  try {
    const baseline = await loadBaselinePackage(previous);
    if (signer && baseline.signer !== null && baseline.signer !== signer) return { note: `the previous package is signed by ${baseline.signer}, not by the key recorded for it` };
    const d = computeDrift(baseline, current);
    return { drift: { newlyFailing: d.newlyFailing.length, regressed: d.regressed.length, fixed: d.fixed.length, against: 'previous' } };
  } catch (e) {
    return { note: `the previous package (${previous}) could not be compared: ${e instanceof Error ? e.message : String(e)}` };
  }
}

async function readLastPackage(file: string, expectedFingerprint: string | undefined, previous?: { path: string; signer: string | undefined }): Promise<LastPackageState> {
  try {
    await stat(file);
  } catch {
    return { state: 'missing', path: file };
  }
  let opened;
  try {
    opened = await openPackage(file);
  } catch (e) {
    return { state: 'invalid', path: file, reason: e instanceof Error ? e.message : String(e) };
  }
  try {
    const integrity = await verifyPackage(opened.dir);
    if (!integrity.valid) return { state: 'invalid', path: file, reason: integrity.problems[0] ?? 'the signature or a file hash does not match' };
    if (expectedFingerprint && integrity.signature.fingerprint !== expectedFingerprint) {
      return { state: 'invalid', path: file, reason: `signed by ${integrity.signature.fingerprint ?? 'no key'}, not by the key that made it (${expectedFingerprint})` };
    }
    const reportPath = path.join(opened.dir, REPORT_FILE);
    if ((await stat(reportPath)).size > MAX_REPORT_BYTES) return { state: 'invalid', path: file, reason: 'report.json is too large to summarise' };
    const parsed = parseReportFile(await readFile(reportPath, 'utf8'));
    if (!parsed.ok) return { state: 'invalid', path: file, reason: 'report.json is not an evidence report this version reads' };
    const r: EvidenceReport = parsed.report;
    const own = r.drift ? { newlyFailing: r.drift.newlyFailing.length, regressed: r.drift.regressed.length, fixed: r.drift.fixed.length, against: 'baseline' as const } : null;
    const since = previous ? await driftSincePrevious(previous.path, previous.signer, r) : null;
    return {
      state: 'valid',
      path: file,
      finishedAt: r.finishedAt,
      level: r.level,
      counts: r.summary.counts,
      signer: integrity.signature.fingerprint,
      drift: since && 'drift' in since ? since.drift : own,
      ...(since && 'note' in since ? { driftNote: since.note } : {}),
    };
  } catch (e) {
    return { state: 'invalid', path: file, reason: e instanceof Error ? e.message : String(e) };
  } finally {
    await opened.close();
  }
}

/**
 * Every saved organization with its posture: the last signed package's counts (its signature and
 * hashes checked, and its signer the one recorded when it was made), exceptions open and expiring,
 * the next review date. Profiles are read one at a time: packages can be large.
 */
export async function buildPortfolio(source: PortfolioSource, now: Date): Promise<PortfolioEntry[]> {
  const out: PortfolioEntry[] = [];
  const soon = now.getTime() + EXPIRING_WITHIN_DAYS * 86_400_000;
  for (const p of source.listProfiles()) {
    const registers = source.getRegisters(p.id);
    let open = 0;
    let expiringSoon = 0;
    let expired = 0;
    for (const e of registers.exceptions) {
      const until = e.expiresAt ? Date.parse(e.expiresAt) : Number.POSITIVE_INFINITY;
      if (until <= now.getTime()) expired += 1;
      else {
        open += 1;
        if (until <= soon) expiringSoon += 1;
      }
    }
    const review = registers.review;
    const previous = review?.previousPackage ? { path: review.previousPackage, signer: review.previousSignedBy } : undefined;
    const lastPackage = review?.lastPackage ? await readLastPackage(review.lastPackage, review.signedBy, previous) : ({ state: 'none' } as const);
    out.push({
      profileId: p.id,
      label: p.label,
      orgSlug: p.orgSlug,
      host: hostOf(p.baseUrl),
      profileLevel: p.level,
      tokenKind: p.tokenKind ?? null,
      unfinished: p.orgSlug === UNCHOSEN_ORG_SLUG,
      lastPackage,
      exceptions: { open, expiringSoon, expired },
      review: review
        ? {
            nextReviewDate: review.nextReviewDate,
            overdue: Date.parse(review.nextReviewDate) <= now.getTime(),
            dueInDays: Math.ceil((Date.parse(review.nextReviewDate) - now.getTime()) / 86_400_000),
          }
        : null,
    });
  }
  return out.sort((a, b) => Number(b.review?.overdue ?? false) - Number(a.review?.overdue ?? false) || a.label.localeCompare(b.label));
}

export type { LastPackageState, PortfolioEntry } from '../../shared/portfolio';
