import type { EvidenceReport, PackageException } from '../../../../shared/evidence';
import type { Finding } from '../../../../shared/finding';
import type { ControlSummary } from '../../../../shared/report';
import { REPORT_SECTIONS } from '../../../../shared/sections';
import { ReadIndex } from './evidence';

/**
 * What the sections share: the controls and sections as the package recorded them, anchors, the
 * two audits' read indexes and per-control findings. Built once from report.json alone: the
 * renderer never reads the live catalog, a clock or the environment.
 */

export interface ControlView {
  readonly id: string;
  readonly title: string;
  readonly section: string;
  readonly level: string;
  readonly mappings: ControlSummary['mappings'];
  /** Null for a package made before catalog texts were recorded. */
  readonly rationale: string | null;
  readonly manualSteps: readonly string[];
  readonly checkTitles: ReadonlyMap<string, string>;
}

export interface SectionView {
  readonly id: string;
  readonly title: string;
}

export interface ReportSignatureInfo {
  /** The signing key's fingerprint, as `sentry-harden verify` prints it. */
  readonly fingerprint: string;
  /** The DSSE keyid of the signature. */
  readonly keyid: string;
}

export interface RenderReportHtmlOptions {
  /** The key the package is signed with; absent: the report's `signer`; null (or neither): "unsigned". */
  readonly signature?: ReportSignatureInfo | null;
  /** When the page was produced (ISO 8601); default: the report's finish time, so output is reproducible. */
  readonly generatedAt?: string;
}

/** Anchors from report strings: only safe characters, and unique in the page. */
export class Anchors {
  private readonly used = new Set<string>();
  reserve(id: string): void {
    for (const v of [id, `${id}-h`, `${id}-cap`]) this.used.add(v);
  }
  make(prefix: string, raw: string): string {
    const base = `${prefix}-${raw.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'x'}`;
    // Callers derive `<id>-h` and `<id>-cap` for headings and captions: keep those unique too.
    const taken = (id: string): boolean => this.used.has(id) || this.used.has(`${id}-h`) || this.used.has(`${id}-cap`);
    let id = base;
    for (let i = 2; taken(id); i++) id = `${base}-${i}`;
    for (const v of [id, `${id}-h`, `${id}-cap`]) this.used.add(v);
    return id;
  }
}

export interface Context {
  readonly report: EvidenceReport;
  readonly signature: ReportSignatureInfo | null;
  readonly generatedAt: string;
  readonly views: readonly ControlView[];
  readonly viewById: ReadonlyMap<string, ControlView>;
  readonly sections: readonly SectionView[];
  readonly anchors: Anchors;
  readonly afterReads: ReadIndex;
  readonly beforeReads: ReadIndex | null;
  readonly controlAnchor: ReadonlyMap<string, string>;
  readonly sectionAnchor: ReadonlyMap<string, string>;
  /** Row anchors of exceptions and attestations, by entry. */
  readonly entryAnchor: ReadonlyMap<object, string>;
  /** Row anchors of changes, by id (the first, should an older package repeat an id). */
  readonly changeAnchor: ReadonlyMap<string, string>;
  readonly hasBefore: boolean;
  /** True when report.json carries the catalog's texts. */
  readonly textsRecorded: boolean;
  /** Final-audit finding keys covered by an exception. */
  readonly exceptionsByKey: ReadonlyMap<string, readonly PackageException[]>;
  readonly afterByControl: ReadonlyMap<string, readonly Finding[]>;
  readonly beforeByControl: ReadonlyMap<string, readonly Finding[]>;
}

export const RESERVED_IDS = [
  'cover', 'toc', 'scorecard', 'exception-summary', 'findings', 'changes', 'drift', 'exceptions', 'attestations',
  'integration-register', 'review', 'evidence-register', 'about', 'scorecard-charts', 'evidence-sets', 'demo-banner', 'unsigned-banner',
];

export function findingKey(f: Pick<Finding, 'check' | 'resource'>): string {
  return `${f.check}|${f.resource.type}|${f.resource.id}`;
}

