import type { EventPayloadOf, PlanRefDto, SessionChangeDto } from '../../../shared/ipc/contract';
import type { ApplyOutcome, AuditRun, EvidenceDetail, FixPlan, FixStep, PlanNote, StepResult, UndoOutcome, UndoPlan } from '../../store/dto';
import type { SliceContext } from '../../store/slice';
import type { Status } from '../../store/status';
import { IDLE, call, done, failed, running } from '../../store/status';
import type { SectionId, SectionSliceKey } from '../../store/steps';
import { sectionOfControl } from '../../store/steps';
import type { ParamDto } from './params/validate';
import { paramError } from './params/validate';
import { withOptionSets } from './plan-options';
import { restoredChanges } from './section-restore';
import type { PlanPage, PlanPart } from './plan-paging';
import { isPaged, knownSteps, missingStepPages, pageSizeOf, planPageKey, selectionRequest, stepIndexOf, withPlanOptions } from './plan-paging';

/**
 * One guide section (or the integrations review): its fix plan, the steps the person picked,
 * applying them, undoing what was applied, and the evidence behind findings on demand. The
 * findings themselves come from the shared audit runs (`checks`, rows by page from `findings`); an apply or undo hands its
 * re-check to `checks.adopt`.
 */

export type StepProgressStatus = EventPayloadOf<'fix:progress'>['status'];

export interface FixProgress {
  readonly kind: 'apply' | 'undo';
  /** The plan (apply) or the apply (undo) whose progress events count. */
  readonly id: string;
  readonly index: number;
  readonly total: number;
  readonly steps: Readonly<Record<string, StepProgressStatus>>;
}

/** What one `fix:apply` did in this section, and which of its steps were undone since. */
export interface AppliedBatch {
  readonly applyId: string;
  readonly planId: string;
  readonly steps: readonly FixStep[];
  readonly results: readonly StepResult[];
  readonly undone: readonly string[];
}

export interface UndoTarget {
  readonly applyId: string;
  readonly stepIds: readonly string[];
}

/** A choice a fix offered, as the form shows it. */
export type ParamField = PlanNote & { readonly param: ParamDto };

export interface SectionSlice {
  readonly section: SectionId;
  readonly plan: Status<FixPlan>;
  /**
   * The last plan made, kept while a new one is made or when making it failed: a bad value or a
   * failed request never hides the Fixes section. Cleared when applying or undoing made it stale.
   */
  readonly lastPlan: FixPlan | null;
  /**
   * Every choice the plans of this section offered, by key: a field stays once its value was
   * chosen (the fix then stops asking), so the choice can be changed or cleared.
   */
  readonly fields: Readonly<Record<string, ParamField>>;
  /** The run the last plan was asked for (a newer run makes the plan stale). */
  readonly planFor: string | null;
  /** Choices fixes need (`addTeam.backend` -> `platform`); sent with the next plan. */
  readonly params: Readonly<Record<string, string>>;
  /** Ids of the chosen steps, from the plan's index of every step (pages need not be loaded). */
  readonly selected: readonly string[];
  /** Pages of the plan beyond its first answer (`fix:planPage`), by planPageKey. */
  readonly planPages: Readonly<Record<string, Status<PlanPage>>>;
  readonly apply: Status<ApplyOutcome, FixProgress>;
  readonly applied: readonly AppliedBatch[];
  readonly undoTarget: UndoTarget | null;
  readonly undoPlan: Status<UndoPlan>;
  readonly undo: Status<UndoOutcome, FixProgress>;
  /** The person's request to stop the running apply or undo (`fix:cancel`). */
  readonly cancel: Status<boolean>;
  /** By `${runId}:${sha256}`. */
  readonly evidence: Readonly<Record<string, Status<EvidenceDetail>>>;

