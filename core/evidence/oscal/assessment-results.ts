import type { EvidenceReport } from '../../../shared/evidence';
import type { ControlSummary } from '../../../shared/report';
import type { Finding } from '../../../shared/finding';
import { nistControlId, oscalToken, stableUuid } from './ids';
import { buildParties } from './parties';
import type { PartyIndex } from './parties';
import { DeferredValue, materializeJson, StreamedArray } from '../json-stream';

/**
 * NIST OSCAL Assessment Results (version 1.0.4, the release whose JSON schema is vendored in
 * test/fixtures/oscal/) for an evidence package, so GRC tools can import what the audit found.
 *
 * Mapping, in short (docs/exports.md has the long form):
 * - each audit of the package (the final one, and the "before" one when the session changed
 *   something) is one `result`; its `reviewed-controls` are the NIST 800-53 controls the catalog maps;
 * - each finding is an `observation` whose `relevant-evidence` points at the back-matter resource
 *   of every raw response it rests on (with the SHA-256 that names the file in raw/);
 * - per catalog control and mapped NIST control, an OSCAL `finding` says satisfied only when every
 *   finding of the control passed (anything not evaluated is not-satisfied, reason `other`:
 *   never a pass the audit did not prove);
 * - each exception of the register is a `risk` (deviation-approved while it counts, open once
 *   expired) with its approver, owner and expiry; each attestation of a manual check an `attestation`.
 *
 * Pure and deterministic (UUIDs are name-based), so verify can rebuild the file and compare.
 */

export const OSCAL_VERSION = '1.0.4';
/** Namespace of our own props, so importers can tell them from NIST's. */
export const OSCAL_NS = 'urn:sentry-harden:oscal';

type Json = Record<string, unknown>;

/**
 * How the OSCAL file is laid out from layout 3: each result a key a line, so its observations are
 * written one a line as they are made (layouts 1 and 2: each result on one line).
 */
export function oscalLayoutDepth(layout: number): number {
  return layout >= 3 ? 4 : 2;
}

/** Where raw responses live relative to the OSCAL file inside a package (oscal/ beside raw/). */
export const PACKAGE_RAW_HREF_PREFIX = '../raw/';

function prop(name: string, value: string): Json {
  return { name: oscalToken(name), ns: OSCAL_NS, value };
}

function nonEmpty<T>(items: readonly T[]): T[] | undefined {
  return items.length > 0 ? [...items] : undefined;
}

