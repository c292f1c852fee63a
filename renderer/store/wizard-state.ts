import type { ConnectSlice } from '../steps/connect/connect.slice';
import type { LevelSlice } from '../steps/level/level.slice';
import type { SectionSlice } from '../steps/section/section.slice';
import type { SummarySlice } from '../steps/summary/summary.slice';
import type { CatalogSlice } from './catalog.slice';
import type { ChecksSlice } from './checks.slice';
import type { FindingsSlice } from './findings.slice';
import type { NavSlice } from './nav.slice';
import type { RegistersSlice } from './registers.slice';
import type { SessionSlice } from './session.slice';

/**
 * The whole wizard: one namespaced slice per step (connect, level, the five section steps,
 * summary) and the resources several steps read (the catalog, the audit runs, the registers,
 * navigation). Each slice writes only its own namespace.
 */
export interface WizardState {
  readonly nav: NavSlice;
  readonly catalog: CatalogSlice;
  readonly checks: ChecksSlice;
  /** Pages of the runs' rows the steps asked for (`audit:findings`, `audit:changes`). */
  readonly findings: FindingsSlice;
  readonly registers: RegistersSlice;
  readonly session: SessionSlice;
  readonly connect: ConnectSlice;
  readonly level: LevelSlice;
  readonly authentication: SectionSlice;
  readonly accessControls: SectionSlice;
  readonly dataSecurity: SectionSlice;
  readonly monitoring: SectionSlice;
  readonly integrations: SectionSlice;
  readonly summary: SummarySlice;
}
