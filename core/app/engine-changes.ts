import type { Change, OutcomeStatus, Plan } from '../../shared/plan';
import type { ApplyEvent, ApplyResult } from '../engine/apply';
import { runChangeSequence } from '../engine/change-run';
import { readJournal } from '../engine/journal';
import { isRunLockError } from '../engine/run-lock';
import { planUndo } from '../engine/undo';
import { tryParseBaseUrl } from '../sentry/base-url';
import { coarseStatus, needsSlug, toFixStep, toStepResult, type RecheckDto } from './engine-dto';
import { appError, mapEngineError } from './engine-errors';
import type { EngineGateway, ProfileSession } from './handlers';
import type { HandlerContext } from './router';
import type { ApplyRecord, RunRegistry } from './run-registry';
import type { StoredChange } from './session-schema';
import { chosenChanges } from './plan-pages';

/**
 * The app's apply and undo (fix:apply, fix:undo-plan, fix:undo, fix:cancel) over
 * core/engine/change-run.ts, the sequence the CLI runs too: consent checked first, then one run
 * per profile with progress events, cancellation by progress id, and the re-check after it.
 */

export interface ChangeGatewayDeps {
  readonly journalDir: string;
  readonly timeoutMs: number;
  readonly registry: RunRegistry;
  readonly fixTitle: (fixId: string) => string;
  /** The re-check after a change run: same level and controls; its failure is reported, not thrown. */
  readonly recheck: (session: ProfileSession, level: Plan['level'], controls: readonly string[] | null, baselineRunId: string, ctx: HandlerContext) => Promise<RecheckDto>;
  /** Into the session's change log (core/app/engine-session.ts); `token` must not reach the file. */
  readonly record: (change: StoredChange, undoneOfApply: readonly string[] | null, token: string) => void;
}

export type ChangeGateway = Pick<EngineGateway, 'applyFixes' | 'cancelApply' | 'undoPlan' | 'undoFixes'>;

