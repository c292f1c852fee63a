import { ControlFindingSchema as FindingSchema } from '../../../core/controls/findings';
import type { FindingStatus } from '../../../shared/finding';
import type { ControlFinding as Finding } from '../../../core/controls/types';
import type { ControlDefinition } from '../../../core/controls/types';
import { FakeOrgData, hardenedState, makeCtx } from './fake-org-data';
import type { CtxOptions, FakeOrgState } from './fake-org-data';

export interface RunOptions extends CtxOptions {
  mutate?: (s: FakeOrgState) => void;
  setup?: (d: FakeOrgData) => void;
}

/** Evaluates one control against the hardened organization, changed as the test needs. */
export async function run(control: ControlDefinition, opts: RunOptions = {}): Promise<{ findings: Finding[]; data: FakeOrgData }> {
  const state = hardenedState();
  opts.mutate?.(state);
  const data = new FakeOrgData(state);
  opts.setup?.(data);
  const findings = await control.evaluate(makeCtx(data, opts));
  // Every finding must be a valid report row and belong to one of the control's checks.
  const checkIds = new Set(control.checks.map((c) => c.id));
  for (const f of findings) {
    FindingSchema.parse(f);
    if (f.control !== control.id || !checkIds.has(f.check)) throw new Error(`stray finding ${f.control} ${f.check}`);
  }
  return { findings, data };
}

export function of(findings: readonly Finding[], check: string): Finding[] {
  return findings.filter((f) => f.check === check);
}

export function statuses(findings: readonly Finding[], check: string): FindingStatus[] {
  return of(findings, check).map((f) => f.status);
}

export function only(findings: readonly Finding[], check: string): Finding {
  const list = of(findings, check);
  if (list.length !== 1) throw new Error(`expected one finding for ${check}, got ${list.length}: ${JSON.stringify(list.map((f) => f.status))}`);
  return list[0] as Finding;
}
