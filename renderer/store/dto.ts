import type { ResponseOf } from '../../shared/ipc/contract';

/** The contract's answers under the names the wizard uses. */
export type AppInfo = ResponseOf<'app:info'>;
export type TokenInfo = ResponseOf<'auth:setToken'>;
export type ScopeCheck = ResponseOf<'auth:scopeCheck'>;
export type OrgSummary = ResponseOf<'org:list'>['orgs'][number];
export type Profile = ResponseOf<'profile:save'>['profile'];
export type DemoStatus = ResponseOf<'demo:status'>;
export type Catalog = ResponseOf<'catalog:get'>;
export type ControlInfo = Catalog['controls'][number];
export type AuditRun = ResponseOf<'audit:run'>;
export type CheckSummary = AuditRun['checks'][number];
export type FindingsPage = ResponseOf<'audit:findings'>;
export type FindingGroup = FindingsPage['groups'][number];
/** A finding as a step shows it (a row of `audit:findings`). */
export type Finding = FindingGroup['rows'][number];
export type ChangesPage = ResponseOf<'audit:changes'>;
export type EvidenceDetail = ResponseOf<'audit:evidence'>;
export type FixPlan = ResponseOf<'fix:plan'>;
export type FixStep = FixPlan['steps'][number];
export type PlanNote = FixPlan['notes'][number];
export type ApplyOutcome = ResponseOf<'fix:apply'>;
export type StepResult = ApplyOutcome['results'][number];
export type UndoPlan = ResponseOf<'fix:undoPlan'>;
export type UndoOutcome = ResponseOf<'fix:undo'>;
export type Registers = ResponseOf<'register:get'>['registers'];
export type SavedReport = ResponseOf<'report:save'>;
export type ReportView = NonNullable<SavedReport['view']>;
export type PrintedReport = ResponseOf<'report:printPdf'>;
export type PortfolioEntry = ResponseOf<'portfolio:list'>['entries'][number];
export type TerraformExport = ResponseOf<'export:terraform'>;
