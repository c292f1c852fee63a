import type { SessionDto } from '../../shared/ipc/contract';
import type { Level } from '../../shared/levels';
import type { ApplyRecord, RunRecord, RunRegistry } from './run-registry';
import type { SessionFile, StoredChange } from './session-schema';
import type { SessionStore } from './session-store';

/**
 * What the engine (core/app/engine.ts) keeps of a wizard session on disk, through the session
 * store: each audit, each apply and undo, the level changes and the step. A run, plan or apply the
 * memory lost (a restart of the app or of `sentry-harden ui`) is found here again on demand.
 */

export interface SessionKeeper {
  /** After an audit: the run on disk, and the session record it belongs to (a new one for a new baseline). */
  recordAudit(run: RunRecord, forbidden: readonly string[]): void;
  /** After an apply or undo; an undo marks the steps of the apply it reversed. */
  recordChange(change: StoredChange, undoneOfApply: readonly string[] | null, forbidden: readonly string[]): void;
  saveProgress(profileId: string, progress: { readonly step: string; readonly completed: readonly string[] }): void;
  /** A run in memory, else on disk (then kept in memory again). */
  findRun(runId: string, profileId?: string): RunRecord | null;
  /** An applied run in memory, else from the session's change log. */
  findApply(applyId: string, profileId: string): ApplyRecord | null;
  /**
   * The package's "before" of `run`: the session's first audit when it ran at the same level, else
   * the session's first audit at `run`'s level (the package compares audits of one level), else none.
   */
  beforeOf(run: RunRecord): RunRecord | null;
  /** The journals of the session whose baseline this is, oldest first (memory and disk). */
  journalsOf(profileId: string, baselineRunId: string): string[];
  session(profileId: string): { session: SessionDto | null; problem: string | null };
  forget(profileId: string): void;
}

