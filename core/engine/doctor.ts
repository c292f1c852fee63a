import { z } from 'zod';
import type { ErrorCode } from '../../shared/errors';
import { trustedRegionUrl, type SentryBaseUrl } from '../sentry/base-url';
import { SentryClient, apiPath, type SentryClientOptions } from '../sentry/client';
import { SentryApiError } from '../sentry/errors';
import { ORGANIZATION_QUERY } from '../sentry/org-data';
import { READ_SHAPES, checkBody, readShape, type FieldIssue } from '../sentry/shape';
import { ShapeBuilder, type Shape } from '../sentry/shape-describe';
import { TOOL_VERSION } from './report';

/**
 * `doctor`: makes every read the audit makes, without judging the organization, and reports per
 * endpoint whether Sentry answered (or refused, and why) and whether the body has the shape the
 * product's schemas expect. Bodies are read unvalidated (z.unknown) so that one odd field does not
 * hide the others. Read-only: only GET requests.
 */

/**
 * `session-only`: refused because Sentry serves the endpoint to browser sessions only (today's
 * org auth token list): expected for every API token, and the audit's checks on it are `manual`.
 */
export type ReadOutcome = 'answered' | 'refused' | 'session-only' | 'failed' | 'partly';

/** Codes that mean Sentry (or the endpoint) would not serve this token, not that it broke. */
const REFUSALS: ReadonlySet<ErrorCode> = new Set(['missing_scope', 'forbidden', 'session_only', 'unauthorized', 'not_found']);

export interface ReadFailure {
  readonly code: ErrorCode;
  /** For `missing_scope`: the scopes of which the endpoint needs any one. */
  readonly requiredScopes?: readonly string[];
  /** For the terminal only: may name slugs of the organization. */
  readonly message: string;
}

export interface EndpointResult {
  readonly key: string;
  /** Template (`{org}`, `{project}`...), never a real slug. */
  readonly endpoint: string;
  /** How many requests of this endpoint were made (one per project for per-project reads). */
  readonly reads: number;
  readonly answered: number;
  readonly outcome: ReadOutcome;
  /** The distinct failures, by code. */
  readonly failures: readonly ReadFailure[];
  /** Whether every answered body matched the schema (true when nothing was answered). */
  readonly matched: boolean;
  readonly itemCount?: number;
  readonly invalidItems?: number;
  readonly issues: readonly FieldIssue[];
  /** Field names, types and presence of the answered bodies. */
  readonly shape?: Shape;
}

export interface DoctorResult {
  readonly deployment: 'saas' | 'self-hosted';
  readonly endpoints: readonly EndpointResult[];
}

export interface DoctorOptions extends Omit<SentryClientOptions, 'baseUrl'> {
  readonly baseUrl: string;
  readonly orgSlug: string;
}

class Collector {
  reads = 0;
  answered = 0;
  readonly failures = new Map<string, ReadFailure>();
  readonly issues = new Map<string, FieldIssue>();
  readonly shape = new ShapeBuilder();
  matched = true;
  itemCount: number | undefined;
  invalidItems: number | undefined;
}

const unknownBody = z.unknown();

