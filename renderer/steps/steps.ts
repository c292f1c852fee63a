/**
 * The wizard's steps in order. Ids are persisted in the wizard progress (shared/settings.ts
 * StepId: lower-case, digits and dashes), so they are stable. The section steps follow the
 * hardening guide's order, then the integrations review.
 */

export type SectionId = '1' | '2' | '3' | '4' | 'INT';

export const SECTION_STEPS = [
  { id: 'authentication', slice: 'authentication', section: '1', title: 'Authentication & SSO' },
  { id: 'access-controls', slice: 'accessControls', section: '2', title: 'Access controls' },
  { id: 'data-security', slice: 'dataSecurity', section: '3', title: 'Data security' },
  { id: 'monitoring', slice: 'monitoring', section: '4', title: 'Monitoring & audit logs' },
  { id: 'integrations', slice: 'integrations', section: 'INT', title: 'Integrations review' },
] as const satisfies readonly { id: string; slice: string; section: SectionId; title: string }[];

export type SectionStep = (typeof SECTION_STEPS)[number];
export type SectionStepId = SectionStep['id'];
export type SectionSliceKey = SectionStep['slice'];

export const STEPS = [
  { id: 'connect', title: 'Connect' },
  { id: 'level', title: 'Profile level' },
  ...SECTION_STEPS.map(({ id, title }) => ({ id, title })),
  { id: 'summary', title: 'Summary' },
] as const;

export type StepId = 'connect' | 'level' | SectionStepId | 'summary';

export const STEP_IDS: readonly StepId[] = STEPS.map((s) => s.id as StepId);

export function isStepId(value: string): value is StepId {
  return (STEP_IDS as readonly string[]).includes(value);
}

export function stepIndex(id: StepId): number {
  return STEP_IDS.indexOf(id);
}

export function stepTitle(id: StepId): string {
  return STEPS.find((s) => s.id === id)?.title ?? id;
}

export function sectionStep(id: StepId): SectionStep | null {
  return SECTION_STEPS.find((s) => s.id === id) ?? null;
}

/** `1.2` -> `1`, `INT.4` -> `INT`; null for ids outside the guide. */
export function sectionOfControl(control: string): SectionId | null {
  if (control.startsWith('INT.')) return 'INT';
  const head = control.split('.')[0];
  return head === '1' || head === '2' || head === '3' || head === '4' ? head : null;
}

export function sectionStepDef(id: SectionStepId): SectionStep {
  const step = SECTION_STEPS.find((s) => s.id === id);
  if (!step) throw new Error(`no section step ${id}`);
  return step;
}
