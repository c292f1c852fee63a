import { z } from 'zod';
import { EvidenceSchema, FindingSchema } from '../../shared/finding';
import type { Evidence, FindingStatus, InvalidItem, ResourceRef } from '../../shared/finding';
import { invalidItemText } from '../sentry/items';
import { MAX_LISTED, invalidItemFindings } from './invalid-items';
import type { ControlFinding as Finding } from './types';
import type { Loaded, OrgData } from '../sentry/org-data';
import { isReadGroup, type CheckDefinition, type ControlContext, type EvidenceItem, type ReadGroup } from './types';

/** The failed branch of a read. */
export type LoadFailure = Extract<Loaded<unknown>, { ok: false }>;

/** The reads of OrgData, by method name. */
export type ReadName = Exclude<keyof OrgData, 'orgSlug'>;

interface ReadInfo {
  /** Method and path, `{org}` and `{arg}` filled in when an error names it. */
  readonly endpoint: string;
  /** Scopes of which the endpoint accepts any one (REFERENCE.md 10). */
  readonly scopes: readonly string[];
}

/** Fallback when a failed read does not say its endpoint or scopes itself. */
export const READS: Readonly<Record<ReadName, ReadInfo>> = {
  tokenInfo: { endpoint: 'GET /api/0/', scopes: [] },
  organization: { endpoint: 'GET /api/0/organizations/{org}/', scopes: ['org:read', 'org:write', 'org:admin'] },
  authProvider: { endpoint: 'GET /api/0/organizations/{org}/auth-provider/', scopes: ['org:read'] },
  members: {
    endpoint: 'GET /api/0/organizations/{org}/members/',
    scopes: ['member:read', 'member:write', 'member:admin'],
  },
  memberInvites: {
    endpoint: 'GET /api/0/organizations/{org}/invited-members/',
    scopes: ['member:read', 'member:write', 'member:admin'],
  },
  teams: { endpoint: 'GET /api/0/organizations/{org}/teams/', scopes: ['org:read', 'org:write', 'org:admin'] },
  teamMembers: { endpoint: 'GET /api/0/teams/{org}/{arg}/members/', scopes: ['team:read', 'team:write', 'team:admin'] },
  projects: { endpoint: 'GET /api/0/organizations/{org}/projects/', scopes: ['org:read', 'org:write', 'org:admin'] },
  projectDetail: {
    endpoint: 'GET /api/0/projects/{org}/{arg}/',
    scopes: ['project:read', 'project:write', 'project:admin'],
  },
  projectKeys: { endpoint: 'GET /api/0/organizations/{org}/project-keys/', scopes: ['org:read', 'project:read'] },
  projectFilters: {
    endpoint: 'GET /api/0/projects/{org}/{arg}/filters/',
    scopes: ['project:read', 'project:write', 'project:admin'],
  },
  auditLog: { endpoint: 'GET /api/0/organizations/{org}/audit-logs/', scopes: ['org:write'] },
  integrations: {
    endpoint: 'GET /api/0/organizations/{org}/integrations/',
    scopes: ['org:read', 'org:write', 'org:admin', 'org:integrations'],
  },
  sentryApps: { endpoint: 'GET /api/0/organizations/{org}/sentry-apps/', scopes: ['org:read', 'org:write', 'org:admin'] },
  sentryAppInstallations: {
    endpoint: 'GET /api/0/organizations/{org}/sentry-app-installations/',
    scopes: ['org:read', 'org:integrations'],
  },
  orgAuthTokens: {
    endpoint: 'GET /api/0/organizations/{org}/org-auth-tokens/',
    scopes: ['org:read', 'org:write', 'org:admin'],
  },
};

export function readEndpoint(read: ReadName, orgSlug: string, arg?: string): string {
  return READS[read].endpoint.replace('{org}', orgSlug).replace('{arg}', arg ?? '{id}');
}

// ---------------------------------------------------------------------------------------------
// Findings

/** A finding as controls return it: the full reads, which the engine turns into references. */
export const ControlFindingSchema = FindingSchema.omit({ evidenceGroups: true }).extend({
  evidence: z.array(EvidenceSchema),
  groups: z.array(z.object({ label: z.string(), reads: z.array(EvidenceSchema) })).optional(),
});