function asObject(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function stringsOf(v: unknown): string[] | undefined {
  return Array.isArray(v) && v.every((s) => typeof s === 'string') ? (v as string[]) : undefined;
}

function slugsOf(body: unknown): string[] {
  if (!Array.isArray(body)) return [];
  return body.flatMap((item) => {
    const slug = asObject(item)?.slug;
    return typeof slug === 'string' && slug !== '' ? [slug] : [];
  });
}

/** The first region that knows the organization, or undefined when none does. */
async function firstAnswer(
  bases: readonly SentryBaseUrl[],
  read: (base: SentryBaseUrl) => () => Promise<unknown>,
): Promise<{ base: SentryBaseUrl; body: unknown } | undefined> {
  for (const base of bases) {
    try {
      return { base, body: await read(base)() };
    } catch (e) {
      if (!(e instanceof SentryApiError) || e.code !== 'not_found') throw e;
    }
  }
  return undefined;
}

function issueKey(i: FieldIssue): string {
  return [i.field, i.problem, i.expected ?? '', i.got ?? ''].join('\u0000');
}

/** Runs the doctor's reads. Throws `SentryApiError` only when nothing can be read (URL, token, org). */
export async function runDoctor(options: DoctorOptions): Promise<DoctorResult> {
  const client = new SentryClient(options);
  const collectors = new Map(READ_SHAPES.map((s) => [s.key, new Collector()]));
  const col = (key: string): Collector => {
    const c = collectors.get(key);
    if (!c) throw new Error(`doctor: unknown read ${key}`);
    return c;
  };
  const record = (key: string, body: unknown): void => {
    const c = col(key);
    c.answered++;
    if (body !== null) c.shape.add(body);
    const check = checkBody(readShape(key), body);
    if (!check.matched) c.matched = false;
    if (check.itemCount !== undefined) c.itemCount = (c.itemCount ?? 0) + check.itemCount;
    if (check.invalidItems !== undefined) c.invalidItems = (c.invalidItems ?? 0) + check.invalidItems;
    for (const issue of check.issues) {
      const k = issueKey(issue);
      const prev = c.issues.get(k);
      c.issues.set(k, prev && issue.items !== undefined ? { ...issue, items: (prev.items ?? 0) + issue.items } : issue);
    }
  };

  /** One read; never throws except when `fatal` says the whole run cannot go on. */
  const attempt = async (key: string, run: () => Promise<unknown>, fatal?: (e: SentryApiError) => boolean): Promise<unknown> => {
    const c = col(key);
    c.reads++;
    try {
      const body = await run();
      record(key, body);
      return body;
    } catch (e) {
      if (!(e instanceof SentryApiError)) throw e;
      if (fatal?.(e)) throw e;
      if (!c.failures.has(e.code)) {
        c.failures.set(e.code, { code: e.code, message: e.message, ...(e.requiredScopes ? { requiredScopes: e.requiredScopes } : {}) });
      }
      return undefined;
    }
  };

  const get = (path: string, query?: Record<string, string | number>) => async () =>
    (await client.read(path, unknownBody, query ? { query } : {})).value;
  const list = (path: string, query?: Record<string, string | number>) => async () =>
    (await client.paginate(path, unknownBody, { perPage: 100, ...(query ? { query } : {}) })).items;

  try {
    const org = options.orgSlug;
    const index = asObject(await attempt('api-index', get('/api/0/'), (e) => e.code === 'unauthorized'));
    const auth = asObject(index?.auth);
    if (index && index.auth === null) {
      throw new SentryApiError({ code: 'unauthorized', endpoint: 'GET /api/0/', message: 'GET /api/0/: Sentry did not recognise the token (no authentication). Check that it was pasted completely.' });
    }
    const tokenScopes = stringsOf(auth?.scopes);
    if (tokenScopes) client.setScopes({ token: tokenScopes });

    const orgPath = apiPath`/api/0/organizations/${org}/`;
    const readOrg = (host: 'region' | SentryBaseUrl) => async () => (await client.read(orgPath, unknownBody, { query: ORGANIZATION_QUERY, host })).value;
    let orgBody: Record<string, unknown> | undefined;
    try {
      orgBody = asObject(await attempt('organization', readOrg('region'), (e) => e.code === 'not_found' || e.code === 'unauthorized'));
    } catch (e) {
      // As `connect`: on sentry.io an org the base does not know may live in another region.
      if (!(e instanceof SentryApiError) || e.code !== 'not_found' || (client.base.deployment !== 'saas' && !client.base.loopback)) throw e;
      const regions = asObject(await attempt('user-regions', get('/api/0/users/me/regions/')))?.regions;
      const bases = (Array.isArray(regions) ? regions : [])
        .map((r) => asObject(r)?.url)
        .flatMap((url) => (typeof url === 'string' ? [trustedRegionUrl(client.base, url)] : []))
        .filter((b): b is SentryBaseUrl => b !== undefined && b.url !== client.regionBase.url);
      const found = await firstAnswer(bases, readOrg);
      if (!found) throw e;
      client.useRegion(found.base.url);
      col('organization').failures.clear();
      record('organization', found.body);
      orgBody = asObject(found.body);
    }
    const regionUrl = asObject(orgBody?.links)?.regionUrl;
    if (typeof regionUrl === 'string' && regionUrl !== '' && (client.base.deployment === 'saas' || client.base.loopback)) client.useRegion(regionUrl);
    const access = stringsOf(orgBody?.access);
    if (access) client.setScopes({ orgAccess: access });

    const authProviderPath = apiPath`/api/0/organizations/${org}/auth-provider/`;
    const auditPath = apiPath`/api/0/organizations/${org}/audit-logs/`;
    const [, , teams, projects] = await Promise.all([
      attempt('auth-provider', async () => (await client.read(authProviderPath, unknownBody, { expectNoContent: true })).value),
      attempt('members', list(apiPath`/api/0/organizations/${org}/members/`)),
      attempt('teams', list(apiPath`/api/0/organizations/${org}/teams/`)),
      attempt('projects', list(apiPath`/api/0/organizations/${org}/projects/`)),
      attempt('org-project-keys', list(apiPath`/api/0/organizations/${org}/project-keys/`, { project: -1 })),
      attempt('audit-logs', async () => (await client.read(auditPath, unknownBody, { query: { per_page: 100 } })).value),
      attempt('integrations', list(apiPath`/api/0/organizations/${org}/integrations/`, { includeConfig: 0 })),
      attempt('sentry-apps', list(apiPath`/api/0/organizations/${org}/sentry-apps/`)),
      attempt('sentry-app-installations', list(apiPath`/api/0/organizations/${org}/sentry-app-installations/`)),
      attempt('org-auth-tokens', get(apiPath`/api/0/organizations/${org}/org-auth-tokens/`)),
    ]);
    await Promise.all([
      ...slugsOf(teams).map((team) => attempt('team-members', list(apiPath`/api/0/teams/${org}/${team}/members/`))),
      ...slugsOf(projects).flatMap((project) => [
        attempt('project-detail', get(apiPath`/api/0/projects/${org}/${project}/`)),
        attempt('project-keys', list(apiPath`/api/0/projects/${org}/${project}/keys/`)),
        attempt('project-filters', get(apiPath`/api/0/projects/${org}/${project}/filters/`)),
      ]),
    ]);
  } finally {
    client.close();
  }

  const endpoints: EndpointResult[] = [];
  for (const shape of READ_SHAPES) {
    const c = col(shape.key);
    if (c.reads === 0) continue;
    const codes = [...c.failures.keys()];
    const outcome: ReadOutcome =
      c.answered === c.reads
        ? 'answered'
        : c.answered > 0
          ? 'partly'
          : codes.length > 0 && codes.every((code) => code === 'session_only')
            ? 'session-only'
            : codes.every((code) => REFUSALS.has(code as ErrorCode))
              ? 'refused'
              : 'failed';
    endpoints.push({
      key: shape.key,
      endpoint: shape.endpoint,
      reads: c.reads,
      answered: c.answered,
      outcome,
      failures: [...c.failures.values()],
      matched: c.matched,
      ...(c.itemCount !== undefined ? { itemCount: c.itemCount } : {}),
      ...(c.invalidItems !== undefined ? { invalidItems: c.invalidItems } : {}),
      issues: [...c.issues.values()],
      ...(c.shape.isEmpty ? {} : { shape: c.shape.build() }),
    });
  }
  return { deployment: client.base.deployment === 'saas' ? 'saas' : 'self-hosted', endpoints };
}

/** A doctor result reduced to what may leave the machine: no message, count, slug or value. */
export function shapeReport(result: DoctorResult): unknown {
  return {
    format: 'sentry-harden-shape-report',
    formatVersion: '1',
    tool: { name: 'sentry-harden', version: TOOL_VERSION },
    deployment: result.deployment,
    endpoints: result.endpoints.map((e) => ({
      endpoint: e.endpoint,
      outcome: e.outcome,
      refusedWith: [...new Set(e.failures.map((f) => f.code))],
      needsAnyOf: [...new Set(e.failures.flatMap((f) => f.requiredScopes ?? []))],
      matchedSchema: e.matched,
      issues: e.issues.map((i) => ({ field: i.field, problem: i.problem, ...(i.expected ? { expected: i.expected } : {}), ...(i.got ? { got: i.got } : {}) })),
      ...(e.shape ? { shape: e.shape } : {}),
    })),
  };
}
