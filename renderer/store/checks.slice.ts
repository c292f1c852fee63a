import type { EventPayloadOf, RunningAuditDto } from '../../shared/ipc/contract';
import type { AuditRun } from './dto';
import type { SliceCreator } from './slice';
import type { Status } from './status';
import { IDLE, call, done, failed, running } from './status';

export interface AuditProgress {
  readonly runId: string;
  readonly completed: number;
  readonly total: number;
  /** The control that finished last. */
  readonly control: string | null;
}

/**
 * The live checks: the audit runs of this session. `baseline` is the first complete run (the
 * "before" of the report), `latest` the newest (a re-check, or the one `fix:apply` returned).
 * Every run covers all controls of the level, so each section step reads its part of `latest`.
 */
export interface ChecksSlice {
  readonly run: Status<AuditRun, AuditProgress>;
  readonly baseline: AuditRun | null;
  readonly latest: AuditRun | null;
  readonly cancel: Status<boolean>;
  /** A run at the chosen level in this session (its before audit kept), or the first of a new one. */
  start(options?: { readonly newSession?: boolean }): Promise<void>;
  cancelRun(): Promise<void>;
  /** Takes a re-check that came with a fix or an undo as the latest run. */
  adopt(run: AuditRun): void;
  /**
   * Resuming a session: the run main still holds (`audit:get`, with its baseline), else a new
   * audit (runs live in main's memory and do not survive a restart).
   */
  restore(runId: string | undefined): Promise<void>;
  /** The runs of a restored session (`session:get`). */
  hydrate(baseline: AuditRun | null, latest: AuditRun | null): void;
  /**
   * An audit main is still running (a reload during it, `session:get`'s `running`): its progress
   * from the events, then its result (`audit:get` answers when it ends). Resolves when it has.
   */
  follow(live: RunningAuditDto): Promise<void>;
}

export const createChecksSlice: SliceCreator<'checks'> = ({ set, get, bridge, newId, track }) => {
    const self = () => get().checks;

    track(bridge.on['audit:progress']((p: EventPayloadOf<'audit:progress'>) => {
      const run = self().run;
      if (run.status !== 'running' || run.progress.runId !== p.runId) return;
      // Events can arrive out of order with the answer: never move progress backwards.
      if (p.completed < run.progress.completed) return;
      set({ run: running({ runId: p.runId, completed: p.completed, total: p.total, control: p.control }) });
    }));

    return {
      run: IDLE,
      baseline: null,
      latest: null,
      cancel: IDLE,

      async start(options = {}) {
        const profile = get().connect.profile;
        if (!profile || self().run.status === 'running') return;
        // Chosen here, so the person can cancel before the answer arrives.
        const runId = newId();
        const level = get().level.level;
        // A level change stays in the session (the person was asked): only a new session drops the "before".
        const baseline = options.newSession ? null : self().baseline;
        set({ run: running({ runId, completed: 0, total: 0, control: null }), cancel: IDLE });
        const result = await call(() =>
          bridge.invoke['audit:run']({
            profileId: profile.id,
            level,
            runId,
            ...(baseline ? { baselineRunId: baseline.runId } : {}),
          }),
        );
        const current = self().run;
        if (current.status !== 'running' || current.progress.runId !== runId) return;
        if (!result.ok) {
          set({ run: failed(result.error) });
          return;
        }
        set({ run: done(result.value), latest: result.value, baseline: baseline ?? result.value });
        get().findings.prefetchSteps(result.value.runId);
      },

      async cancelRun() {
        const run = self().run;
        if (run.status !== 'running') return;
        set({ cancel: running(null) });
        const result = await call(() => bridge.invoke['audit:cancel']({ runId: run.progress.runId }));
        set({ cancel: result.ok ? done(result.value.cancelled) : failed(result.error) });
      },

      hydrate(baseline, latest) {
        if (self().run.status === 'running') return;
        const last = latest ?? baseline;
        set({ baseline: baseline ?? last, latest: last, run: last ? done(last) : IDLE, cancel: IDLE });
      },

      async follow(live) {
        const current = self().run;
        if (current.status === 'running' && current.progress.runId === live.runId) return;
        set({ run: running({ runId: live.runId, completed: live.completed, total: live.total, control: null }), cancel: IDLE });
        const result = await call(() => bridge.invoke['audit:get']({ runId: live.runId }));
        const now = self().run;
        if (now.status !== 'running' || now.progress.runId !== live.runId) return;
        if (!result.ok) {
          // A cancelled or failed audit: what the session had stays; the error says what happened.
          set({ run: result.error.code === 'cancelled' && self().latest ? done(self().latest!) : failed(result.error) });
          return;
        }
        let baseline = self().baseline;
        if (!baseline && result.value.baselineRunId !== result.value.runId) {
          const base = await call(() => bridge.invoke['audit:get']({ runId: result.value.baselineRunId }));
          baseline = base.ok ? base.value : null;
        }
        set({ run: done(result.value), latest: result.value, baseline: baseline ?? result.value });
        get().findings.prefetchSteps(result.value.runId);
      },

      adopt(run) {
        set({ run: done(run), latest: run, baseline: self().baseline ?? run });
        get().findings.prefetchSteps(run.runId);
      },

      async restore(runId) {
        if (self().latest || self().run.status === 'running') return;
        if (runId) {
          set({ run: running({ runId, completed: 0, total: 0, control: null }) });
          const got = await call(() => bridge.invoke['audit:get']({ runId }));
          if (got.ok) {
            const base =
              got.value.baselineRunId === got.value.runId ? got : await call(() => bridge.invoke['audit:get']({ runId: got.value.baselineRunId }));
            set({ run: done(got.value), latest: got.value, baseline: base.ok ? base.value : got.value });
            get().findings.prefetchSteps(got.value.runId);
            return;
          }
          set({ run: IDLE });
        }
        await self().start();
      },
    };
};