export interface FindingSpec {
  readonly control: string;
  readonly check: CheckDefinition;
  readonly resource: ResourceRef;
  readonly message: string;
  /** Reads, and groups of reads shared by many findings (see ReadGroup). */
  readonly evidence: readonly EvidenceItem[];
  readonly details?: Record<string, unknown>;
}

function build(status: FindingStatus, spec: FindingSpec, errorCode?: string): Finding {
  const finding: Finding = {
    control: spec.control,
    check: spec.check.id,
    level: spec.check.level,
    status,
    resource: spec.resource,
    message: spec.message,
    evidence: dedupeEvidence(spec.evidence.filter((e): e is Evidence => !isReadGroup(e))),
  };
  const groups = [...new Set(spec.evidence.filter(isReadGroup))];
  if (groups.length > 0) finding.groups = groups;
  if (errorCode !== undefined) finding.errorCode = errorCode;
  if (spec.details !== undefined) finding.details = spec.details;
  return finding;
}

/** The same read may back a verdict several times over (memoized); list it once. */
function dedupeEvidence(evidence: readonly Evidence[]): Evidence[] {
  const seen = new Set<Evidence>();
  const out: Evidence[] = [];
  for (const e of evidence) {
    if (seen.has(e)) continue;
    seen.add(e);
    out.push(e);
  }
  return out;
}

/** Every read of the items, those of groups included. */
export function allReads(items: readonly EvidenceItem[]): Evidence[] {
  return items.flatMap((e) => (isReadGroup(e) ? e.reads : [e]));
}

/** A group of reads for the report to store once (see ReadGroup). */
export function readGroup(label: string, reads: readonly Evidence[]): ReadGroup {
  return { label, reads: [...new Set(reads)] };
}

/**
 * Evidence whose pagination ended early may hide the very item that would fail. A verdict that
 * rests on the absence of something (pass, not applicable) becomes an `error` instead.
 */
function incompleteGuard(spec: FindingSpec): Finding | null {
  const partial = allReads(spec.evidence).filter((e) => !e.complete);
  if (partial.length === 0) return null;
  const endpoints = [...new Set(partial.map((e) => `${e.method} ${e.endpoint}`))];
  return build(
    'error',
    {
      ...spec,
      message:
        `${spec.check.title}: cannot be confirmed because the read of ${endpoints.join(', ')} stopped ` +
        'before the last page, so something not seen could fail.',
      details: { ...(spec.details ?? {}), incompleteReads: endpoints, wouldHaveBeen: spec.message },
    },
    'incomplete_pagination',
  );
}

/**
 * A list read with items that did not validate may hide the very item that would fail: a verdict
 * resting on that list (pass, not applicable) becomes an `error` naming them, unless the check's
 * claim is about one item only (`claimPerItem`) or about the read itself.
 */
function invalidGuard(spec: FindingSpec): Finding | null {
  if (spec.check.claimPerItem || spec.check.claimHoldsOnPartialRead) return null;
  const reads = allReads(spec.evidence).filter((e) => (e.invalid?.length ?? 0) > 0);
  if (reads.length === 0) return null;
  const listed = reads.flatMap((e) => (e.invalid ?? []).map((item) => ({ endpoint: `${e.method} ${e.endpoint}`, ...item })));
  const shown = listed.slice(0, 3).map((i) => `${i.endpoint} ${invalidItemText(i)}`);
  const more = listed.length > 3 ? ` and ${listed.length - 3} more` : '';
  return build(
    'error',
    {
      ...spec,
      message:
        `${spec.check.title}: cannot be confirmed because ${plural(listed.length, 'item')} did not have the expected shape ` +
        `(${shown.join('; ')}${more}), so an item not evaluated could fail.`,
      details: { ...(spec.details ?? {}), invalidItems: listed.slice(0, MAX_LISTED), wouldHaveBeen: spec.message },
    },
    'malformed_response',
  );
}


/** A pass, unless any evidence is incomplete or holds invalid items (then an `error`). */
export function passFinding(spec: FindingSpec): Finding {
  return incompleteGuard(spec) ?? invalidGuard(spec) ?? build('pass', spec);
}