  loadPlan(): Promise<void>;
  /** A page of the current plan's steps or of a group of its notes, unless held (a failed one is asked again). */
  loadPlanPage(part: PlanPart, offset: number): Promise<void>;
  setParam(key: string, value: string): void;
  toggleStep(stepId: string, on: boolean): void;
  /** Every step of the plan, or none (a step's dependencies are in the plan, so all is consistent). */
  selectAll(on: boolean): void;
  /** Applies the selected steps; `confirmOrg` is the slug the person typed for high-risk steps. */
  applySelected(confirmOrg?: string): Promise<void>;
  /** Loads what undoing these applied steps would do (for the confirmation). */
  prepareUndo(target: UndoTarget): Promise<void>;
  cancelUndo(): void;
  undoPrepared(confirmOrg?: string): Promise<void>;
  /** Stops the running apply or undo before its next change; its answer then lists the rest as not attempted. */
  cancelChanges(): Promise<void>;
  showEvidence(runId: string, sha256: string): Promise<void>;
  /**
   * This section's part of a restored session's change log (empty: a new session): each apply,
   * and the outcome of the last apply or undo as it was shown (`latest`: the session's newest run).
   */
  restoreChanges(changes: readonly SessionChangeDto[], latest?: AuditRun | null): void;
  /** The plan main still keeps for this section (a reload): shown again as it was, with its choices. */
  restorePlan(ref: PlanRefDto): Promise<void>;
}

export function evidenceKey(runId: string, sha256: string): string {
  return `${runId}:${sha256}`;
}

/** The slice creator; every section step has the same shape, under its own key. */
export type SectionSliceCreator = (ctx: SliceContext<'authentication'>) => SectionSlice;

