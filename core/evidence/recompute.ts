import { createHash } from 'node:crypto';
import type { EvidenceGroup, Finding, StatusCounts } from '../../shared/finding';
import { countByStatus, findingReadDigests } from '../../shared/finding';
import type { Level } from '../../shared/levels';
import type { TokenSummary } from '../../shared/report';
import { CONTROLS } from '../controls/index';
import type { AuditSettings, ControlDefinition, IntegrationRegisterEntry, TokenInfo } from '../controls/types';
import { runAudit } from '../engine/audit';
import { classifyToken, toTokenInfo } from '../engine/token-kind';
import { connect } from '../sentry/connect';
import type { ResponseRecord } from '../sentry/transport';
import { createReplayTransport } from '../sentry/transport';
import { findingKey } from './registers';

/**
 * Recomputes an audit offline from its recorded responses: the same connect sequence and the same
 * control code, answered by a replay transport instead of Sentry. Waits (rate-limit pauses,
 * back-off) run on a virtual clock, so a replay of an audit that waited minutes takes
 * milliseconds; retry limits are the client's defaults, as the CLI and the app audit with.
 */
export interface RecomputeInput {
  /** The base URL the audit was given (report `target.url`). */
  readonly baseUrl: string;
  readonly orgSlug: string;
  readonly level: Level;
  readonly settings: AuditSettings;
  readonly integrationRegister: readonly IntegrationRegisterEntry[];
  /** What the report says of the token: its kind decides how the replayed token is classified. */
  readonly token: TokenSummary;
  /** The audit's clock: controls judge ages (key rotation, stale tokens) as of this instant. */
  readonly startedAt: string;
  readonly responses: readonly ResponseRecord[];
  readonly controls?: readonly ControlDefinition[];
}

export interface RecomputedAudit {
  readonly findings: readonly Finding[];
  readonly evidenceGroups: readonly EvidenceGroup[];
  readonly readDigests: ReadonlySet<string>;
  readonly token: TokenInfo;
  readonly counts: StatusCounts;
}

// The prefix the original token must have had for classifyToken to give this kind.
function prefixFor(kind: TokenSummary['kind']): 'sntryu_' | 'sntrys_' | null {
  if (kind === 'user') return 'sntryu_';
  if (kind === 'org_auth_token') return 'sntrys_';
  return null;
}

/** Throws SentryApiError when the recorded responses cannot even connect (e.g. GET /api/0/ missing). */
export async function recomputeAudit(input: RecomputeInput): Promise<RecomputedAudit> {
  let virtualNow = Date.parse(input.startedAt);
  const connection = await connect({
    baseUrl: input.baseUrl,
    orgSlug: input.orgSlug,
    // No token exists offline; the replay transport never asks for one.
    getToken: () => '',
    transport: createReplayTransport(input.responses),
    scheduler: {
      now: () => virtualNow,
      sleep: (ms: number) => {
        virtualNow += Math.max(0, ms);
        return Promise.resolve();
      },
    },
  });
  try {
    const org = connection.organization.value;
    const token = toTokenInfo(classifyToken(prefixFor(input.token.kind), connection.tokenInfo.value, org), connection.tokenInfo.value);
    const clock = new Date(input.startedAt);
    const run = await runAudit({
      data: connection.data,
      controls: input.controls ?? CONTROLS,
      level: input.level,
      settings: input.settings,
      token,
      integrationRegister: input.integrationRegister,
      now: () => clock,
    });
    return { findings: run.findings, evidenceGroups: run.evidenceGroups, readDigests: new Set(run.reads.map((r) => r.sha256)), token, counts: countByStatus(run.findings) };
  } finally {
    connection.client.close();
  }
}

function describe(f: Pick<Finding, 'check' | 'resource'>): string {
  return `${f.check} on ${f.resource.type} "${f.resource.name}" (${f.resource.id})`;
}

