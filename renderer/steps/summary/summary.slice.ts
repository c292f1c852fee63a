import type { SavedReport } from '../../store/dto';
import type { SliceCreator } from '../../store/slice';
import type { Status } from '../../store/status';
import { IDLE, call, running, settle } from '../../store/status';

/** Step 4: the signed evidence package of the latest run (before/after when fixes were applied). */
export interface SummarySlice {
  readonly report: Status<SavedReport>;
  saveReport(): Promise<void>;
}

export const createSummarySlice: SliceCreator<'summary'> = ({ set, get, bridge }) => ({
  report: IDLE,
  async saveReport() {
    const run = get().checks.latest;
    if (!run || get().summary.report.status === 'running') return;
    set({ report: running(null) });
    set({ report: settle(await call(() => bridge.invoke['report:save']({ runId: run.runId, format: 'evidence' }))) });
  },
});
