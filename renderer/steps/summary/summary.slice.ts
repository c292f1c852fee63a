import type { PrintedReport, SavedReport, TerraformExport } from '../../store/dto';
import type { SliceCreator } from '../../store/slice';
import type { Status } from '../../store/status';
import { IDLE, call, running, settle } from '../../store/status';
import type { WizardState } from '../../store/wizard-state';

/**
 * Step 4: the signed evidence package of the latest run (before/after when fixes were applied),
 * and in the desktop app the report as PDF.
 */
export interface SummarySlice {
  readonly report: Status<SavedReport>;
  readonly pdf: Status<SavedReport>;
  /** Web mode: the saved package's report printed to a PDF beside it (report:printPdf). */
  readonly packagePdf: Status<PrintedReport>;
  /** Desktop app: the saved package's report.html opened by main with the system's viewer. */
  readonly opened: Status<{ readonly opened: boolean }>;
  /** Terraform configuration of the organization as read (read-only towards Sentry). */
  readonly terraform: Status<TerraformExport>;
  saveReport(): Promise<void>;
  exportTerraform(): Promise<void>;
  /** The HTML report printed to PDF; desktop app only (web mode refuses it). */
  savePdf(): Promise<void>;
  /**
   * After the package is saved: its report.html printed to PDF (web mode: by the machine's
   * Chromium, next to the package; desktop: where the person chooses).
   */
  savePackagePdf(): Promise<void>;
  /** Desktop app, after the package is saved: main opens its report.html (report:open). */
  openReport(): Promise<void>;
}

/** Only the desktop app can print to PDF (`printToPDF`); web mode refuses the format. */
export function canSavePdf(state: Pick<WizardState, 'connect'>): boolean {
  const app = state.connect.app;
  return app.status === 'done' && app.value.mode === 'desktop';
}

/**
 * The latest check's report printed to PDF: desktop only, and only until the package is saved;
 * then the package's own report has its Save as PDF, and one button is enough.
 */
export function offersLatestCheckPdf(state: Pick<WizardState, 'connect' | 'summary'>): boolean {
  const r = state.summary.report;
  return canSavePdf(state) && !(r.status === 'done' && r.value.view);
}

export const createSummarySlice: SliceCreator<'summary'> = ({ set, get, bridge }) => ({
  report: IDLE,
  pdf: IDLE,
  packagePdf: IDLE,
  opened: IDLE,
  terraform: IDLE,
  async exportTerraform() {
    const profile = get().connect.profile;
    if (!profile || get().summary.terraform.status === 'running') return;
    set({ terraform: running(null) });
    set({ terraform: settle(await call(() => bridge.invoke['export:terraform']({ profileId: profile.id }))) });
  },
  async saveReport() {
    const run = get().checks.latest;
    if (!run || get().summary.report.status === 'running') return;
    set({ report: running(null), packagePdf: IDLE, opened: IDLE });
    set({ report: settle(await call(() => bridge.invoke['report:save']({ runId: run.runId, format: 'evidence' }))) });
  },
  async savePdf() {
    const run = get().checks.latest;
    if (!run || !canSavePdf(get()) || get().summary.pdf.status === 'running') return;
    set({ pdf: running(null) });
    set({ pdf: settle(await call(() => bridge.invoke['report:save']({ runId: run.runId, format: 'pdf' }))) });
  },
  async savePackagePdf() {
    const saved = get().summary.report;
    const view = saved.status === 'done' ? saved.value.view : undefined;
    if (!view || view.pdf === 'browser' || get().summary.packagePdf.status === 'running') return;
    set({ packagePdf: running(null) });
    set({ packagePdf: settle(await call(() => bridge.invoke['report:printPdf']({ reportId: view.id }))) });
  },
  async openReport() {
    const saved = get().summary.report;
    const view = saved.status === 'done' ? saved.value.view : undefined;
    if (!view || view.url !== null || get().summary.opened.status === 'running') return;
    set({ opened: running(null) });
    set({ opened: settle(await call(() => bridge.invoke['report:open']({ reportId: view.id }))) });
  },
});