/**
 * Compares reported findings with recomputed ones by identity (`check|type|id`) and status, and
 * the reads each cites. Returns one sentence per difference; empty when they agree. Several
 * findings may share an identity (a control reporting one resource twice): they are compared as
 * multisets of statuses.
 */
export function compareFindings(
  reported: readonly Finding[],
  recomputed: readonly Finding[],
  groups: { reported?: readonly EvidenceGroup[]; recomputed?: readonly EvidenceGroup[] } = {},
): string[] {
  // Reads are compared as the digests a finding rests on, its groups resolved: how a package
  // groups shared reads is layout, not evidence.
  const reportedGroups = new Map((groups.reported ?? []).map((g) => [g.id, g]));
  const recomputedGroups = new Map((groups.recomputed ?? []).map((g) => [g.id, g]));
  // Thousands of findings cite the same reads and groups: resolve each combination once, to a
  // digest of its sorted reads (at 10,000 projects the spelled-out lists took gigabytes).
  const readsKey = (f: Finding, groupsById: ReadonlyMap<string, EvidenceGroup>, memo: Map<string, string>): string => {
    const layout = `${f.evidence.map((e) => e.sha256).join(',')}|${(f.evidenceGroups ?? []).map((g) => g.id).join(',')}`;
    let key = memo.get(layout);
    if (key === undefined) {
      key = createHash('sha256').update([...new Set(findingReadDigests(f, groupsById))].sort().join(',')).digest('hex');
      memo.set(layout, key);
    }
    return key;
  };
  const byFinding = new Map<Finding, string>();
  const reportedMemo = new Map<string, string>();
  const recomputedMemo = new Map<string, string>();
  for (const f of reported) byFinding.set(f, readsKey(f, reportedGroups, reportedMemo));
  for (const f of recomputed) byFinding.set(f, readsKey(f, recomputedGroups, recomputedMemo));
  const group = (list: readonly Finding[]): Map<string, Finding[]> => {
    const m = new Map<string, Finding[]>();
    for (const f of list) {
      const k = `${f.control}|${findingKey(f)}`;
      const g = m.get(k) ?? [];
      g.push(f);
      m.set(k, g);
    }
    return m;
  };
  const a = group(reported);
  const b = group(recomputed);
  const problems: string[] = [];
  const statuses = (g: readonly Finding[] | undefined): string => (g ?? []).map((f) => f.status).sort().join(', ');
  const evidence = (g: readonly Finding[]): string =>
    g
      .map((f) => byFinding.get(f) ?? '')
      .sort()
      .join(';');
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const ga = a.get(key);
    const gb = b.get(key);
    const sample = (ga ?? gb)?.[0];
    if (!sample) continue;
    if (!ga) {
      problems.push(`the report leaves out ${describe(sample)}, which the recorded responses give as ${statuses(gb)}`);
    } else if (!gb) {
      problems.push(`the report lists ${describe(sample)} as ${statuses(ga)}, but the recorded responses give no such finding`);
    } else if (statuses(ga) !== statuses(gb)) {
      problems.push(`${describe(sample)} is reported as ${statuses(ga)}, but recomputed from the recorded responses it is ${statuses(gb)}`);
    } else if (evidence(ga) !== evidence(gb)) {
      problems.push(`${describe(sample)} cites other reads than the ones its verdict rests on`);
    }
  }
  return problems;
}

/** Differences between stated counts and counted ones, as `fail 3 (counted 4)`; empty when equal. */
export function compareCounts(stated: Partial<Record<string, number>>, counted: StatusCounts): string[] {
  const out: string[] = [];
  for (const [status, n] of Object.entries(counted)) {
    if ((stated[status] ?? 0) !== n) out.push(`${status} ${stated[status] ?? 0} (counted ${n})`);
  }
  for (const status of Object.keys(stated)) if (!(status in counted)) out.push(`unknown status "${status}"`);
  return out;
}
