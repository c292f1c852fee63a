import type { StatusCounts } from '../../shared/finding';
import { FINDING_STATUSES } from '../../shared/finding';
import type { ExceptionEntry } from '../../shared/settings';
import { registerNote, type RegisterCounts, type RegisterEntries, type RegisterNote } from '../../shared/register-notes';
import type { SectionId } from '../../shared/sections';
import { sectionOfControl } from '../../shared/sections';
import type { AuditRun, CheckSummary, ControlInfo, Finding, FindingGroup } from './dto';
import type { SectionStep, StepId } from './steps';
import { SECTION_STEPS, STEP_IDS, sectionStep, stepIndex } from './steps';
import type { WizardState } from './wizard-state';

type SectionSlice = WizardState['authentication'];

/** The organization the person chose on the Connect step, or null before. */
export function chosenOrgSlug(connect: WizardState['connect']): string | null {
  return connect.org.status === 'done' ? connect.org.value.orgSlug : null;
}

/** Derived values: computed from state, never stored as flags. */

export function sectionSlice(state: WizardState, step: SectionStep): SectionSlice {
  return state[step.slice];
}

function sectionBusy(slice: SectionSlice): boolean {
  return slice.apply.status === 'running' || slice.undo.status === 'running';
}

/** Why the person cannot move on from `step` yet, or null when they can. */
export function advanceBlocker(state: WizardState, step: StepId): string | null {
  switch (step) {
    case 'connect': {
      const c = state.connect;
      if (!c.profile || c.token.status !== 'done') return 'Connect with a token (or choose the demo organization) first.';
      if (!chosenOrgSlug(c)) return 'Choose the organization to review.';
      return null;
    }
    case 'level':
      return state.level.save.status === 'running' ? 'Saving the level…' : null;
    case 'summary':
      return 'This is the last step.';
    default: {
      const s = sectionStep(step);
      if (!s) return null;
      if (state.checks.run.status === 'running') return 'Wait for the checks to finish (or cancel them).';
      if (!state.checks.latest) return 'Run the checks first.';
      if (sectionBusy(sectionSlice(state, s))) return 'Wait until the changes are applied.';
      return null;
    }
  }
}

export function canAdvance(state: WizardState, step: StepId = state.nav.current): boolean {
  return advanceBlocker(state, step) === null;
}

/** The last step the person may open: every step before it allows advancing. */
export function furthestReachable(state: WizardState): StepId {
  let reach: StepId = STEP_IDS[0] ?? 'connect';
  for (const id of STEP_IDS) {
    reach = id;
    if (!canAdvance(state, id)) break;
  }
  return reach;
}

export function canOpenStep(state: WizardState, step: StepId): boolean {
  return stepIndex(step) <= stepIndex(furthestReachable(state));
}

/** The checks of a section that gave findings, with their counts (the run's summaries). */
export function checksOfSection(run: AuditRun | null, section: SectionId): CheckSummary[] {
  return (run?.checks ?? []).filter((c) => sectionOfControl(c.control) === section);
}

/** Needs attention: a failure, an error or something to check by hand. */
export function needsAttention(counts: StatusCounts): boolean {
  return counts.fail + counts.error + counts.manual > 0;
}

export function countsOfSection(run: AuditRun | null, section: SectionId): StatusCounts {
  const total: StatusCounts = { pass: 0, fail: 0, error: 0, manual: 0, not_applicable: 0 };
  for (const c of checksOfSection(run, section)) for (const s of FINDING_STATUSES) total[s] += c.counts[s];
  return total;
}

export function controlsOfSection(state: WizardState, section: SectionId): ControlInfo[] {
  const catalog = state.catalog.catalog;
  if (catalog.status !== 'done') return [];
  return catalog.value.controls.filter((c) => sectionOfControl(c.id) === section);
}

export function controlInfo(state: WizardState, id: string): ControlInfo | null {
  const catalog = state.catalog.catalog;
  return catalog.status === 'done' ? (catalog.value.controls.find((c) => c.id === id) ?? null) : null;
}

/** A finding's identity across runs: the same check on the same resource. */
export function findingKey(f: Pick<Finding, 'check' | 'resource'>): string {
  return `${f.check}|${f.resource.type}|${f.resource.id}`;
}

export interface SectionScore {
  readonly step: SectionStep;
  readonly before: StatusCounts;
  readonly after: StatusCounts;
}

/** Before (first run) and after (latest run) per section. */
export function scorecard(state: WizardState): SectionScore[] {
  const { baseline, latest } = state.checks;
  return SECTION_STEPS.map((step) => ({
    step,
    before: countsOfSection(baseline, step.section),
    after: countsOfSection(latest, step.section),
  }));
}

/** Controls attested by someone in the registers. */
export function attestedControls(state: WizardState): Set<string> {
  const r = state.registers.registers;
  return new Set(r.status === 'done' ? r.value.attestations.map((a) => a.control) : []);
}

/** The review cycle the evidence package sets (core/evidence DEFAULT_REVIEW_INTERVAL_DAYS). */
export const REVIEW_INTERVAL_DAYS = 90;

/** The next review: a quarter after the latest run, the date the signed package records. */
export function nextReviewDate(state: WizardState): Date | null {
  const latest = state.checks.latest;
  if (!latest) return null;
  return new Date(Date.parse(latest.finishedAt) + REVIEW_INTERVAL_DAYS * 86_400_000);
}

/** Accepted risks that lapse before the next review: they need a decision sooner. */
export function exceptionsExpiringBeforeReview(state: WizardState): ExceptionEntry[] {
  const review = nextReviewDate(state);
  const r = state.registers.registers;
  if (!review || r.status !== 'done') return [];
  return r.value.exceptions.filter((e) => e.expiresAt !== undefined && Date.parse(e.expiresAt) < review.getTime());
}

/** Scopes missing for fixes: fixes are offered only with a token that can apply them. */
export function canApplyFixes(state: WizardState): boolean {
  const s = state.connect.scopeCheck;
  return s.status === 'done' && s.value.fix.satisfied;
}

/** Anything running that the person should wait for (shown in the header). */
export function busy(state: WizardState): boolean {
  return state.checks.run.status === 'running' || SECTION_STEPS.some((s) => sectionBusy(sectionSlice(state, s)));
}

/** The registers as they read against findings, or none before they load. */
export function registerEntries(state: WizardState): RegisterEntries {
  const r = state.registers.registers;
  return r.status === 'done' ? r.value : { exceptions: [], attestations: [] };
}

/**
 * When exceptions are judged: the latest run's finish, as the evidence package (and main, for
 * the counts) judges them, so the wizard and the package agree on which still count.
 */
export function registersAt(state: WizardState): Date {
  const latest = state.checks.latest;
  return latest ? new Date(latest.finishedAt) : new Date(0);
}

/** The exception or attestation that reads against a row of the latest run, if any. */
export function noteOf(state: WizardState, f: Pick<Finding, 'control' | 'check' | 'resource' | 'status'>): RegisterNote | null {
  return registerNote(f, registerEntries(state), registersAt(state));
}

/** Accepted risks and attested items over groups of rows, as main counted them per check. */
export function notedOfGroups(groups: readonly Pick<FindingGroup, 'noted'>[]): RegisterCounts {
  let excepted = 0;
  let attested = 0;
  for (const g of groups) {
    excepted += g.noted?.excepted ?? 0;
    attested += g.noted?.attested ?? 0;
  }
  return { excepted, attested };
}
