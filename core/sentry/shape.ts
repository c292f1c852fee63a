import type { z } from 'zod';
import {
  ApiIndexSchema,
  AuditLogPageSchema,
  AuthProviderSchema,
  InboundFilterSchema,
  IntegrationSchema,
  MemberDetailSchema,
  MemberSchema,
  OrgAuthTokenSchema,
  OrganizationSchema,
  OrganizationSummarySchema,
  ProjectDetailSchema,
  ProjectKeySchema,
  ProjectSummarySchema,
  SentryAppInstallationSchema,
  SentryAppSchema,
  TeamMemberSchema,
  TeamSchema,
  UserRegionsSchema,
} from './schemas';

/**
 * The response shapes the product reads, by endpoint, and how a body compares with them: which
 * field is missing, of another type, or null where a value is expected. Used by `doctor` (on a live
 * server) and by the contract corpus test (on recorded bodies). Never reports a value.
 */

export type ReadKind = 'object' | 'list';

export interface ReadShape {
  /** Short name, also the folder of the corpus (test/fixtures/sentry-corpus/<key>/). */
  readonly key: string;
  /** `GET /api/0/...` with placeholders, never a real slug. */
  readonly endpoint: string;
  /** `list`: the body is an array and each item is checked on its own. */
  readonly kind: ReadKind;
  readonly schema: z.ZodType;
  /** 204 (no body) is a valid answer. */
  readonly noContentOk?: boolean;
}

const read = (key: string, endpoint: string, kind: ReadKind, schema: z.ZodType, noContentOk = false): ReadShape => ({
  key,
  endpoint: `GET ${endpoint}`,
  kind,
  schema,
  ...(noContentOk ? { noContentOk } : {}),
});

/** Every read of the audit and of `connect`, with the schema the product parses it with. */
export const READ_SHAPES: readonly ReadShape[] = [
  read('api-index', '/api/0/', 'object', ApiIndexSchema),
  read('organizations', '/api/0/organizations/', 'list', OrganizationSummarySchema),
  read('user-regions', '/api/0/users/me/regions/', 'object', UserRegionsSchema),
  read('organization', '/api/0/organizations/{org}/', 'object', OrganizationSchema),
  read('auth-provider', '/api/0/organizations/{org}/auth-provider/', 'object', AuthProviderSchema, true),
  read('members', '/api/0/organizations/{org}/members/', 'list', MemberSchema),
  read('member-detail', '/api/0/organizations/{org}/members/{member}/', 'object', MemberDetailSchema),
  read('teams', '/api/0/organizations/{org}/teams/', 'list', TeamSchema),
  read('team', '/api/0/teams/{org}/{team}/', 'object', TeamSchema),
  read('team-members', '/api/0/teams/{org}/{team}/members/', 'list', TeamMemberSchema),
  read('projects', '/api/0/organizations/{org}/projects/', 'list', ProjectSummarySchema),
  read('project-detail', '/api/0/projects/{org}/{project}/', 'object', ProjectDetailSchema),
  read('org-project-keys', '/api/0/organizations/{org}/project-keys/', 'list', ProjectKeySchema),
  read('project-keys', '/api/0/projects/{org}/{project}/keys/', 'list', ProjectKeySchema),
  read('project-key', '/api/0/projects/{org}/{project}/keys/{key}/', 'object', ProjectKeySchema),
  read('project-filters', '/api/0/projects/{org}/{project}/filters/', 'list', InboundFilterSchema),
  read('audit-logs', '/api/0/organizations/{org}/audit-logs/', 'object', AuditLogPageSchema),
  read('integrations', '/api/0/organizations/{org}/integrations/', 'list', IntegrationSchema),
  read('integration', '/api/0/organizations/{org}/integrations/{integration}/', 'object', IntegrationSchema),
  read('sentry-apps', '/api/0/organizations/{org}/sentry-apps/', 'list', SentryAppSchema),
  read('sentry-app-installations', '/api/0/organizations/{org}/sentry-app-installations/', 'list', SentryAppInstallationSchema),
  read('org-auth-tokens', '/api/0/organizations/{org}/org-auth-tokens/', 'list', OrgAuthTokenSchema),
];

