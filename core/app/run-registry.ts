import type { Plan } from '../../shared/plan';
import type { PagedPlan, PlanAnswer } from './plan-pages';
import type { AuditRunDto } from './engine-dto';
import { appError } from './engine-errors';
import type { StoredAudit } from './report-output';

/**
 * The app session's memory of audit runs, plans and applied runs, by id (core/app/engine.ts).
 * Nothing here holds a token. Runs and applies the memory lost (evicted, or a restart) come back
 * from the saved session through the fallback (core/app/engine-session.ts); plans do not survive.
 */

export interface RunRecord {
  readonly dto: AuditRunDto;
  readonly audit: StoredAudit;
  /** The controls asked for (null: all at the level). */
  readonly controls: readonly string[] | null;
}

export interface PlanRecord {
  readonly planId: string;
  readonly profileId: string;
  readonly runId: string;
  readonly baselineRunId: string;
  readonly controls: readonly string[] | null;
  readonly plan: Plan;
  /** What the window asked for: the controls of its section and the choices made. */
  readonly asked: { readonly controls: readonly string[] | null; readonly params: Readonly<Record<string, string>> };
  /** The plan's steps and notes as `fix:planPage` pages them, and its first answer (`fix:getPlan`). */
  readonly paged: PagedPlan;
  readonly answer: PlanAnswer;
  /** When it was made (ms), newest wins when a restored window asks for its plans. */
  readonly at: number;
}

export interface ApplyRecord {
  readonly applyId: string;
  readonly profileId: string;
  readonly kind: 'apply' | 'undo';
  readonly baselineRunId: string;
  readonly level: Plan['level'];
  readonly controls: readonly string[] | null;
  readonly journalFile: string;
  /** Ids of this apply's steps that were undone since (so they are not undone twice). */
  readonly undone: Set<string>;
}

export interface RunRegistry {
  readonly runs: Map<string, RunRecord>;
  readonly plans: Map<string, PlanRecord>;
  readonly applies: Map<string, ApplyRecord>;
  requireRun(runId: string, profileId?: string): RunRecord;
  requirePlan(planId: string, profileId: string): PlanRecord;
  requireApply(applyId: string, profileId: string): ApplyRecord;
  /** Evicts the oldest runs beyond the cap, but never a baseline a later run still refers to. */
  evict(): void;
  forgetProfile(profileId: string): void;
  /** Where runs and applies not in memory are looked up (the saved session). */
  setFallback(fallback: RegistryFallback): void;
}

export interface RegistryFallback {
  run(runId: string, profileId?: string): RunRecord | null;
  apply(applyId: string, profileId: string): ApplyRecord | null;
}

export function createRunRegistry(maxRuns: number): RunRegistry {
  const runs = new Map<string, RunRecord>();
  const plans = new Map<string, PlanRecord>();
  const applies = new Map<string, ApplyRecord>();
  let fallback: RegistryFallback | null = null;
  return {
    runs,
    plans,
    applies,
    requireRun(runId, profileId) {
      const run = runs.get(runId) ?? fallback?.run(runId, profileId) ?? undefined;
      if (!run || (profileId !== undefined && run.dto.profileId !== profileId)) {
        throw appError('not_found', `No audit run "${runId}" in this session: run the audit again`);
      }
      return run;
    },
    requirePlan(planId, profileId) {
      const plan = plans.get(planId);
      if (!plan || plan.profileId !== profileId) throw appError('not_found', `No plan "${planId}" in this session: plan the fixes again`);
      return plan;
    },
    requireApply(applyId, profileId) {
      const rec = applies.get(applyId) ?? fallback?.apply(applyId, profileId) ?? undefined;
      if (!rec || rec.profileId !== profileId) throw appError('not_found', `No applied run "${applyId}" in this session`);
      return rec;
    },
    evict() {
      if (runs.size <= maxRuns) return;
      const needed = new Set([...runs.values()].map((r) => r.dto.baselineRunId));
      for (const id of runs.keys()) {
        if (runs.size <= maxRuns) break;
        if (!needed.has(id) || runs.get(id)?.dto.baselineRunId !== id) runs.delete(id);
      }
    },
    setFallback(f) {
      fallback = f;
    },
    forgetProfile(profileId) {
      for (const [id, r] of runs) if (r.dto.profileId === profileId) runs.delete(id);
      for (const [id, p] of plans) if (p.profileId === profileId) plans.delete(id);
      for (const [id, a] of applies) if (a.profileId === profileId) applies.delete(id);
    },
  };
}
