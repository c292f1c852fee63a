import type { Finding, FindingStatus } from './finding';

/**
 * Before and after of one finding between a first audit and a later one (a re-check), read from
 * the findings' structure alone (check, resource, status), never from their messages.
 */

/** A finding's identity across runs: the same check on the same resource. */
export function changeKey(f: Pick<Finding, 'check' | 'resource'>): string {
  return `${f.check}|${f.resource.type}|${f.resource.id}`;
}

/**
 * Why the later audit says what it says of a finding it does not list itself:
 * - `check-passes`: the check passes for the whole organization (controls report failures per
 *   resource but a clean result once, about the organization);
 * - `no-failure`: the check was evaluated in full (every finding of it a pass, fail or not
 *   applicable) and names no failure of this resource: fixed, or the resource is gone;
 * - `not-evaluated`: the check has no verdict now, or one that could not be reached (error,
 *   manual), so nothing can be said.
 */
export type ChangeBasis = 'reported' | 'check-passes' | 'no-failure' | 'not-evaluated';

export interface FindingChange<F extends Finding = Finding> {
  /** The later finding, or the earlier one when the later audit does not list it. */
  readonly finding: F;
  /** null: new in the later audit. */
  readonly before: FindingStatus | null;
  /** null: the later audit says nothing of it (`basis` not-evaluated). */
  readonly after: FindingStatus | null;
  readonly basis: ChangeBasis;
  /** For `check-passes`: the organization-wide pass that covers it. */
  readonly coveredBy?: F;
}

/** What the later audit says of an earlier finding it does not list (see ChangeBasis). */
export function unlistedVerdict<F extends Finding>(gone: F, later: readonly F[]): Pick<FindingChange<F>, 'after' | 'basis' | 'coveredBy'> {
  const same = later.filter((f) => f.check === gone.check);
  const orgPass = same.find((f) => f.status === 'pass' && f.resource.type === 'organization');
  if (orgPass) return { after: 'pass', basis: 'check-passes', coveredBy: orgPass };
  const evaluated = same.length > 0 && same.every((f) => f.status === 'pass' || f.status === 'fail' || f.status === 'not_applicable');
  // Only a failure can turn into "no failure": an earlier pass or manual item that vanished says nothing.
  if (evaluated && gone.status === 'fail') return { after: 'pass', basis: 'no-failure' };
  return { after: null, basis: 'not-evaluated' };
}

/** Findings whose status differs between the two audits, those new in the later one, and those it no longer lists. */
export function compareFindings<F extends Finding>(earlier: readonly F[], later: readonly F[]): FindingChange<F>[] {
  const before = new Map(earlier.map((f) => [changeKey(f), f] as const));
  const after = new Set(later.map(changeKey));
  const changed: FindingChange<F>[] = [];
  for (const f of later) {
    const was = before.get(changeKey(f))?.status ?? null;
    if (was !== f.status) changed.push({ finding: f, before: was, after: f.status, basis: 'reported' });
  }
  for (const f of earlier) {
    if (after.has(changeKey(f))) continue;
    const verdict = unlistedVerdict(f, later);
    if (verdict.after === f.status) continue;
    changed.push({ finding: f, before: f.status, ...verdict });
  }
  return changed;
}
