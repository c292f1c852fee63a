import type { Finding } from './finding';
import type { Attestation, ExceptionEntry } from './settings';

/**
 * How the registers read against a finding: the exception that accepts a failure, the
 * attestation that covers a manual item. A layer over the findings, never a change to them (a
 * failure stays `fail`); shared so the evidence package (core/evidence/registers.ts) and the
 * wizard's rows and counts judge the same way.
 */

/** True while the exception counts: it has no expiry, or expires after `at`. */
export function isExceptionActive(entry: Pick<ExceptionEntry, 'expiresAt'>, at: Date): boolean {
  if (entry.expiresAt === undefined) return true;
  return Date.parse(entry.expiresAt) > at.getTime();
}

/**
 * Whether an exception is about this finding: same control; same check when it names one; and,
 * when it names a resource, the finding's resource id or `type:id` (ids are stable, names are not).
 */
export function exceptionMatches(entry: ExceptionEntry, finding: Pick<Finding, 'control' | 'check' | 'resource'>): boolean {
  if (entry.control !== finding.control) return false;
  if (entry.check !== undefined && entry.check !== finding.check) return false;
  if (entry.resource !== undefined) {
    const r = finding.resource;
    if (entry.resource !== r.id && entry.resource !== `${r.type}:${r.id}`) return false;
  }
  return true;
}

export type RegisterNote =
  | { readonly kind: 'exception'; readonly entry: ExceptionEntry }
  | { readonly kind: 'attestation'; readonly entry: Attestation };

export interface RegisterEntries {
  readonly exceptions: readonly ExceptionEntry[];
  readonly attestations: readonly Attestation[];
}

/**
 * What the registers say of one finding at `at`: only a failure can be accepted (by the first
 * active exception that matches), only a manual item attested (by its control's latest
 * attestation). Null when neither applies.
 */
export function registerNote(f: Pick<Finding, 'control' | 'check' | 'resource' | 'status'>, registers: RegisterEntries, at: Date): RegisterNote | null {
  if (f.status === 'fail') {
    const entry = registers.exceptions.find((e) => isExceptionActive(e, at) && exceptionMatches(e, f));
    return entry ? { kind: 'exception', entry } : null;
  }
  if (f.status === 'manual') {
    const mine = registers.attestations.filter((a) => a.control === f.control);
    const entry = mine.reduce<Attestation | undefined>((last, a) => (!last || a.attestedAt > last.attestedAt ? a : last), undefined);
    return entry ? { kind: 'attestation', entry } : null;
  }
  return null;
}

export interface RegisterCounts {
  /** Failures an active exception accepts. */
  readonly excepted: number;
  /** Manual items whose control someone attested. */
  readonly attested: number;
}

export function countRegisterNotes(findings: readonly Pick<Finding, 'control' | 'check' | 'resource' | 'status'>[], registers: RegisterEntries, at: Date): RegisterCounts {
  let excepted = 0;
  let attested = 0;
  for (const f of findings) {
    const note = registerNote(f, registers, at);
    if (note?.kind === 'exception') excepted += 1;
    else if (note?.kind === 'attestation') attested += 1;
  }
  return { excepted, attested };
}