export function readShape(key: string): ReadShape {
  const found = READ_SHAPES.find((r) => r.key === key);
  if (!found) throw new Error(`no read shape "${key}"`);
  return found;
}

export type JsonType = 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array';

export function jsonType(value: unknown): JsonType | 'undefined' {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const t = typeof value;
  if (t === 'string' || t === 'number' || t === 'boolean' || t === 'object') return t;
  return 'undefined';
}

export type FieldProblem = 'missing' | 'wrong_type' | 'unexpected_null' | 'invalid_value';

/** One way a body differs from the schema. `field` is a dotted path; list positions are `[]`. */
export interface FieldIssue {
  readonly field: string;
  readonly problem: FieldProblem;
  /** The type (or kind of value) the schema expects. */
  readonly expected?: string;
  /** The JSON type that came, for `wrong_type`. */
  readonly got?: JsonType;
  /** How many items of a list had this issue (lists only). */
  readonly items?: number;
}

export interface BodyCheck {
  readonly matched: boolean;
  /** Lists: how many items, and how many failed. */
  readonly itemCount?: number;
  readonly invalidItems?: number;
  readonly issues: readonly FieldIssue[];
}

function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += '[]';
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(body)' : out;
}

function lookup(body: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = body;
  for (const part of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[part];
  }
  return cur;
}

/** zod's issues, reduced to field, problem and types (the value itself is never kept). */
function toIssues(body: unknown, error: z.ZodError): FieldIssue[] {
  const out: FieldIssue[] = [];
  for (const issue of error.issues) {
    const field = fieldPath(issue.path);
    if (issue.code === 'invalid_type') {
      const got = jsonType(lookup(body, issue.path));
      const expected = String(issue.expected);
      if (got === 'undefined') out.push({ field, problem: 'missing', expected });
      else if (got === 'null') out.push({ field, problem: 'unexpected_null', expected });
      else out.push({ field, problem: 'wrong_type', expected, got });
    } else if (issue.code === 'invalid_union') {
      const got = jsonType(lookup(body, issue.path));
      out.push(got === 'undefined' ? { field, problem: 'missing' } : got === 'null' ? { field, problem: 'unexpected_null' } : { field, problem: 'wrong_type', got });
    } else {
      out.push({ field, problem: 'invalid_value', expected: issue.code });
    }
  }
  return out;
}

function issueKey(i: FieldIssue): string {
  return `${i.field}\u0000${i.problem}\u0000${i.expected ?? ''}\u0000${i.got ?? ''}`;
}

/** Compares one body with the product's schema for that read; lists item by item. */
export function checkBody(shape: ReadShape, body: unknown): BodyCheck {
  if (body === null && shape.noContentOk) return { matched: true, issues: [] };
  if (shape.kind === 'object') {
    const r = shape.schema.safeParse(body);
    return r.success ? { matched: true, issues: [] } : { matched: false, issues: toIssues(body, r.error) };
  }
  if (!Array.isArray(body)) {
    const got = jsonType(body);
    return { matched: false, issues: [{ field: '(body)', problem: got === 'null' ? 'unexpected_null' : 'wrong_type', expected: 'array', ...(got !== 'undefined' && got !== 'null' ? { got } : {}) }] };
  }
  const counts = new Map<string, { issue: FieldIssue; items: number }>();
  let invalid = 0;
  for (const item of body) {
    const r = shape.schema.safeParse(item);
    if (r.success) continue;
    invalid++;
    const seen = new Set<string>();
    for (const issue of toIssues(item, r.error)) {
      const k = issueKey(issue);
      if (seen.has(k)) continue;
      seen.add(k);
      const prev = counts.get(k);
      counts.set(k, { issue: { ...issue, field: `[].${issue.field}`.replace('[].(body)', '[]') }, items: (prev?.items ?? 0) + 1 });
    }
  }
  const issues = [...counts.values()].map(({ issue, items }) => ({ ...issue, items }));
  return { matched: invalid === 0, itemCount: body.length, invalidItems: invalid, issues };
}
