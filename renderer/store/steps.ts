/**
 * The wizard's steps in order. Ids are persisted in the wizard progress (shared/settings.ts
 * StepId: lower-case, digits and dashes), so they are stable. The section steps follow the
 * hardening guide's order, then the integrations review.
 */

import type { SectionId } from '../../shared/sections';
import { sectionTitle } from '../../shared/sections';

export type { SectionId } from '../../shared/sections';
export { sectionOfControl } from '../../shared/sections';

/** The one table of section steps: the wizard's step, its store slice and the guide's section. */
const SECTION_STEP_TABLE = [
  { id: 'authentication', slice: 'authentication', section: '1' },
  { id: 'access-controls', slice: 'accessControls', section: '2' },
  { id: 'data-security', slice: 'dataSecurity', section: '3' },
  { id: 'monitoring', slice: 'monitoring', section: '4' },
  { id: 'integrations', slice: 'integrations', section: 'INT' },
] as const satisfies readonly { id: string; slice: string; section: SectionId }[];

/** Each section step with its title as shared/sections.ts spells it. */
export const SECTION_STEPS = SECTION_STEP_TABLE.map((s) => ({ ...s, title: sectionTitle(s.section) }));

export type SectionStep = (typeof SECTION_STEPS)[number];
export type SectionStepId = SectionStep['id'];
export type SectionSliceKey = SectionStep['slice'];

export const STEPS: readonly { readonly id: StepId; readonly title: string }[] = [
  { id: 'connect', title: 'Connect' },
  { id: 'level', title: 'Profile level' },
  ...SECTION_STEPS.map(({ id, title }) => ({ id, title })),
  { id: 'summary', title: 'Summary' },
];

export type StepId = 'connect' | 'level' | SectionStepId | 'summary';

export const STEP_IDS: readonly StepId[] = STEPS.map((s) => s.id);

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

export function sectionStepDef(id: SectionStepId): SectionStep {
  const step = SECTION_STEPS.find((s) => s.id === id);
  if (!step) throw new Error(`no section step ${id}`);
  return step;
}