export function createSessionKeeper(store: SessionStore | null, registry: RunRegistry, now: () => Date = () => new Date()): SessionKeeper {
  const stamp = (): string => now().toISOString();

  function read(profileId: string): SessionFile | null {
    return store ? store.read(profileId).session : null;
  }

  function fresh(run: RunRecord, previous: SessionFile | null): SessionFile {
    const at = stamp();
    return {
      kind: 'sentry-harden-session',
      version: 1,
      profileId: run.dto.profileId,
      level: run.dto.level,
      controls: run.controls ? [...run.controls] : null,
      baselineRunId: run.dto.baselineRunId,
      latestRunId: run.dto.runId,
      runs: run.dto.baselineRunId === run.dto.runId ? [run.dto.runId] : [run.dto.baselineRunId, run.dto.runId],
      changes: [],
      levelChanges: [],
      // Where the person stands is not the audit's to reset.
      step: previous?.step ?? null,
      completed: previous?.completed ?? [],
      startedAt: at,
      updatedAt: at,
    };
  }

  /**
   * The runs a restart needs: the baseline, the first of each level (a package's "before" at that
   * level: beforeOf) and the latest; levels are read from the memory, which holds every run since the
   * last restart, else kept as they are.
   */
  function keptRuns(previous: SessionFile, run: RunRecord): string[] {
    const ids = [...previous.runs.filter((id) => id !== run.dto.runId), run.dto.runId];
    const seen = new Set<string>();
    return ids.filter((id, i) => {
      const level = registry.runs.get(id)?.dto.level;
      if (id === previous.baselineRunId) {
        if (level !== undefined) seen.add(level);
        return true;
      }
      if (i === ids.length - 1) return true;
      if (level === undefined) return true;
      if (seen.has(level)) return false;
      seen.add(level);
      return true;
    });
  }

  function findRun(runId: string, profileId?: string): RunRecord | null {
    const inMemory = registry.runs.get(runId);
    if (inMemory) return profileId === undefined || inMemory.dto.profileId === profileId ? inMemory : null;
    const loaded = store?.loadRun(runId, profileId) ?? null;
    if (loaded) {
      registry.runs.set(runId, loaded);
      registry.evict();
    }
    return loaded;
  }

  return {
    recordAudit(run, forbidden) {
      if (!store) return;
      const profileId = run.dto.profileId;
      store.saveRun(profileId, run, forbidden);
      const previous = read(profileId);
      let next: SessionFile;
      if (!previous || previous.baselineRunId !== run.dto.baselineRunId) {
        next = fresh(run, previous);
        store.pruneRuns(profileId, new Set(next.runs));
      } else {
        const levelChanges =
          previous.level !== run.dto.level ? [...previous.levelChanges, { from: previous.level, to: run.dto.level as Level, at: stamp() }] : previous.levelChanges;
        next = {
          ...previous,
          level: run.dto.level,
          controls: run.controls ? [...run.controls] : null,
          latestRunId: run.dto.runId,
          runs: keptRuns(previous, run),
          levelChanges,
          updatedAt: stamp(),
        };
      }
      store.write(next, forbidden);
      // Re-checks in between are not needed again: only the before audits and the latest stay on disk.
      store.pruneRuns(profileId, new Set(next.runs));
    },

    recordChange(change, undoneOfApply, forbidden) {
      if (!store) return;
      const previous = read(change.profileId);
      if (!previous || previous.baselineRunId !== change.baselineRunId) return;
      const changes = previous.changes.map((c) =>
        c.kind === 'apply' && undoneOfApply && c.id === change.undoes ? { ...c, undone: [...new Set([...c.undone, ...undoneOfApply])] } : c,
      );
      store.write({ ...previous, changes: [...changes, change], updatedAt: stamp() }, forbidden);
    },

    saveProgress(profileId, progress) {
      if (!store) return;
      const previous = read(profileId);
      if (!previous) return;
      store.write({ ...previous, step: progress.step, completed: [...progress.completed], updatedAt: stamp() }, []);
    },

    findRun,

    findApply(applyId, profileId) {
      const inMemory = registry.applies.get(applyId);
      if (inMemory) return inMemory.profileId === profileId ? inMemory : null;
      const change = read(profileId)?.changes.find((c) => c.id === applyId);
      if (!change) return null;
      const rec: ApplyRecord = {
        applyId: change.id,
        profileId,
        kind: change.kind,
        baselineRunId: change.baselineRunId,
        level: change.level,
        controls: change.controls,
        journalFile: change.journalFile,
        undone: new Set(change.undone),
      };
      registry.applies.set(applyId, rec);
      return rec;
    },

    beforeOf(run) {
      const { profileId, baselineRunId, runId, level } = run.dto;
      if (baselineRunId === runId) return null;
      const baseline = findRun(baselineRunId, profileId);
      if (baseline && baseline.dto.level === level) return baseline;
      const saved = read(profileId);
      const ids =
        saved && saved.baselineRunId === baselineRunId
          ? saved.runs
          : [...registry.runs.values()].filter((r) => r.dto.profileId === profileId && r.dto.baselineRunId === baselineRunId).map((r) => r.dto.runId);
      for (const id of ids) {
        if (id === runId) break;
        const r = findRun(id, profileId);
        if (r && r.dto.level === level) return r;
      }
      return null;
    },

    journalsOf(profileId, baselineRunId) {
      const saved = read(profileId);
      const onDisk = saved && saved.baselineRunId === baselineRunId ? saved.changes.map((c) => c.journalFile) : [];
      const inMemory = [...registry.applies.values()].filter((a) => a.profileId === profileId && a.baselineRunId === baselineRunId).map((a) => a.journalFile);
      return [...new Set([...onDisk, ...inMemory])];
    },

    session(profileId) {
      if (!store) return { session: null, problem: null };
      const got = store.read(profileId);
      const s = got.session;
      if (!s) return { session: null, problem: got.problem };
      let problem: string | null = null;
      const dtoOf = (id: string | null) => {
        if (id === null) return null;
        try {
          return findRun(id, profileId)?.dto ?? null;
        } catch (e) {
          problem = (e as Error).message;
          return null;
        }
      };
      const baseline = dtoOf(s.baselineRunId);
      const latest = dtoOf(s.latestRunId);
      if ((s.baselineRunId !== null && baseline === null) || (s.latestRunId !== null && latest === null)) {
        problem ??= 'An audit of the saved session is missing from the data folder: run the checks again.';
      }
      return {
        session: {
          profileId,
          level: s.level,
          controls: s.controls,
          baseline,
          latest: latest ?? baseline,
          changes: s.changes.map(({ kind, id, undoes, planId, at, level, steps, results, undone, fatal, recheck, recheckError }) => ({
            kind,
            id,
            undoes,
            planId,
            at,
            level,
            steps,
            results,
            undone,
            ...(fatal !== undefined ? { fatal } : {}),
            ...(recheck !== undefined ? { recheck } : {}),
            ...(recheckError !== undefined ? { recheckError } : {}),
          })),
          levelChanges: s.levelChanges,
          step: s.step,
          completed: s.completed,
          startedAt: s.startedAt,
          updatedAt: s.updatedAt,
        },
        problem,
      };
    },

    forget(profileId) {
      store?.forget(profileId);
    },
  };
}
