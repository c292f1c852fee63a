import { randomBytes } from 'node:crypto';
import type { AuditSettingsOverrides } from '../../shared/settings';
import type { ControlDefinition } from '../controls/types';
import { mergeAuditSettings } from '../evidence/session-package';
import { makePlan } from '../engine/plan';
import { tokenPrefix } from '../engine/token-kind';
import type { FixDefinition } from '../fixes/types';
import { noteDto, shareOptionSets } from './engine-dto';
import { mapEngineError } from './engine-errors';
import type { EngineGateway } from './handlers';
import { firstAnswer, groupNotes, planPage } from './plan-pages';
import type { RunRegistry } from './run-registry';

/**
 * `fix:plan`, `fix:planPage` and `fix:getPlan` over core/engine/plan.ts: the plan is made from the
 * run's reads (or a fresh read), kept here by id with the choices it was made with, and reaches
 * the window a page at a time (core/app/plan-pages.ts).
 */

/** How long after an audit a fix plan is made from its reads rather than read again. */
const PLAN_REUSE_MS = 10 * 60_000;
/** Plans kept (every section of a few sessions). */
const MAX_PLANS = 20;

export interface PlanGatewayDeps {
  readonly registry: RunRegistry;
  readonly timeoutMs: number;
  readonly auditSettings: () => AuditSettingsOverrides;
  readonly controls: readonly ControlDefinition[];
  readonly fixes: readonly FixDefinition[];
  readonly fixTitle: (fixId: string) => string;
  /** Checks the controls asked for exist (throws the person's error otherwise). */
  readonly selectControls: (ids: readonly string[]) => unknown;
}

export function createPlanGateway(deps: PlanGatewayDeps): Pick<EngineGateway, 'planFixes' | 'planPage' | 'getPlan'> {
  const { registry, timeoutMs } = deps;
  const { runs, plans, requireRun } = registry;
  return {
    async planFixes(session, request) {
      const run = requireRun(request.runId, session.profile.id);
      const only = request.controls && request.controls.length > 0 ? request.controls : run.controls;
      if (only) deps.selectControls(only);
      // Right after an audit, plan from its reads (issue 10: seconds a section at 1,000 projects);
      // a run that a later one superseded, or an old one, reads the organization again.
      const latest = [...runs.values()].filter((r) => r.dto.profileId === session.profile.id).at(-1);
      const fresh = latest === run && Date.now() - Date.parse(run.dto.finishedAt) < PLAN_REUSE_MS;
      let outcome;
      try {
        outcome = await makePlan({
          ...(fresh ? { reuse: run.audit.responses } : {}),
          baseUrl: session.profile.baseUrl,
          orgSlug: session.profile.orgSlug,
          ...(session.profile.caFile ? { caFile: session.profile.caFile } : {}),
          getToken: session.getToken,
          timeoutMs,
          level: run.dto.level,
          only,
          params: request.params ?? {},
          tokenPrefix: tokenPrefix(session.getToken()),
          settings: mergeAuditSettings(deps.auditSettings()),
          controls: deps.controls,
          fixes: deps.fixes,
          paramErrors: 'collect',
        });
      } catch (e) {
        throw mapEngineError(e);
      }
      const planId = `plan_${randomBytes(9).toString('base64url')}`;
      const shared = shareOptionSets(outcome.plan.notes.map((n) => noteDto(n, deps.fixes)));
      const paged = { changes: outcome.plan.changes, fixTitle: deps.fixTitle, groups: groupNotes(shared.notes) };
      const answer = firstAnswer(
        {
          planId,
          runId: run.dto.runId,
          orgSlug: outcome.plan.target.org.slug,
          level: outcome.plan.level,
          createdAt: outcome.plan.createdAt,
          paramErrors: outcome.paramErrors.map((r) => ({ key: r.key, message: r.message })),
        },
        paged,
        shared.optionSets,
      );
      plans.set(planId, {
        planId,
        profileId: session.profile.id,
        runId: run.dto.runId,
        baselineRunId: run.dto.baselineRunId,
        controls: run.controls,
        plan: outcome.plan,
        asked: { controls: request.controls ? [...request.controls] : null, params: { ...(request.params ?? {}) } },
        paged,
        answer,
        at: Date.now(),
      });
      // Plans are memory only; the oldest go first (a plan being applied was read already).
      for (const id of plans.keys()) {
        if (plans.size <= MAX_PLANS) break;
        plans.delete(id);
      }
      return answer;
    },

    async planPage({ profileId, planId, part, offset, limit }) {
      const rec = registry.requirePlan(planId, profileId);
      return planPage(planId, rec.paged, { part, offset, limit });
    },

    async getPlan({ profileId, planId }) {
      return registry.requirePlan(planId, profileId).answer;
    },
  };
}