export function createChangeGateway(deps: ChangeGatewayDeps): ChangeGateway {
  const { journalDir, timeoutMs, registry, fixTitle, recheck, record } = deps;
  const { applies } = registry;
  // One change run at a time per profile: two concurrent applies would race on the same resources.
  const busy = new Set<string>();
  // Running applies and undos by their progress id (the plan, or the apply undone), for fix:cancel.
  const applying = new Map<string, AbortController>();

  /**
   * The app's adapter over core/engine/change-run.ts (the sequence the CLI runs too): one run per
   * profile, progress events, cancellation by progress id, and the re-check after the changes.
   */
  async function execute(
    session: ProfileSession,
    run: {
      kind: 'apply' | 'undo';
      source: string;
      plan: { readonly target: Plan['target']; readonly writeHosts: readonly string[] };
      changes: readonly Change[];
      stepIdOf: (c: Change) => string;
      progressId: string;
      /** The journal an undo reverses. */
      alsoReconcile?: string;
      recheck: () => Promise<RecheckDto>;
    },
    ctx: HandlerContext,
  ): Promise<{ result: ApplyResult; after: RecheckDto }> {
    const { profile } = session;
    if (busy.has(profile.id)) throw appError('invalid_input', 'Another apply or undo of this profile is running: wait for it to finish');
    const controller = new AbortController();
    const onEvent = (event: ApplyEvent): void => {
      if (event.kind === 'start') {
        ctx.emit('fix:progress', { planId: run.progressId, stepId: run.stepIdOf(event.change), status: 'running', kind: run.kind, outcome: null, index: event.index, total: event.total });
      } else {
        const index = run.changes.findIndex((c) => c.id === event.result.change.id) + 1;
        ctx.emit('fix:progress', {
          planId: run.progressId,
          stepId: run.stepIdOf(event.result.change),
          status: coarseStatus(event.result.status),
          kind: run.kind,
          outcome: event.result.status,
          index,
          total: run.changes.length,
        });
      }
    };
    let locked = false;
    try {
      const outcome = await runChangeSequence<RecheckDto>({
        kind: run.kind,
        source: run.source,
        target: run.plan.target,
        writeHosts: run.plan.writeHosts,
        changes: () => run.changes,
        journalDir,
        ...(run.alsoReconcile !== undefined ? { alsoReconcile: run.alsoReconcile } : {}),
        token: async () => session.getToken,
        timeoutMs,
        ...(profile.caFile ? { caFile: profile.caFile } : {}),
        // Consent was given for exactly these steps (and the slug checked) before we got here.
        confirm: async () => true,
        onEvent,
        signal: controller.signal,
        // Another process (the CLI, a second window) may be changing this organization with the same data.
        onLocked: () => {
          locked = true;
          busy.add(profile.id);
          applying.set(run.progressId, controller);
        },
        afterChanges: async () => {
          // The run itself is over: no cancelling a re-check through fix:cancel.
          applying.delete(run.progressId);
          return run.recheck();
        },
      });
      return { result: outcome.result, after: outcome.after as RecheckDto };
    } catch (e) {
      if (!locked && isRunLockError(e)) throw appError('invalid_input', e.message);
      throw mapEngineError(e);
    } finally {
      if (locked) {
        busy.delete(profile.id);
        applying.delete(run.progressId);
      }
    }
  }

  function checkConsent(changes: readonly Change[], orgSlug: string, confirmOrg: string | undefined, stepIdOf: (c: Change) => string): void {
    if (confirmOrg !== undefined && confirmOrg !== orgSlug) {
      throw appError('invalid_input', `The organization typed ("${confirmOrg.slice(0, 64)}") is not ${orgSlug}: nothing was changed`);
    }
    const high = changes.filter(needsSlug);
    if (high.length > 0 && confirmOrg !== orgSlug) {
      throw appError(
        'invalid_input',
        `${high.map(stepIdOf).join(', ')} ${high.length === 1 ? 'is a high-risk step' : 'are high-risk steps'}: type the organization slug (${orgSlug}) to confirm; nothing was changed`,
      );
    }
  }

  /**
   * The profile must still point where the plan was made: its token is for that Sentry only (a
   * profile moved to another host got a new token, which must never go to the old host).
   */
  function checkProfileTarget(session: ProfileSession, plan: Pick<Plan, 'target'>): void {
    const base = tryParseBaseUrl(session.profile.baseUrl);
    if (!base.ok || base.value.url !== plan.target.url || session.profile.orgSlug !== plan.target.org.slug) {
      throw appError(
        'invalid_input',
        `The profile now points at ${session.profile.orgSlug} on ${session.profile.baseUrl}, but this was planned for ${plan.target.org.slug} on ${plan.target.url}: plan again`,
      );
    }
  }

  function outcomeCounts(result: ApplyResult): Record<OutcomeStatus, number> {
    return { ...result.counts };
  }

  return {
    async applyFixes(session, request, ctx) {
      const rec = registry.requirePlan(request.planId, session.profile.id);
      const { plan } = rec;
      checkProfileTarget(session, plan);
      const changes = chosenChanges(plan.changes, request);
      checkConsent(changes, plan.target.org.slug, request.confirmOrg, (c) => c.id);
      const { result, after } = await execute(
        session,
        {
          kind: 'apply',
          source: `plan ${plan.digest}`,
          plan,
          changes,
          stepIdOf: (c) => c.id,
          progressId: rec.planId,
          recheck: () => recheck(session, plan.level, rec.controls, rec.baselineRunId, ctx),
        },
        ctx,
      );
      const applyId = result.runId;
      applies.set(applyId, {
        applyId,
        profileId: session.profile.id,
        kind: 'apply',
        baselineRunId: rec.baselineRunId,
        level: plan.level,
        controls: rec.controls,
        journalFile: result.journalFile,
        undone: new Set(),
      });
      const results = result.results.map((r) => toStepResult(r, r.change.id));
      record(
        {
          kind: 'apply',
          id: applyId,
          undoes: null,
          planId: rec.planId,
          at: new Date().toISOString(),
          level: plan.level,
          steps: changes.map((c) => toFixStep(c, fixTitle(c.fix))),
          results,
          undone: [],
          fatal: result.fatal ?? null,
          recheck: after.recheck,
          recheckError: after.recheckError,
          profileId: session.profile.id,
          baselineRunId: rec.baselineRunId,
          controls: rec.controls ? [...rec.controls] : null,
          journalFile: result.journalFile,
        },
        null,
        session.getToken(),
      );
      return {
        planId: rec.planId,
        applyId,
        results,
        counts: outcomeCounts(result),
        fatal: result.fatal ?? null,
        ...after,
      };
    },

    async cancelApply(planId) {
      const controller = applying.get(planId);
      if (!controller) return false;
      controller.abort();
      return true;
    },

    async undoPlan(session, { applyId }) {
      const rec = registry.requireApply(applyId, session.profile.id);
      const { steps, skipped } = undoSteps(rec);
      return { applyId, steps: steps.map(({ change, undoes }) => ({ ...toFixStep(change, fixTitle(change.fix)), undoes })), skipped };
    },

    async undoFixes(session, request, ctx) {
      const rec = registry.requireApply(request.applyId, session.profile.id);
      const { steps, skipped, undo } = undoSteps(rec);
      checkProfileTarget(session, undo);
      const wanted = request.stepIds ? new Set(request.stepIds) : null;
      if (wanted) {
        const known = new Set([...steps.map((s) => s.undoes), ...skipped.map((s) => s.stepId)]);
        const unknown = [...wanted].filter((id) => !known.has(id));
        if (unknown.length > 0) throw appError('invalid_input', `Apply ${rec.applyId} has no applied step ${unknown.join(', ')}`);
      }
      const chosen = steps.filter((s) => !wanted || wanted.has(s.undoes));
      if (chosen.length === 0) throw appError('invalid_input', 'Nothing to undo: no chosen step can be undone (see `skipped`)');
      const undoesOf = new Map(chosen.map((s) => [s.change.id, s.undoes]));
      const stepIdOf = (c: Change): string => undoesOf.get(c.id) ?? c.id;
      checkConsent(chosen.map((s) => s.change), undo.target.org.slug, request.confirmOrg, stepIdOf);
      const { result, after } = await execute(
        session,
        {
          kind: 'undo',
          source: undo.source,
          plan: undo,
          changes: chosen.map((s) => s.change),
          stepIdOf,
          progressId: rec.applyId,
          alsoReconcile: rec.journalFile,
          recheck: () => recheck(session, rec.level, rec.controls, rec.baselineRunId, ctx),
        },
        ctx,
      );
      for (const r of result.results) {
        if (r.status === 'applied' || r.status === 'already_applied') rec.undone.add(stepIdOf(r.change));
      }
      applies.set(result.runId, {
        applyId: result.runId,
        profileId: session.profile.id,
        kind: 'undo',
        baselineRunId: rec.baselineRunId,
        level: rec.level,
        controls: rec.controls,
        journalFile: result.journalFile,
        undone: new Set(),
      });
      const results = result.results.map((r) => toStepResult(r, stepIdOf(r.change)));
      record(
        {
          kind: 'undo',
          id: result.runId,
          undoes: rec.applyId,
          planId: null,
          at: new Date().toISOString(),
          level: rec.level,
          steps: chosen.map((s) => ({ ...toFixStep(s.change, fixTitle(s.change.fix)), id: s.undoes })),
          results,
          undone: [],
          fatal: result.fatal ?? null,
          recheck: after.recheck,
          recheckError: after.recheckError,
          profileId: session.profile.id,
          baselineRunId: rec.baselineRunId,
          controls: rec.controls ? [...rec.controls] : null,
          journalFile: result.journalFile,
        },
        [...rec.undone],
        session.getToken(),
      );
      return {
        applyId: rec.applyId,
        undoId: result.runId,
        skipped: wanted ? skipped.filter((s) => wanted.has(s.stepId)) : skipped,
        results,
        counts: outcomeCounts(result),
        fatal: result.fatal ?? null,
        ...after,
      };
    },
  };

  /** The inverse steps of an apply, minus those already undone, each with the id of the step it undoes. */
  function undoSteps(rec: ApplyRecord): {
    undo: ReturnType<typeof planUndo>;
    steps: { change: Change; undoes: string }[];
    skipped: { stepId: string; description: string; reason: string }[];
  } {
    let undo;
    try {
      undo = planUndo(readJournal(rec.journalFile));
    } catch (e) {
      throw mapEngineError(e);
    }
    const skipped = undo.skipped.map((s) => ({ stepId: s.changeId, description: s.description, reason: s.reason }));
    const steps: { change: Change; undoes: string }[] = [];
    const dropped = new Set<string>();
    for (const change of undo.changes) {
      const undoes = change.undoes;
      if (undoes === undefined) throw appError('internal', `Undo step ${change.id} does not name the step it undoes`);
      if (rec.undone.has(undoes)) {
        dropped.add(change.id);
        skipped.push({ stepId: undoes, description: change.description, reason: 'Already undone in this session.' });
        continue;
      }
      steps.push({ change, undoes });
    }
    // An inverse that already ran no longer has to run first.
    for (const s of steps) s.change = { ...s.change, dependsOn: s.change.dependsOn.filter((d) => !dropped.has(d)) };
    return { undo, steps, skipped };
  }
}
