import type { Finding, FindingStatus, StatusCounts } from '../../shared/finding';
import { countByStatus } from '../../shared/finding';
import type { HandlerResponseOf, ParsedRequestOf } from '../../shared/ipc/contract';
import { ROW_DETAILS_LIMIT } from '../../shared/ipc/contract';
import { sectionOfControl } from '../../shared/sections';
import { changeKey, compareFindings } from '../../shared/finding-change';
import { countRegisterNotes, type RegisterEntries } from '../../shared/register-notes';
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

/** What a page adds to each row and group: the first check's statuses, and the registers. */
export interface GroupContext {
  /** Status at the session's first check by changeKey; absent: no earlier run to compare with. */
  readonly before?: ReadonlyMap<string, FindingStatus>;
  readonly registers?: { readonly entries: RegisterEntries; readonly at: Date };
}

export function findingGroups(findings: readonly Finding[], query: FindingsQuery, context: GroupContext = {}): HandlerResponseOf<'audit:findings'>['groups'] {
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
    const rows = sorted(matching)
      .slice(query.offset, query.offset + query.limit)
      .map((f) => {
        const row = toRow(f);
        if (!context.before) return row;
        const was = context.before.get(changeKey(f)) ?? null;
        return was === f.status ? row : { ...row, before: was };
      });
    const noted = context.registers ? countRegisterNotes(list, context.registers.entries, context.registers.at) : undefined;
    out.push({ control, check, counts, total: matching.length, offset: query.offset, rows, ...(noted ? { noted } : {}) });
  }
  return out;
}

/** What changed between a session's first run and a later one, a page of it (one section or all). */
export function changeRows(
  first: readonly Finding[] | null,
  latest: readonly Finding[],
  query: { readonly section?: string; readonly offset: number; readonly limit: number },
): { total: number; rows: HandlerResponseOf<'audit:changes'>['rows'] } {
  const all = first ? compareFindings(first, latest) : [];
  const wanted = query.section === undefined ? all : all.filter((c) => sectionOfControl(c.finding.control) === query.section);
  return {
    total: wanted.length,
    rows: wanted.slice(query.offset, query.offset + query.limit).map((c) => ({
      finding: toRow(c.finding),
      before: c.before,
      after: c.after,
      basis: c.basis,
      coveredBy: c.coveredBy ? c.coveredBy.message : null,
    })),
  };
}

/** The statuses of a session's first run, by finding identity, for rows' "Fail → Pass". */
export function statusesOf(findings: readonly Finding[]): Map<string, FindingStatus> {
  return new Map(findings.map((f) => [changeKey(f), f.status] as const));
}

/** `audit:findings` and `audit:changes` over the runs the engine keeps (core/app/engine.ts). */
export function createFindingReader(
  registry: Pick<RunRegistry, 'runs' | 'requireRun'>,
  registersOf: (profileId: string) => RegisterEntries,
): Pick<EngineGateway, 'findings' | 'changes'> {
  // A step asks for several pages of the same run: the first run's statuses are indexed once.
  const statusIndex = new WeakMap<readonly Finding[], Map<string, FindingStatus>>();
  function statusesOfRun(findings: readonly Finding[]): Map<string, FindingStatus> {
    let index = statusIndex.get(findings);
    if (!index) {
      index = statusesOf(findings);
      statusIndex.set(findings, index);
    }
    return index;
  }
  function baselineOf(runId: string) {
    const run = registry.requireRun(runId);
    const baseline = run.dto.baselineRunId !== runId ? registry.runs.get(run.dto.baselineRunId) : undefined;
    return { run, baseline };
  }
  return {
    async findings({ runId, ...query }) {
      const { run, baseline } = baselineOf(runId);
      const before = baseline ? statusesOfRun(baseline.audit.report.findings) : undefined;
      // Exceptions are judged at the run's finish, as the evidence package judges them.
      const registers = { entries: registersOf(run.dto.profileId), at: new Date(run.dto.finishedAt) };
      return { runId, groups: findingGroups(run.audit.report.findings, query, { ...(before ? { before } : {}), registers }) };
    },
    async changes({ runId, section, offset, limit }) {
      const { baseline, run } = baselineOf(runId);
      const page = changeRows(baseline ? baseline.audit.report.findings : null, run.audit.report.findings, { ...(section !== undefined ? { section } : {}), offset, limit });
      return { runId, baselineRunId: baseline ? baseline.dto.runId : runId, offset, ...page };
    },
  };
}