/**
 * A pass whose claim holds on what was read, whatever followed (e.g. "the endpoint answered").
 * Only for claims about the read itself, never about the absence of something.
 */
export function readablePassFinding(spec: FindingSpec): Finding {
  if (!spec.check.claimHoldsOnPartialRead) throw new Error(`check ${spec.check.id} may not pass on a partial read`);
  return build('pass', spec);
}

export function failFinding(spec: FindingSpec): Finding {
  return build('fail', spec);
}

export function manualFinding(spec: FindingSpec): Finding {
  return build('manual', spec);
}

/** Not applicable, unless any evidence is incomplete: an empty first page proves nothing. */
export function notApplicableFinding(spec: FindingSpec): Finding {
  return incompleteGuard(spec) ?? invalidGuard(spec) ?? build('not_applicable', spec);
}


export interface ErrorSpec {
  readonly control: string;
  readonly check: CheckDefinition;
  readonly resource: ResourceRef;
  readonly failure: LoadFailure;
  /** Which read failed, to name its endpoint and scopes when the error itself does not. */
  readonly read: ReadName;
  readonly orgSlug: string;
  /** The team or project slug of a per-item read. */
  readonly arg?: string;
  /** Reads that did succeed and were part of the attempt. */
  readonly evidence?: readonly Evidence[];
}

/** Turns a failed read into the `error` finding of the check that needed it. */
export function errorFinding(spec: ErrorSpec): Finding {
  const { failure, read } = spec;
  const err = failure.error;
  const endpoint = err.endpoint ?? readEndpoint(read, spec.orgSlug, spec.arg);
  const scopes = err.requiredScopes && err.requiredScopes.length > 0 ? err.requiredScopes : READS[read].scopes;
  let cause: string;
  switch (err.code) {
    case 'missing_scope':
      cause =
        scopes.length > 0
          ? `the token lacks the scope this endpoint needs (${scopes.join(' or ')})`
          : 'the token lacks the scope this endpoint needs';
      break;
    case 'session_only':
      cause = 'Sentry serves this endpoint to signed-in browser sessions only, not to API tokens';
      break;
    default:
      // The client's messages often start with the endpoint already; say it once.
      cause = err.message.startsWith(`${endpoint}: `) ? err.message.slice(endpoint.length + 2) : err.message;
  }
  const evidence = [...(spec.evidence ?? []), ...(failure.evidence ? [failure.evidence] : [])];
  const details: Record<string, unknown> = { endpoint, errorCode: err.code };
  if (err.status !== undefined) details.status = err.status;
  if (err.code === 'missing_scope') details.requiredScopes = [...scopes];
  if (err.code === 'missing_scope' || err.code === 'session_only') details.cause = err.message;
  return build(
    'error',
    {
      control: spec.control,
      check: spec.check,
      resource: spec.resource,
      message: `${spec.check.title}: could not be evaluated because ${endpoint} failed: ${cause}.`,
      evidence,
      details,
    },
    err.code,
  );
}

// ---------------------------------------------------------------------------------------------
// A per-control collector, so control files stay short.

export interface Recorder {
  readonly findings: Finding[];
  readonly orgSlug: string;
  /** True when the audit includes this check's level. */
  wants(check: CheckDefinition): boolean;
  pass(check: CheckDefinition, resource: ResourceRef, message: string, evidence: readonly EvidenceItem[], details?: Record<string, unknown>): void;
  /** See `readablePassFinding`: a pass that does not need complete pagination. */
  passOnRead(check: CheckDefinition, resource: ResourceRef, message: string, evidence: readonly EvidenceItem[], details?: Record<string, unknown>): void;
  fail(check: CheckDefinition, resource: ResourceRef, message: string, evidence: readonly EvidenceItem[], details?: Record<string, unknown>): void;
  manual(check: CheckDefinition, resource: ResourceRef, message: string, evidence: readonly EvidenceItem[], details?: Record<string, unknown>): void;
  notApplicable(check: CheckDefinition, resource: ResourceRef, message: string, evidence: readonly EvidenceItem[], details?: Record<string, unknown>): void;
  error(
    check: CheckDefinition,
    resource: ResourceRef,
    failure: LoadFailure,
    read: ReadName,
    opts?: { arg?: string; evidence?: readonly Evidence[] },
  ): void;
  /** An `error`: the resource's item in `evidence` lacks `field`, which this check needs. */
  missingField(check: CheckDefinition, resource: ResourceRef, field: string, evidence: Evidence): void;
  /** See `invalidItemFindings`; returns how many items of `evidence` did not validate. */
  invalidItems(
    checks: readonly CheckDefinition[],
    evidence: Evidence,
    read: ReadName,
    opts?: { resourceOf?: (item: InvalidItem) => ResourceRef; whole?: ResourceRef },
  ): number;
}