function byControl(findings: readonly Finding[]): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = out.get(f.control);
    if (list) list.push(f);
    else out.set(f.control, [f]);
  }
  return out;
}

/** Controls in the recorded catalog's order, then any the report names that it does not list. */
function controlViews(report: EvidenceReport): ControlView[] {
  const summaries = new Map<string, ControlSummary>();
  for (const c of [...(report.before?.controls ?? []), ...report.controls]) summaries.set(c.id, c);
  const texts = new Map((report.catalogTexts?.controls ?? []).map((c) => [c.id, c]));
  const views: ControlView[] = [];
  const seen = new Set<string>();
  const add = (id: string): void => {
    if (seen.has(id)) return;
    seen.add(id);
    const s = summaries.get(id);
    const t = texts.get(id);
    views.push({
      id,
      title: t?.title ?? s?.title ?? `Control ${id}`,
      section: t?.section ?? s?.section ?? '?',
      level: s?.level ?? t?.level ?? '',
      mappings: s?.mappings ?? { cis: [], nist: [], soc2: [] },
      rationale: t?.rationale ?? null,
      manualSteps: t?.manualSteps ?? [],
      checkTitles: new Map((t?.checks ?? []).map((k) => [k.id, k.title])),
    });
  };
  for (const c of report.catalogTexts?.controls ?? []) if (summaries.has(c.id)) add(c.id);
  for (const id of summaries.keys()) add(id);
  for (const f of [...report.findings, ...(report.before?.findings ?? [])]) add(f.control);
  return views;
}

function sectionsOf(report: EvidenceReport, views: readonly ControlView[]): SectionView[] {
  // Packages made before the texts were recorded name the guide's sections as this build does.
  const out: SectionView[] = [...(report.catalogTexts?.sections ?? REPORT_SECTIONS)];
  for (const v of views) if (!out.some((s) => s.id === v.section)) out.push({ id: v.section, title: `Section ${v.section}` });
  return out;
}

export function buildContext(report: EvidenceReport, opts: RenderReportHtmlOptions): Context {
  const anchors = new Anchors();
  for (const id of RESERVED_IDS) anchors.reserve(id);
  const views = controlViews(report);
  const controlAnchor = new Map(views.map((v) => [v.id, anchors.make('control', v.id)]));
  const entryAnchor = new Map<object, string>();
  for (const e of report.exceptions) entryAnchor.set(e, anchors.make('exception', e.id));
  for (const a of report.attestations) entryAnchor.set(a, anchors.make('attestation', a.id));
  const changeAnchor = new Map<string, string>();
  for (const c of report.changes) if (!changeAnchor.has(c.id)) changeAnchor.set(c.id, anchors.make('change', c.id));
  const sections = sectionsOf(report, views);
  const sectionAnchor = new Map(sections.map((s) => [s.id, anchors.make('section', s.id)]));
  const exceptionsByKey = new Map<string, PackageException[]>();
  for (const e of report.exceptions) for (const k of e.covers) exceptionsByKey.set(k, [...(exceptionsByKey.get(k) ?? []), e]);
  const afterReads = new ReadIndex('after', report.reads, null, report.evidenceGroups ?? []);
  return {
    report,
    signature: opts.signature === undefined ? (report.signer ?? null) : opts.signature,
    generatedAt: opts.generatedAt ?? report.finishedAt,
    views,
    viewById: new Map(views.map((v) => [v.id, v])),
    sections,
    anchors,
    afterReads,
    beforeReads: report.before ? new ReadIndex('before', report.before.reads, afterReads, report.before.evidenceGroups ?? []) : null,
    controlAnchor,
    sectionAnchor,
    entryAnchor,
    changeAnchor,
    hasBefore: report.before !== null,
    textsRecorded: report.catalogTexts !== undefined,
    exceptionsByKey,
    afterByControl: byControl(report.findings),
    beforeByControl: byControl(report.before?.findings ?? []),
  };
}