/** Drops undefined values so optional arrays that must have one item are left out, not empty. */
function clean(o: Json): Json {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** The raw files (page hashes) behind each read a finding cites. */
function readPages(report: Pick<EvidenceReport, 'reads'>, extra: readonly { sha256: string; responses: readonly { sha256: string; url: string }[] }[] = []): Map<string, { sha256: string; url: string }[]> {
  const byRead = new Map<string, { sha256: string; url: string }[]>();
  for (const r of [...report.reads, ...extra]) byRead.set(r.sha256, r.responses.map((p) => ({ sha256: p.sha256, url: p.url })));
  return byRead;
}

interface AuditView {
  readonly key: 'after' | 'before';
  readonly title: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly controls: readonly ControlSummary[];
  readonly findings: readonly Finding[];
}

function findingKey(f: Finding): string {
  return `${f.check}|${f.resource.type}|${f.resource.id}`;
}

interface BuildContext {
  readonly ns: string;
  readonly report: EvidenceReport;
  readonly pages: Map<string, { sha256: string; url: string }[]>;
  readonly resources: Map<string, Json>;
  readonly parties: PartyIndex;
  readonly rawHrefPrefix: string;
  /** Shared sets of reads (the report's evidence groups) by id. */
  readonly groups: ReadonlyMap<string, { readonly label: string; readonly reads: readonly string[] }>;
}

/**
 * The links of a resource to raw/ files. An rlink's hash is of the bytes it links: true of a
 * layout-2 `.json` file; a layout-3 `.json.gz` file is named by the SHA-256 of the uncompressed
 * response, so that one is a property (`response-sha256`) and the link says what it holds.
 */
function rawResource(ctx: BuildContext, pages: readonly { sha256: string }[]): Json {
  if ((ctx.report.evidenceSchemaVersion ?? 1) < 3) {
    return { rlinks: pages.map((p) => ({ href: `${ctx.rawHrefPrefix}${p.sha256}.json`, 'media-type': 'application/json', hashes: [{ algorithm: 'SHA-256', value: p.sha256 }] })) };
  }
  return {
    props: pages.map((p) => prop('response-sha256', p.sha256)),
    rlinks: pages.map((p) => ({ href: `${ctx.rawHrefPrefix}${p.sha256}.json.gz`, 'media-type': 'application/gzip' })),
  };
}

function evidenceResource(ctx: BuildContext, page: { sha256: string; url: string }): string {
  const existing = ctx.resources.get(page.sha256);
  if (existing) return existing['uuid'] as string;
  const uuid = stableUuid(ctx.ns, `raw:${page.sha256}`);
  ctx.resources.set(page.sha256, {
    uuid,
    title: `Sentry API response ${page.url}`,
    ...rawResource(ctx, [page]),
  });
  return uuid;
}

/** One back-matter resource per evidence group, linking every raw response of its reads. */
function groupResource(ctx: BuildContext, id: string): string | null {
  const key = `group:${id}`;
  const existing = ctx.resources.get(key);
  if (existing) return existing['uuid'] as string;
  const group = ctx.groups.get(id);
  if (!group) return null;
  const pages = group.reads.flatMap((r) => ctx.pages.get(r) ?? []);
  if (pages.length === 0) return null;
  const uuid = stableUuid(ctx.ns, key);
  ctx.resources.set(key, {
    uuid,
    title: `Evidence set: ${group.label} (${group.reads.length} reads)`,
    ...rawResource(ctx, pages),
  });
  return uuid;
}

function observationUuid(ctx: BuildContext, view: AuditView, f: Finding, index: number): string {
  return stableUuid(ctx.ns, `${view.key}:obs:${index}:${findingKey(f)}`);
}

function observation(ctx: BuildContext, view: AuditView, f: Finding, id: string): Json {
  const attested = f.status === 'manual' && ctx.report.attestations.some((a) => a.control === f.control);
  const evidence: Json[] = [];
  for (const ref of f.evidence) {
    for (const page of ctx.pages.get(ref.sha256) ?? []) {
      evidence.push({
        href: `#${evidenceResource(ctx, page)}`,
        description: `${ref.method} ${ref.endpoint} (${ref.complete ? 'complete read' : 'partial read'}, ${ref.items} items)`,
        props: [prop('sha256', page.sha256)],
      });
    }
  }
  for (const g of f.evidenceGroups ?? []) {
    const uuid = groupResource(ctx, g.id);
    if (uuid) evidence.push({ href: `#${uuid}`, description: `${g.label} (${g.size} reads, ${g.complete ? 'complete' : 'partial'})`, props: [prop('evidence-group', g.id)] });
  }
  return clean({
    uuid: id,
    title: `${f.control} ${f.check}: ${f.resource.type} ${f.resource.name}`,
    description: f.message,
    props: [prop('status', f.status), prop('check', f.check), prop('control', f.control), prop('level', f.level)],
    // Automated checks test the live configuration; manual ones are examined by a person.
    methods: [f.status === 'manual' ? 'EXAMINE' : 'TEST'],
    types: [f.status === 'pass' ? 'control-objective' : 'finding'],
    subjects: [
      {
        'subject-uuid': stableUuid(ctx.ns, `subject:${f.resource.type}:${f.resource.id}`),
        type: 'resource',
        title: `${f.resource.type} ${f.resource.name}`,
        props: [prop('resource-type', f.resource.type), prop('resource-id', f.resource.id)],
      },
    ],
    'relevant-evidence': nonEmpty(evidence),
    collected: view.finishedAt,
    remarks: attested ? 'A person attested this control; see the result attestations.' : undefined,
  });
}

/** `satisfied` only when the control has findings and every one of them passed. */
function controlState(findings: readonly Finding[]): { state: 'satisfied' | 'not-satisfied'; reason: 'pass' | 'fail' | 'other'; text: string } {
  const counts = { pass: 0, fail: 0, other: 0 };
  for (const f of findings) {
    if (f.status === 'pass') counts.pass += 1;
    else if (f.status === 'fail') counts.fail += 1;
    else if (f.status !== 'not_applicable') counts.other += 1;
  }
  if (counts.fail > 0) return { state: 'not-satisfied', reason: 'fail', text: `${counts.fail} failing finding(s).` };
  if (counts.other > 0 || counts.pass === 0) {
    return { state: 'not-satisfied', reason: 'other', text: 'Not every check could be evaluated by the API (error or manual); not counted as satisfied.' };
  }
  return { state: 'satisfied', reason: 'pass', text: `All ${counts.pass} finding(s) passed.` };
}

function risksFor(ctx: BuildContext): { risks: Json[]; byControl: Map<string, string[]> } {
  const risks: Json[] = [];
  const byControl = new Map<string, string[]>();
  for (const e of ctx.report.exceptions) {
    const uuid = stableUuid(ctx.ns, `risk:${e.id}`);
    const approver = ctx.parties.person(e.approvedBy);
    const owner = e.owner ? ctx.parties.person(e.owner) : undefined;
    risks.push(
      clean({
        uuid,
        title: `Accepted deviation from ${e.control}${e.check ? ` (${e.check})` : ''}`,
        description: e.reason,
        statement: `${e.active ? 'Accepted' : 'Expired acceptance'}, approved by ${e.approvedBy}${e.owner ? `, owned by ${e.owner}` : ''}; covers ${e.covers.length} failing finding(s).`,
        props: [prop('control', e.control), prop('exception-id', e.id), ...(e.resource ? [prop('resource', e.resource)] : [])],
        status: e.active ? 'deviation-approved' : 'open',
        deadline: e.expiresAt,
        'risk-log': {
          entries: [
            clean({
              uuid: stableUuid(ctx.ns, `risk-log:${e.id}`),
              title: 'Risk accepted',
              start: e.createdAt,
              'logged-by': [{ 'party-uuid': approver, 'role-id': 'approver' }, ...(owner ? [{ 'party-uuid': owner, 'role-id': 'risk-owner' }] : [])],
              'status-change': e.active ? 'deviation-approved' : 'open',
            }),
          ],
        },
      }),
    );
    byControl.set(e.control, [...(byControl.get(e.control) ?? []), uuid]);
  }
  return { risks, byControl };
}

function result(ctx: BuildContext, view: AuditView, risks: { risks: Json[]; byControl: Map<string, string[]> } | null): Json {
  // One observation per finding, made as it is written (66,000 at 10,000 projects: 170 MB at once).
  // Each observation's id, made once: the per-control lists below hold them all anyway.
  const uuids = view.findings.map((f, i) => observationUuid(ctx, view, f, i));
  const observations = new StreamedArray(view.findings.length, function* () {
    for (let i = 0; i < view.findings.length; i++) yield observation(ctx, view, view.findings[i]!, uuids[i]!);
  });
  const obsByControl = new Map<string, string[]>();
  // Appended in place: copying the list for each finding was quadratic (6.5 s at 66,000 findings).
  view.findings.forEach((f, i) => {
    const list = obsByControl.get(f.control);
    if (list) list.push(uuids[i]!);
    else obsByControl.set(f.control, [uuids[i]!]);
  });
  const nistIds = new Set<string>();
  const findings: Json[] = [];
  for (const c of view.controls) {
    const own = view.findings.filter((f) => f.control === c.id);
    const status = controlState(own);
    for (const raw of c.mappings.nist) {
      const id = nistControlId(raw);
      if (!id) continue;
      nistIds.add(id);
      const related = obsByControl.get(c.id) ?? [];
      const relatedRisks = risks?.byControl.get(c.id) ?? [];
      findings.push(
        clean({
          uuid: stableUuid(ctx.ns, `${view.key}:finding:${c.id}:${id}`),
          title: `${c.id} ${c.title}`,
          description: `Sentry hardening control ${c.id} (${c.section}, level ${c.level}), mapped to NIST SP 800-53 ${raw}. ${status.text}`,
          props: [prop('control', c.id), prop('cis', c.mappings.cis.join(', ') || 'none'), prop('soc2', c.mappings.soc2.join(', ') || 'none')],
          target: { type: 'objective-id', 'target-id': `${id}_obj`, status: { state: status.state, reason: status.reason } },
          'related-observations': nonEmpty(related.map((u) => ({ 'observation-uuid': u }))),
          'related-risks': nonEmpty(relatedRisks.map((u) => ({ 'risk-uuid': u }))),
        }),
      );
    }
  }
  const controlIds = [...nistIds].sort();
  const attestations =
    view.key === 'after'
      ? ctx.report.attestations.map((a) => ({
          'responsible-parties': [{ 'role-id': 'attestor', 'party-uuids': [ctx.parties.person(a.attestedBy)] }],
          parts: [{ name: 'attestation', title: `Attestation for control ${a.control}`, prose: a.statement, props: [prop('control', a.control), prop('attested-at', a.attestedAt)] }],
        }))
      : [];
  return clean({
    uuid: stableUuid(ctx.ns, `result:${view.key}`),
    title: view.title,
    description: `Live checks of the Sentry organization ${ctx.report.target.org.name} (${ctx.report.target.org.slug}) at ${ctx.report.target.url}, level ${ctx.report.level}.`,
    start: view.startedAt,
    end: view.finishedAt,
    props: [prop('level', ctx.report.level), prop('catalog-version', ctx.report.catalog.version), prop('catalog-digest', ctx.report.catalog.digest)],
    'reviewed-controls': {
      'control-selections': [controlIds.length > 0 ? { 'include-controls': controlIds.map((id) => ({ 'control-id': id })) } : { 'include-all': {} }],
    },
    attestations: nonEmpty(attestations),
    observations: observations.length > 0 ? observations : undefined,
    risks: risks ? nonEmpty(risks.risks) : undefined,
    findings: nonEmpty(findings),
  });
}

/**
 * Builds the assessment results document. `reportSha256` (the SHA-256 of report.json) seeds every
 * UUID, so the same package always yields the same file and two packages never share ids.
 */
export function buildAssessmentResults(report: EvidenceReport, reportSha256: string, options: { rawHrefPrefix?: string; reportHref?: string } = {}): Json {
  return materializeJson(assessmentResultsDocument(report, reportSha256, options)) as Json;
}

/**
 * The same document for writeJsonFile: observations are made as they are written and the
 * back-matter (the raw responses they cite) after them, so the whole document is never in memory.
 * Written with OSCAL_LAYOUT_DEPTH from layout 3; older layouts wrote it whole per result.
 */
export function assessmentResultsDocument(report: EvidenceReport, reportSha256: string, options: { rawHrefPrefix?: string; reportHref?: string } = {}): Json {
  const ns = `sentry-harden:${reportSha256}`;
  const parties = buildParties(ns, report);
  const before = report.before;
  const groups = new Map([...(report.evidenceGroups ?? []), ...(before?.evidenceGroups ?? [])].map((g) => [g.id, { label: g.label, reads: g.reads }]));
  const ctx: BuildContext = { ns, report, pages: readPages(report, before?.reads ?? []), resources: new Map(), parties, rawHrefPrefix: options.rawHrefPrefix ?? PACKAGE_RAW_HREF_PREFIX, groups };
  const results = [
    result(ctx, { key: 'after', title: before ? 'After the session' : 'Audit', startedAt: report.startedAt, finishedAt: report.finishedAt, controls: report.controls, findings: report.findings }, risksFor(ctx)),
  ];
  if (before) {
    results.push(result(ctx, { key: 'before', title: 'Before the session', startedAt: before.startedAt, finishedAt: before.finishedAt, controls: before.controls, findings: before.findings }, null));
  }
  // After the results in the document: their observations register the resources they cite.
  const backMatter = new DeferredValue(() => {
    const resources = [...ctx.resources.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
    return resources.length > 0 ? { resources } : undefined;
  });
  return {
    'assessment-results': clean({
      uuid: stableUuid(ns, 'assessment-results'),
      metadata: clean({
        title: `Sentry hardening assessment: ${report.target.org.name} (${report.target.org.slug})`,
        'last-modified': report.finishedAt,
        version: `${report.tool.name} ${report.tool.version}, catalog ${report.catalog.version}`,
        'oscal-version': OSCAL_VERSION,
        props: [prop('report-sha256', reportSha256)],
        roles: parties.roles,
        parties: parties.parties,
        'responsible-parties': nonEmpty(parties.responsible),
      }),
      // No OSCAL assessment plan exists; the package's report.json (catalog, level, settings) is the plan.
      'import-ap': { href: options.reportHref ?? '../report.json', remarks: 'No separate OSCAL assessment plan: the scope (control catalog, level, thresholds) is recorded in the package report.json.' },
      results,
      'back-matter': backMatter,
    }),
  };
}
