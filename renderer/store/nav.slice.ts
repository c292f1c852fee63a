import type { StepId } from './steps';
import type { WizardProgress } from '../../shared/settings';
import { STEP_IDS, isStepId, stepIndex } from './steps';
import { canAdvance, furthestReachable } from './selectors';
import type { SliceCreator } from './slice';
import type { Status } from './status';
import { IDLE, call, done, failed, running } from './status';

/**
 * Where the person is. Moving forward needs every step before the target to allow it
 * (`canAdvance`); moving back is always allowed. The position is saved as the profile's wizard
 * progress so a session can be resumed.
 */
export interface NavSlice {
  readonly current: StepId;
  readonly completed: readonly StepId[];
  readonly persist: Status<true>;
  goTo(step: StepId): boolean;
  next(): boolean;
  back(): void;
  /** Continues a saved session at its step (its checks restored or run again). */
  resume(progress: WizardProgress): void;
}

export const createNavSlice: SliceCreator<'nav'> = ({ set, get, bridge, now }) => {
  const self = () => get().nav;

  async function persist(): Promise<void> {
    const profile = get().connect.profile;
    if (!profile || get().connect.org.status !== 'done') return;
    const { current, completed } = self();
    set({ persist: running(null) });
    const latest = get().checks.latest;
    const result = await call(() =>
      bridge.invoke['wizard:save']({
        profileId: profile.id,
        progress: {
          step: current,
          completed: [...completed],
          ...(latest ? { auditRunId: latest.runId } : {}),
          updatedAt: now().toISOString(),
        },
      }),
    );
    set({ persist: result.ok ? done(true as const) : failed(result.error) });
  }

  function moveTo(step: StepId): void {
    const from = self().current;
    const completed = stepIndex(step) > stepIndex(from) && !self().completed.includes(from) ? [...self().completed, from] : self().completed;
    set({ current: step, completed });
    void persist();
    // Leaving the level step starts the checks the section steps show (again, if the level changed).
    if (from === 'level' && stepIndex(step) > stepIndex('level')) {
      const checks = get().checks;
      const stale = !checks.latest || checks.latest.level !== get().level.level;
      if (stale && checks.run.status !== 'running') void checks.start();
    }
  }

  return {
    current: 'connect',
    completed: [],
    persist: IDLE,

    goTo(step) {
      if (step === self().current) return true;
      if (stepIndex(step) > stepIndex(furthestReachable(get()))) return false;
      moveTo(step);
      return true;
    },

    next() {
      const state = get();
      if (!canAdvance(state, state.nav.current)) return false;
      const next = STEP_IDS[stepIndex(state.nav.current) + 1];
      if (!next) return false;
      moveTo(next);
      return true;
    },

    back() {
      const previous = STEP_IDS[stepIndex(self().current) - 1];
      if (previous) moveTo(previous);
    },

    resume(progress) {
      if (!canAdvance(get(), 'connect')) return;
      const step = isStepId(progress.step) ? progress.step : 'level';
      const completed = progress.completed.filter(isStepId).filter((id) => stepIndex(id) < stepIndex(step));
      set({ current: step, completed });
      // The level, runs and change log of the saved session (or the run main still holds).
      void get().session.hydrate({ ...progress, step });
      void persist();
    },
  };
};
