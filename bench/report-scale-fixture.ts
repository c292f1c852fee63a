// Builds a large evidence report for the report-scale benchmark: a real audit of a small generated
// organization (through the simulator over HTTP), scaled up k times. Per-resource reads and
// findings (projects, keys, members, teams) are copied k times under new names and hashes;
// organization-wide list reads grow k times in pages and items; organization-level findings stay
// one. Findings that cite many reads together (every team roster) cite one evidence group instead
// (report.json `evidenceGroups`, as the engine writes them).
import { createHash } from 'node:crypto';
import type { EvidenceReport, PackageRead } from '../shared/evidence';
import type { EvidenceGroup, EvidenceRef, Finding } from '../shared/finding';
import { countByStatus } from '../shared/finding';
import { auditOrganization } from '../core/engine/audit-session';
import { buildEvidenceReport } from '../core/evidence/writer';
import { generateOrg, startSimulator } from '../simulator/index';

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

export async function auditSmallOrg(projects: number): Promise<EvidenceReport> {
  const g = generateOrg({ projects, keysPerProject: 2, members: projects * 5, teams: Math.max(5, Math.round(projects / 5)), integrations: 30, seed: 42 });
  const sim = await startSimulator({ state: g.state, latencyMs: 0 });
  try {
    const out = await auditOrganization({ baseUrl: sim.url, orgSlug: g.org.slug, getToken: () => g.tokens.admin, tokenPrefix: 'sntryu_', level: 'L3', timeoutMs: 30_000 });
    return buildEvidenceReport({ final: { report: out.report, responses: out.responses } });
  } finally {
    await sim.close();
  }
}

/** An org-wide list (`/organizations/{org}/members/`) grows; a resource's own read is copied. */
function isOrgWide(read: { endpoint: string }, org: string): boolean {
  return new RegExp(`^/api/0/organizations/${org}/[a-z-]+/$`).test(read.endpoint) || read.endpoint === `/api/0/organizations/${org}/`;
}

function rename(text: string, name: string, i: number): string {
  if (i === 0) return text;
  const copy = name.includes('@') ? name.replace('@', `+${i}@`) : `${name}-${i}`;
  return text.split(name).join(copy);
}

export function scaleReport(base: EvidenceReport, k: number): EvidenceReport {
  const org = base.target.org.slug;
  const copies = new Map<string, PackageRead[]>();
  const reads: PackageRead[] = [];
  for (const r of base.reads) {
    if (isOrgWide(r, org)) {
      const pages = Array.from({ length: r.pages * k }, (_, p) => ({ ...r.responses[0]!, url: `${r.responses[0]!.url}&page=${p}`, sha256: sha(`${r.sha256}|page|${p}`) }));
      const scaled = { ...r, pages: pages.length, items: r.items * k, responses: pages, sha256: sha(`${r.sha256}|scaled`) };
      copies.set(r.sha256, [scaled]);
      reads.push(scaled);
    } else {
      const list = Array.from({ length: k }, (_, i) => {
        const s = i === 0 ? r.sha256 : sha(`${r.sha256}|${i}`);
        return { ...r, endpoint: r.endpoint.replace(/\/([^/]+)\/$/, (_m, slug: string) => `/${i === 0 ? slug : `${slug}-${i}`}/`), sha256: s, responses: r.responses.map((p) => ({ ...p, sha256: i === 0 ? p.sha256 : sha(`${p.sha256}|${i}`) })) };
      });
      copies.set(r.sha256, list);
      reads.push(...list);
    }
  }
  const refOf = (read: PackageRead): EvidenceRef => {
    const { responses: _pages, ...ref } = read;
    return ref;
  };
  const groups = new Map<string, EvidenceGroup>();
  const findings: Finding[] = [];
  for (const f of base.findings) {
    const perResource = f.resource.type !== 'organization';
    // Many reads: one evidence group for every copy, its reads grown k times.
    const key = f.evidence.map((e) => e.sha256).join(',');
    if (f.evidence.length >= 4 && !groups.has(key)) {
      const reads = f.evidence.flatMap((e) => (copies.get(e.sha256) ?? []).map((r) => r.sha256));
      groups.set(key, { id: sha(['evidence-group', ...reads].join('\n')), label: 'reads cited together', reads, complete: f.evidence.every((e) => e.complete) });
    }
    const group = groups.get(key);
    for (let i = 0; i < (perResource ? k : 1); i++) {
      const evidence =
        group !== undefined
          ? []
          : f.evidence.map((e) => {
              const list = copies.get(e.sha256);
              return list ? refOf(list.length === 1 ? list[0]! : list[i % list.length]!) : e;
            });
      findings.push({
        ...f,
        resource: { ...f.resource, id: rename(f.resource.id, f.resource.id, i), name: rename(f.resource.name, f.resource.name, i) },
        message: rename(f.message, f.resource.name, i),
        evidence,
        ...(group ? { evidenceGroups: [{ id: group.id, label: group.label, size: group.reads.length, complete: group.complete }] } : {}),
      });
    }
  }
  const responses = reads.flatMap((r) => r.responses.map((p) => ({ method: 'GET', url: p.url, status: p.status, fetchedAt: p.fetchedAt, sha256: p.sha256, headers: {} })));
  return { ...base, findings, reads, evidenceGroups: [...groups.values()], responses, summary: { ...base.summary, counts: countByStatus(findings), requests: responses.length } };
}

/** The same audit before and after: a session package holds both. */
export function withBefore(report: EvidenceReport): EvidenceReport {
  return {
    ...report,
    before: {
      startedAt: report.startedAt,
      finishedAt: report.finishedAt,
      controls: report.controls,
      findings: report.findings,
      reads: report.reads,
      ...(report.evidenceGroups ? { evidenceGroups: report.evidenceGroups } : {}),
      responses: report.responses,
      counts: report.summary.counts,
    },
  };
}
