import type { Level } from '../../shared/levels';
import type { PlanRefDto, SessionDto } from '../../shared/ipc/contract';
import { planRefFor } from '../steps/section/section-restore';
import type { WizardProgress } from '../../shared/settings';
import type { SliceCreator } from './slice';
import type { Status } from './status';
import { IDLE, call, done, failed, running } from './status';
import { isStepId, stepIndex } from './steps';

/**
 * The durable session (core/app/session-store.ts): after a reload, a restart of the app or of
 * `sentry-harden ui`, the window asks main for the profile's session and restores it exactly: the
 * level, the before and latest audit, the change log of every section, and the step. Changing
 * the level while a session has a before audit asks first (`pendingLevel`), never restarts silently.
 */
export interface SessionSlice {
  /** Restoring the last session when the window opens (`restoreLast`) or on Resume. */
  readonly restore: Status<SessionDto | null>;
  /** Why the saved session could not be used (it was then treated as none). */
  readonly problem: string | null;
  /** A level the person picked while the session has a before audit: waiting for their answer. */
  readonly pendingLevel: Level | null;
  /** When the window opens: back to the session the app was last working on, if any. */
  restoreLast(): Promise<void>;
  /** The saved session of the connected profile into every slice, at `progress`'s step. */
  hydrate(progress: WizardProgress): Promise<void>;
  /** The level step's choice: asks first when it would change the level of a session with a before audit. */
  chooseLevel(level: Level): void;
  /** The answer: re-check at the new level in this session, start a new session, or keep the level. */
  answerLevel(answer: 'same-session' | 'new-session' | 'keep'): Promise<void>;
}

const SECTION_KEYS = ['authentication', 'accessControls', 'dataSecurity', 'monitoring', 'integrations'] as const;

export const createSessionSlice: SliceCreator<'session'> = ({ set, get, bridge }) => {
  const self = () => get().session;
  let restoringLast = false;

  function applySession(session: SessionDto, plans: readonly PlanRefDto[]): void {
    const state = get();
    state.level.restore(session.level);
    state.checks.hydrate(session.baseline, session.latest);
    for (const key of SECTION_KEYS) {
      state[key].restoreChanges(session.changes, session.latest);
      // The plan the step showed, when main still keeps it for the run on screen.
      const ref = planRefFor(plans, state[key].section, session.latest?.runId ?? null);
      if (ref) void get()[key].restorePlan(ref);
    }
  }

  /** After a followed audit ends: the change log again (an apply that ran meanwhile is in it now). */
  async function refreshChanges(profileId: string): Promise<void> {
    const got = await call(() => bridge.invoke['session:get']({ profileId }));
    if (!got.ok || !got.value.session || get().connect.profile?.id !== profileId) return;
    for (const key of SECTION_KEYS) get()[key].restoreChanges(got.value.session.changes, got.value.session.latest);
  }

  return {
    restore: IDLE,
    problem: null,
    pendingLevel: null,

    async restoreLast() {
      if (restoringLast || get().connect.profile) return;
      restoringLast = true;
      const settings = await call(() => bridge.invoke['settings:get']({}));
      const profileId = settings.ok ? settings.value.settings.lastProfileId : null;
      if (!profileId) return;
      const saved = await call(() => bridge.invoke['wizard:load']({ profileId }));
      const progress = saved.ok ? saved.value.progress : null;
      if (!progress || !isStepId(progress.step) || progress.step === 'connect' || get().connect.profile) return;
      set({ restore: running(null) });
      const connect = get().connect;
      const demo = connect.demo.status === 'done' && connect.demo.value.active ? connect.demo.value : null;
      if (demo?.profileId === profileId) await connect.useDemo();
      else await connect.openProfile(profileId);
      if (get().connect.profile?.id !== profileId || get().connect.org.status !== 'done') {
        set({ restore: IDLE });
        return;
      }
      get().nav.resume(progress);
    },

    async hydrate(progress) {
      const profile = get().connect.profile;
      if (!profile) return;
      set({ restore: running(null), problem: null });
      const got = await call(() => bridge.invoke['session:get']({ profileId: profile.id }));
      if (get().connect.profile?.id !== profile.id) return;
      const session = got.ok ? got.value.session : null;
      set({ problem: got.ok ? got.value.problem : got.error.message });
      const beyondLevel = isStepId(progress.step) && stepIndex(progress.step) > stepIndex('level');
      // An audit main is still running (the page was reloaded during it): follow it, never start another.
      const live = got.ok ? (got.value.running ?? null) : null;
      if (session) applySession(session, got.ok ? (got.value.plans ?? []) : []);
      if (live) {
        if (!session) get().level.restore(live.level);
        void get().checks.follow(live).then(() => refreshChanges(profile.id));
      } else if (session) {
        if (!session.latest && beyondLevel) void get().checks.start();
      } else {
        // No saved session (or an unreadable one): the level the profile keeps, and the run main may hold.
        get().level.restore(profile.level);
        if (beyondLevel) void get().checks.restore(progress.auditRunId);
      }
      set({ restore: got.ok ? done(session) : failed(got.error) });
    },

    chooseLevel(level) {
      const state = get();
      if (level === state.level.level) return;
      if (state.checks.baseline && state.checks.run.status !== 'running') {
        set({ pendingLevel: level });
        return;
      }
      void state.level.choose(level);
    },

    async answerLevel(answer) {
      const level = self().pendingLevel;
      set({ pendingLevel: null });
      if (!level || answer === 'keep') return;
      await get().level.choose(level);
      if (answer === 'new-session') {
        for (const key of SECTION_KEYS) get()[key].restoreChanges([]);
      }
      await get().checks.start({ newSession: answer === 'new-session' });
    },
  };
};
