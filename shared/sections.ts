/** The guide's sections and the integrations review: `1` ... `4`, `INT`. */
export type SectionId = '1' | '2' | '3' | '4' | 'INT';

/**
 * The guide's sections, in its order, then the integrations review: one spelling for the report,
 * the wizard and the engine's catalog.
 */
export const REPORT_SECTIONS = [
  { id: '1', title: 'Authentication & SSO' },
  { id: '2', title: 'Access controls' },
  { id: '3', title: 'Data security' },
  { id: '4', title: 'Monitoring & audit logs' },
  { id: 'INT', title: 'Integrations review' },
] as const satisfies readonly { readonly id: SectionId; readonly title: string }[];

export function sectionTitle(id: SectionId): string {
  return REPORT_SECTIONS.find((s) => s.id === id)?.title ?? id;
}

/** `1.2` -> `1`, `INT.4` -> `INT`; null for ids outside the guide. */
export function sectionOfControl(control: string): SectionId | null {
  if (control.startsWith('INT.')) return 'INT';
  const head = control.split('.')[0];
  return head === '1' || head === '2' || head === '3' || head === '4' ? head : null;
}