export function createSectionSlice(key: SectionSliceKey, section: SectionId): SectionSliceCreator {
  return ({ set, get, bridge, track }) => {
    const self = () => get()[key];

    function controlsOfSection(): string[] {
      const ids = new Set<string>();
      const catalog = get().catalog.catalog;
      if (catalog.status === 'done') {
        for (const c of catalog.value.controls) if (sectionOfControl(c.id) === section) ids.add(c.id);
      }
      for (const c of get().checks.latest?.checks ?? []) if (sectionOfControl(c.control) === section) ids.add(c.control);
      return [...ids];
    }

    track(
      bridge.on['fix:progress']((p) => {
        for (const which of ['apply', 'undo'] as const) {
          const s = self()[which];
          if (s.status !== 'running' || s.progress.kind !== p.kind || s.progress.id !== p.planId) continue;
          set({
            [which]: running<FixProgress>({
              ...s.progress,
              index: Math.max(s.progress.index, p.index),
              total: p.total,
              steps: { ...s.progress.steps, [p.stepId]: p.status },
            }),
          });
        }
      }),
    );

    return {
      section,
      plan: IDLE,
      lastPlan: null,
      fields: {},
      planFor: null,
      params: {},
      selected: [],
      planPages: {},
      apply: IDLE,
      applied: [],
      undoTarget: null,
      undoPlan: IDLE,
      undo: IDLE,
      cancel: IDLE,
      evidence: {},

      async loadPlan() {
        const profile = get().connect.profile;
        const run = get().checks.latest;
        if (!profile || !run || self().plan.status === 'running') return;
        const controls = controlsOfSection();
        set({ plan: running(null), planFor: run.runId });
        // Only values that pass their field's checks are sent; the others wait, with the reason shown.
        const fields = self().fields;
        const params = Object.fromEntries(
          Object.entries(self().params).filter(([k, v]) => {
            const field = fields[k];
            return field !== undefined && paramError(field.param, v) === null;
          }),
        );
        const result = await call(() =>
          bridge.invoke['fix:plan']({
            profileId: profile.id,
            runId: run.runId,
            ...(controls.length > 0 ? { controls } : {}),
            ...(Object.keys(params).length > 0 ? { params: { ...params } } : {}),
          }),
        );
        if (!result.ok) {
          set({ plan: failed(result.error) });
          return;
        }
        const plan = withOptionSets(result.value);
        // Keep what the person picked if those steps are still proposed.
        const known = { ...self().fields };
        for (const n of plan.notes) if (n.param !== null) known[n.param.key] = { ...n, param: n.param };
        const ids = new Set(stepIndexOf(plan).map((s) => s.id));
        set({ plan: done(plan), lastPlan: plan, fields: known, planPages: {}, selected: self().selected.filter((id) => ids.has(id)) });
      },

      async loadPlanPage(part, offset) {
        const profile = get().connect.profile;
        const plan = self().plan;
        if (!profile || plan.status !== 'done' || offset === 0 || !isPaged(plan.value)) return;
        const key = planPageKey(plan.value.planId, part, offset);
        const held = self().planPages[key];
        if (held && held.status !== 'failed') return;
        set({ planPages: { ...self().planPages, [key]: running(null) } });
        const result = await call(() =>
          bridge.invoke['fix:planPage']({ profileId: profile.id, planId: plan.value.planId, part, offset, limit: pageSizeOf(part) }),
        );
        // A newer plan replaced this one meanwhile: its pages start empty.
        const now = self().plan;
        if (now.status !== 'done' || now.value.planId !== plan.value.planId) return;
        const page = result.ok ? done(withPlanOptions(now.value, result.value)) : failed(result.error);
        const known = { ...self().fields };
        if (page.status === 'done') {
          for (const n of page.value.notes) if (n.param !== null) known[n.param.key] = { ...n, param: n.param };
        }
        set({ planPages: { ...self().planPages, [key]: page }, fields: known });
      },

      setParam(paramKey, value) {
        const params = { ...self().params };
        if (value.trim() === '') delete params[paramKey];
        else params[paramKey] = value.trim();
        set({ params });
      },

      toggleStep(stepId, on) {
        const plan = self().plan;
        if (plan.status !== 'done') return;
        const steps = stepIndexOf(plan.value);
        const selected = new Set(self().selected);
        if (on) {
          // A step comes with the steps it depends on.
          const add = (id: string) => {
            if (selected.has(id)) return;
            selected.add(id);
            for (const dep of steps.find((s) => s.id === id)?.dependsOn ?? []) add(dep);
          };
          add(stepId);
        } else {
          // ...and leaves with the steps that depend on it.
          const remove = (id: string) => {
            if (!selected.delete(id)) return;
            for (const s of steps) if (s.dependsOn.includes(id)) remove(s.id);
          };
          remove(stepId);
        }
        set({ selected: steps.map((s) => s.id).filter((id) => selected.has(id)) });
      },

      selectAll(on) {
        const plan = self().plan;
        if (plan.status !== 'done') return;
        set({ selected: on ? stepIndexOf(plan.value).map((s) => s.id) : [] });
      },

      async applySelected(confirmOrg) {
        const profile = get().connect.profile;
        const plan = self().plan;
        const stepIds = self().selected;
        if (!profile || plan.status !== 'done' || stepIds.length === 0 || self().apply.status === 'running') return;
        const planId = plan.value.planId;
        set({ apply: running<FixProgress>({ kind: 'apply', id: planId, index: 0, total: stepIds.length, steps: {} }), cancel: IDLE });
        const result = await call(() =>
          bridge.invoke['fix:apply']({
            profileId: profile.id,
            planId,
            ...selectionRequest(plan.value, stepIds),
            confirm: true,
            ...(confirmOrg !== undefined ? { confirmOrg } : {}),
          }),
        );
        if (!result.ok) {
          set({ apply: failed(result.error) });
          return;
        }
        // The results table names each change: steps of pages not seen yet are asked for (kept apart from shown pages).
        const limit = 100;
        for (const offset of missingStepPages(self().planPages, plan.value, stepIds, limit)) {
          const page = await call(() => bridge.invoke['fix:planPage']({ profileId: profile.id, planId, part: 'steps', offset, limit }));
          if (page.ok) set({ planPages: { ...self().planPages, [`${planPageKey(planId, 'steps', offset)}:${limit}`]: done(page.value) } });
        }
        const known = knownSteps(self().planPages, plan.value);
        const chosen = new Set(stepIds);
        const sent = stepIndexOf(plan.value).flatMap((s) => (chosen.has(s.id) && known.has(s.id) ? [known.get(s.id)!] : []));
        const batch: AppliedBatch = { applyId: result.value.applyId, planId, steps: sent, results: result.value.results, undone: [] };
        // The plan was made from the previous run: plan again from the re-check.
        set({ apply: done(result.value), applied: [...self().applied, batch], selected: [], plan: IDLE, lastPlan: null, planPages: {} });
        if (result.value.recheck) get().checks.adopt(result.value.recheck);
      },

      async prepareUndo(target) {
        const profile = get().connect.profile;
        if (!profile || self().undo.status === 'running') return;
        set({ undoTarget: target, undoPlan: running(null), undo: IDLE });
        const result = await call(() => bridge.invoke['fix:undoPlan']({ profileId: profile.id, applyId: target.applyId }));
        if (self().undoTarget !== target) return;
        set({ undoPlan: result.ok ? done(result.value) : failed(result.error) });
      },

      cancelUndo() {
        if (self().undo.status === 'running') return;
        set({ undoTarget: null, undoPlan: IDLE });
      },

      async undoPrepared(confirmOrg) {
        const profile = get().connect.profile;
        const target = self().undoTarget;
        if (!profile || !target || self().undo.status === 'running') return;
        set({
          undo: running<FixProgress>({ kind: 'undo', id: target.applyId, index: 0, total: target.stepIds.length, steps: {} }),
          cancel: IDLE,
        });
        const result = await call(() =>
          bridge.invoke['fix:undo']({
            profileId: profile.id,
            applyId: target.applyId,
            stepIds: [...target.stepIds],
            confirm: true,
            ...(confirmOrg !== undefined ? { confirmOrg } : {}),
          }),
        );
        if (!result.ok) {
          set({ undo: failed(result.error), undoTarget: null, undoPlan: IDLE });
          return;
        }
        const undoneNow = result.value.results.filter((r) => r.status === 'applied').map((r) => r.stepId);
        set({
          undo: done(result.value),
          undoTarget: null,
          undoPlan: IDLE,
          plan: IDLE,
          lastPlan: null,
          planPages: {},
          applied: self().applied.map((b) =>
            b.applyId === target.applyId ? { ...b, undone: [...new Set([...b.undone, ...undoneNow])] } : b,
          ),
        });
        if (result.value.recheck) get().checks.adopt(result.value.recheck);
      },

      async cancelChanges() {
        const s = self();
        const run = s.apply.status === 'running' ? s.apply : s.undo.status === 'running' ? s.undo : null;
        if (!run || s.cancel.status === 'running') return;
        set({ cancel: running(null) });
        // The id progress events carry: the plan for an apply, the apply for an undo.
        const result = await call(() => bridge.invoke['fix:cancel']({ planId: run.progress.id }));
        set({ cancel: result.ok ? done(result.value.cancelled) : failed(result.error) });
      },

      restoreChanges(changes, latest = null) {
        if (self().apply.status === 'running' || self().undo.status === 'running') return;
        const restored = restoredChanges(changes, section, latest);
        set({
          applied: restored.applied,
          apply: restored.apply ? done(restored.apply) : IDLE,
          undo: restored.undo ? done(restored.undo) : IDLE,
          undoTarget: null,
          undoPlan: IDLE,
          plan: IDLE,
          planFor: null,
          selected: [],
          planPages: {},
        });
      },

      async restorePlan(ref) {
        const profile = get().connect.profile;
        if (!profile || self().plan.status === 'running' || self().apply.status === 'running') return;
        // Running while asked, so the step does not plan again meanwhile.
        set({ plan: running(null), planFor: ref.runId, params: { ...ref.params } });
        const result = await call(() => bridge.invoke['fix:getPlan']({ profileId: profile.id, planId: ref.planId }));
        if (self().planFor !== ref.runId || self().plan.status !== 'running') return;
        if (!result.ok) {
          // Main no longer has it (a restart): the step plans again, with the same choices.
          set({ plan: IDLE, planFor: null });
          return;
        }
        const plan = withOptionSets(result.value);
        const known = { ...self().fields };
        for (const n of plan.notes) if (n.param !== null) known[n.param.key] = { ...n, param: n.param };
        set({ plan: done(plan), lastPlan: plan, fields: known, planPages: {}, selected: [] });
      },

      async showEvidence(runId, sha256) {
        const k = evidenceKey(runId, sha256);
        const current = self().evidence[k];
        if (current && (current.status === 'running' || current.status === 'done')) return;
        set({ evidence: { ...self().evidence, [k]: running(null) } });
        const result = await call(() => bridge.invoke['audit:evidence']({ runId, sha256 }));
        set({ evidence: { ...self().evidence, [k]: result.ok ? done(result.value) : failed(result.error) } });
      },
    };
  };
}

/** The results of applied steps that can still be undone (applied, reversible, not undone yet). */
export function undoableSteps(batch: AppliedBatch): FixStep[] {
  return batch.steps.filter(
    (s) => s.reversible && !batch.undone.includes(s.id) && batch.results.some((r) => r.stepId === s.id && r.status === 'applied'),
  );
}