export function recorder(control: string, ctx: ControlContext): Recorder {
  const findings: Finding[] = [];
  const orgSlug = ctx.data.orgSlug;
  const spec = (
    check: CheckDefinition,
    resource: ResourceRef,
    message: string,
    evidence: readonly EvidenceItem[],
    details?: Record<string, unknown>,
  ): FindingSpec => (details === undefined ? { control, check, resource, message, evidence } : { control, check, resource, message, evidence, details });
  return {
    findings,
    orgSlug,
    wants: (check) => ctx.includes(check.level),
    pass: (...a) => void findings.push(passFinding(spec(...a))),
    passOnRead: (...a) => void findings.push(readablePassFinding(spec(...a))),
    fail: (...a) => void findings.push(failFinding(spec(...a))),
    manual: (...a) => void findings.push(manualFinding(spec(...a))),
    notApplicable: (...a) => void findings.push(notApplicableFinding(spec(...a))),
    error: (check, resource, failure, read, opts) =>
      void findings.push(
        errorFinding({
          control,
          check,
          resource,
          failure,
          read,
          orgSlug,
          ...(opts?.arg === undefined ? {} : { arg: opts.arg }),
          ...(opts?.evidence === undefined ? {} : { evidence: opts.evidence }),
        }),
      ),
    missingField: (check, resource, field, evidence) =>
      void findings.push(
        build(
          'error',
          {
            control,
            check,
            resource,
            message: `${check.title}: could not be evaluated for ${resource.name} because ${evidence.method} ${evidence.endpoint} did not send its field "${field}".`,
            evidence: [evidence],
            details: { endpoint: `${evidence.method} ${evidence.endpoint}`, missingField: field },
          },
          'missing_field',
        ),
      ),
    invalidItems: (checks, evidence, read, opts) => {
      const wanted = checks.filter((c) => ctx.includes(c.level));
      findings.push(...invalidItemFindings({ control, checks: wanted, read, orgSlug, evidence, ...opts }));
      return evidence.invalid?.length ?? 0;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Small helpers shared by the controls.

/** Evidence of the reads that succeeded, in order. */
export function evidenceOf(...loads: readonly (Loaded<unknown> | undefined)[]): Evidence[] {
  const out: Evidence[] = [];
  for (const l of loads) {
    if (l?.ok) out.push(l.evidence);
  }
  return out;
}

export function orgRef(orgSlug: string, orgName?: string): ResourceRef {
  return { type: 'organization', id: orgSlug, name: orgName ?? orgSlug };
}

export function projectRef(p: { slug: string; name?: string }): ResourceRef {
  return { type: 'project', id: p.slug, name: p.name ?? p.slug };
}

export function teamRef(t: { slug: string; name?: string }): ResourceRef {
  return { type: 'team', id: t.slug, name: t.name ?? t.slug };
}

export function memberRef(m: { id: string; email?: string | null; name?: string | null; user?: { email?: string | null } | null }): ResourceRef {
  return { type: 'member', id: m.id, name: m.email ?? m.user?.email ?? m.name ?? m.id };
}

const MS_PER_DAY = 86_400_000;

/** Whole days from `iso` to `now`; null when the date cannot be read. */
export function ageInDays(iso: string | null | undefined, now: Date): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return null;
  return Math.floor((now.getTime() - t) / MS_PER_DAY);
}

/** "1 project", "3 projects". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
