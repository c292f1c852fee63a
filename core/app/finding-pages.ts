import type { Finding, FindingStatus, StatusCounts } from '../../shared/finding';
import { countByStatus } from '../../shared/finding';
import type { HandlerResponseOf, ParsedRequestOf } from '../../shared/ipc/contract';
import { ROW_DETAILS_LIMIT } from '../../shared/ipc/contract';
import { sectionOfControl } from '../../shared/sections';
import type { EngineGateway } from './handlers';
import type { RunRegistry } from './run-registry';

/**
 * A run's findings as the wizard pages through them (issue 12): summaries per check for the run's
 * answer, one page of rows per check for `audit:findings`, and the verdicts that changed for
 * `audit:changes`. Pure: the engine hands in the findings it keeps for the run.
 */

export type CheckSummaryDto = HandlerResponseOf<'audit:run'>['checks'][number];
export type FindingRowDto = HandlerResponseOf<'audit:findings'>['groups'][number]['rows'][number];
export type FindingsQuery = Omit<ParsedRequestOf<'audit:findings'>, 'runId'>;

/** The order a step lists rows in: what needs attention first. */
const ORDER: Record<FindingStatus, number> = { fail: 0, error: 1, manual: 2, pass: 3, not_applicable: 4 };

/** (control, check) pairs in the report's order, with their findings. */
function byCheck(findings: readonly Finding[]): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = `${f.control}\u0000${f.check}`;
    const list = groups.get(key);
    if (list) list.push(f);
    else groups.set(key, [f]);
  }
  return groups;
}

export function checkSummaries(findings: readonly Finding[]): CheckSummaryDto[] {
  return [...byCheck(findings).values()].map((list) => ({ control: list[0]!.control, check: list[0]!.check, counts: countByStatus(list) }));
}

/** A finding as a row: long `details` stay in the report. */
export function toRow(f: Finding): FindingRowDto {
  const { details, ...rest } = f;
  if (details === undefined) return { ...rest, detailsOmitted: false };
  const small = JSON.stringify(details).length <= ROW_DETAILS_LIMIT;
  return small ? { ...rest, details, detailsOmitted: false } : { ...rest, detailsOmitted: true };
}

function sorted(list: readonly Finding[]): Finding[] {
  // Array.prototype.sort is stable: the report's order within a status.
  return [...list].sort((a, b) => ORDER[a.status] - ORDER[b.status]);
}

export function findingGroups(findings: readonly Finding[], query: FindingsQuery): HandlerResponseOf<'audit:findings'>['groups'] {
  const wanted = query.statuses ? new Set(query.statuses) : null;
  const out: HandlerResponseOf<'audit:findings'>['groups'] = [];
  for (const list of byCheck(findings).values()) {
    const { control, check } = list[0]!;
    if (query.section !== undefined && sectionOfControl(control) !== query.section) continue;
    if (query.control !== undefined && control !== query.control) continue;
    if (query.check !== undefined && check !== query.check) continue;
    const matching = wanted ? list.filter((f) => wanted.has(f.status)) : list;
    if (matching.length === 0) continue;
    const counts: StatusCounts = countByStatus(list);
    const rows = sorted(matching).slice(query.offset, query.offset + query.limit).map(toRow);
    out.push({ control, check, counts, total: matching.length, offset: query.offset, rows });
  }
  return out;
}

/** A finding's identity across runs: the same check on the same resource. */
function keyOf(f: Pick<Finding, 'check' | 'resource'>): string {
  return `${f.check}|${f.resource.type}|${f.resource.id}`;
}

export interface FindingChange {
  readonly finding: Finding;
  readonly before: FindingStatus | null;
  readonly after: FindingStatus | null;
}

/** Verdicts that differ between two runs, those that came, and those that went (last). */
export function findingChanges(before: readonly Finding[], after: readonly Finding[]): FindingChange[] {
  const was = new Map(before.map((f) => [keyOf(f), f] as const));
  const now = new Set(after.map(keyOf));
  const changed: FindingChange[] = [];
  for (const f of after) {
    const prior = was.get(keyOf(f))?.status ?? null;
    if (prior !== f.status) changed.push({ finding: f, before: prior, after: f.status });
  }
  for (const f of before) if (!now.has(keyOf(f))) changed.push({ finding: f, before: f.status, after: null });
  return changed;
}

/** `audit:findings` and `audit:changes` over the runs the engine keeps (core/app/engine.ts). */
export function createFindingReader(registry: Pick<RunRegistry, 'runs' | 'requireRun'>): Pick<EngineGateway, 'findings' | 'changes'> {
  return {
    async findings({ runId, ...query }) {
      return { runId, groups: findingGroups(registry.requireRun(runId).audit.report.findings, query) };
    },
    async changes({ runId, offset, limit }) {
      const run = registry.requireRun(runId);
      const baseline = run.dto.baselineRunId !== runId ? registry.runs.get(run.dto.baselineRunId) : undefined;
      const all = baseline ? findingChanges(baseline.audit.report.findings, run.audit.report.findings) : [];
      return {
        runId,
        baselineRunId: baseline ? baseline.dto.runId : runId,
        total: all.length,
        offset,
        rows: all.slice(offset, offset + limit).map((c) => ({ finding: toRow(c.finding), before: c.before, after: c.after })),
      };
    },
  };
}
