import type { FindingStatus } from '../../shared/finding';
import type { ChangesPage, FindingsPage } from './dto';
import type { SliceCreator } from './slice';
import { SECTION_STEPS } from './steps';
import type { Status } from './status';
import { call, done, failed, running, settle } from './status';

/** What a page of rows asks for (`audit:findings`): the groups of a section, a control or one check. */
export interface FindingsQuery {
  readonly runId: string;
  readonly section?: string;
  readonly control?: string;
  readonly check?: string;
  readonly statuses?: readonly FindingStatus[];
  readonly offset: number;
  readonly limit: number;
}

/** Rows a step shows per check at a time. */
export const ROWS_PER_PAGE = 10;
/** The statuses a step opens with: what needs attention (passing rows load when asked for). */
export const ATTENTION: readonly FindingStatus[] = ['fail', 'error', 'manual'];

export function findingsKey(q: FindingsQuery): string {
  return JSON.stringify([q.runId, q.section ?? '', q.control ?? '', q.check ?? '', q.statuses ?? [], q.offset, q.limit]);
}

export function changesKey(runId: string, offset: number, limit: number, section?: string): string {
  return JSON.stringify([runId, offset, limit, section ?? '']);
}

/**
 * The rows the window holds: the pages the open steps asked for, never the whole report (issue
 * 12). Pages are kept by query, for the latest run and its baseline only, so going back to a step
 * shows it at once without holding every run's rows.
 */
export interface FindingsSlice {
  readonly pages: Readonly<Record<string, Status<FindingsPage>>>;
  readonly changes: Readonly<Record<string, Status<ChangesPage>>>;
  /** Loads a page unless it is loaded or loading (a failed one is asked again). */
  load(query: FindingsQuery): Promise<void>;
  loadChanges(runId: string, offset: number, limit: number, section?: string): Promise<void>;
  /**
   * Asks again for every page the window holds, keeping each on screen until its answer comes:
   * after the registers change, the rows' accepted risks and attestations and the counts follow.
   */
  refresh(): Promise<void>;
  /**
   * Asks for the first page of every section step of a new run at once (a few KB each), before
   * the steps ask main for their fix plans: main answers in order, and planning a large
   * organization takes it seconds, so a step opened meanwhile still shows its results at once.
   */
  prefetchSteps(runId: string): void;
}

/** The page a section step opens with: the first rows of each of its checks that need attention. */
export function stepQuery(runId: string, section: string): FindingsQuery {
  return { runId, section, statuses: ATTENTION, offset: 0, limit: ROWS_PER_PAGE };
}

export const createFindingsSlice: SliceCreator<'findings'> = ({ set, get, bridge }) => {
  const self = () => get().findings;

  /** Drops pages of runs that are neither the latest nor its baseline. */
  function prune<T>(entries: Readonly<Record<string, T>>): Record<string, T> {
    const keep = new Set([get().checks.latest?.runId, get().checks.baseline?.runId].filter((id): id is string => id !== undefined));
    return Object.fromEntries(Object.entries(entries).filter(([k]) => keep.has((JSON.parse(k) as string[])[0] ?? '')));
  }

  // The query behind each page key, so refresh can ask again.
  const queries = new Map<string, FindingsQuery>();

  async function fetchPage(query: FindingsQuery) {
    return call(() =>
        bridge.invoke['audit:findings']({
          runId: query.runId,
          ...(query.section !== undefined ? { section: query.section } : {}),
          ...(query.control !== undefined ? { control: query.control } : {}),
          ...(query.check !== undefined ? { check: query.check } : {}),
          ...(query.statuses ? { statuses: [...query.statuses] } : {}),
          offset: query.offset,
          limit: query.limit,
        }),
      );
  }

  return {
    pages: {},
    changes: {},

    async load(query) {
      const key = findingsKey(query);
      const current = self().pages[key];
      if (current && current.status !== 'failed') return;
      queries.set(key, query);
      set({ pages: { ...prune(self().pages), [key]: running(null) } });
      const result = await fetchPage(query);
      set({ pages: { ...self().pages, [key]: settle(result) } });
    },

    async refresh() {
      const held = Object.keys(prune(self().pages));
      await Promise.all(
        held.map(async (key) => {
          const query = queries.get(key);
          if (!query) return;
          const result = await fetchPage(query);
          // A failed refresh keeps the rows shown: they are what the last answer said.
          if (result.ok) set({ pages: { ...self().pages, [key]: done(result.value) } });
        }),
      );
    },

    prefetchSteps(runId) {
      for (const step of SECTION_STEPS) void self().load(stepQuery(runId, step.section));
    },

    async loadChanges(runId, offset, limit, section) {
      const key = changesKey(runId, offset, limit, section);
      const current = self().changes[key];
      if (current && current.status !== 'failed') return;
      set({ changes: { ...prune(self().changes), [key]: running(null) } });
      const result = await call(() => bridge.invoke['audit:changes']({ runId, offset, limit, ...(section !== undefined ? { section } : {}) }));
      set({ changes: { ...self().changes, [key]: result.ok ? done(result.value) : failed(result.error) } });
    },
  };
};

/**
 * Every page of one control's rows, for a list that needs them all (the integration inventory
 * is one row per integration): the queries, from the run's counts, `limit` rows a page.
 */
export function allPagesOf(run: { readonly runId: string; readonly checks: readonly { control: string; counts: Record<FindingStatus, number> }[] } | null, control: string, limit = 100): FindingsQuery[] {
  if (!run) return [];
  const largest = Math.max(0, ...run.checks.filter((c) => c.control === control).map((c) => Object.values(c.counts).reduce((a, b) => a + b, 0)));
  return Array.from({ length: Math.ceil(largest / limit) }, (_, i) => ({ runId: run.runId, control, offset: i * limit, limit }));
}
