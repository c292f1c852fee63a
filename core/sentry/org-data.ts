import type { z } from 'zod';
import type { Evidence } from '../../shared/finding';
import type { Fetched, Paginated, SentryClient } from './client';
import { apiPath } from './client';
import { SentryApiError } from './errors';
import {
  ApiIndexSchema,
  AuditLogBodySchema,
  AuditLogEntrySchema,
  AuthProviderSchema,
  InboundFilterSchema,
  IntegrationSchema,
  MemberInviteSchema,
  MemberSchema,
  OrgAuthTokenSchema,
  OrganizationReadSchema,
  OrganizationSchema,
  ORGANIZATION_SETTINGS_FIELDS,
  ProjectDetailSchema,
  ProjectKeySchema,
  ProjectSummarySchema,
  SentryAppInstallationSchema,
  SentryAppSchema,
  TeamMemberSchema,
  TeamSchema,
} from './schemas';
import type {
  ApiIndex,
  AuditLogEntry,
  AuthProvider,
  InboundFilter,
  Integration,
  Member,
  MemberInvite,
  OrgAuthToken,
  Organization,
  OrganizationRead,
  ProjectDetail,
  ProjectKey,
  ProjectSummary,
  SentryApp,
  SentryAppInstallation,
  Team,
  TeamMember,
} from './schemas';

/**
 * The outcome of one logical read. Reads never throw: a control must look at `ok` and turn a
 * failure into an `error` finding. `evidence.complete` is false when pagination stopped early.
 */
export type Loaded<T> =
  | { ok: true; value: T; evidence: Evidence }
  | { ok: false; error: SentryApiError; evidence?: Evidence };

/**
 * Read access to one organization, memoized: each read is made at most once per audit, however
 * many controls need it (the audit-scale benchmark holds us to the minimum request count).
 */
export interface OrgData {
  readonly orgSlug: string;
  /** GET /api/0/ : the token's scopes and user. */
  tokenInfo(): Promise<Loaded<ApiIndex>>;
  /** GET /organizations/{org}/?include_feature_flags=1 */
  organization(): Promise<Loaded<Organization>>;
  /** GET /organizations/{org}/auth-provider/ ; `null` when Sentry answers 204 (no SSO). */
  authProvider(): Promise<Loaded<AuthProvider | null>>;
  /** GET /organizations/{org}/members/ (all pages). */
  members(): Promise<Loaded<Member[]>>;
  /**
   * GET /organizations/{org}/invited-members/ (all pages): invites of an org on the new invite
   * model, which the members list no longer shows (organization_member_invite/index.py).
   */
  memberInvites(): Promise<Loaded<MemberInvite[]>>;
  /** GET /organizations/{org}/teams/ (all pages, with projects). */
  teams(): Promise<Loaded<Team[]>>;
  /** GET /teams/{org}/{team}/members/ (all pages). */
  teamMembers(teamSlug: string): Promise<Loaded<TeamMember[]>>;
  /** GET /organizations/{org}/projects/ (all pages). */
  projects(): Promise<Loaded<ProjectSummary[]>>;
  /** GET /projects/{org}/{project}/ */
  projectDetail(projectSlug: string): Promise<Loaded<ProjectDetail>>;
  /** Every client key of every project (org-wide list when available, else per project). */
  projectKeys(): Promise<Loaded<ProjectKey[]>>;
  /** GET /projects/{org}/{project}/filters/ (unpaginated). */
  projectFilters(projectSlug: string): Promise<Loaded<InboundFilter[]>>;
  /** GET /organizations/{org}/audit-logs/ : the most recent page. */
  auditLog(): Promise<Loaded<AuditLogEntry[]>>;
  /** GET /organizations/{org}/integrations/ (all pages). */
  integrations(): Promise<Loaded<Integration[]>>;
  /** GET /organizations/{org}/sentry-apps/ (all pages). */
  sentryApps(): Promise<Loaded<SentryApp[]>>;
  /** GET /organizations/{org}/sentry-app-installations/ (all pages). */
  sentryAppInstallations(): Promise<Loaded<SentryAppInstallation[]>>;
  /** GET /organizations/{org}/org-auth-tokens/ (unpaginated). */
  orgAuthTokens(): Promise<Loaded<OrgAuthToken[]>>;
}

// --- implementation -----------------------------------------------------------------------------

/** The query of every organization read: no teams/projects (faster), with `features`. */
export const ORGANIZATION_QUERY = { detailed: 0, include_feature_flags: 1 } as const;

export interface OrgDataSeed {
  /** Reads already made (by `connect`), reused instead of asked again. */
  readonly tokenInfo?: Fetched<ApiIndex>;
  readonly organization?: Fetched<OrganizationRead>;
}

export interface OrgDataOptions {
  readonly seed?: OrgDataSeed;
}

function fail(e: unknown, fallbackEndpoint: string): { ok: false; error: SentryApiError; evidence?: Evidence } {
  const error =
    e instanceof SentryApiError
      ? e
      : new SentryApiError({ code: 'internal', endpoint: fallbackEndpoint, message: `${fallbackEndpoint}: unexpected failure while reading.` });
  return error.evidence ? { ok: false, error, evidence: error.evidence } : { ok: false, error };
}

async function load<T>(endpoint: string, read: () => Promise<Fetched<T>>): Promise<Loaded<T>> {
  try {
    const { value, evidence } = await read();
    return { ok: true, value, evidence };
  } catch (e) {
    return fail(e, endpoint);
  }
}

async function loadAll<T>(endpoint: string, read: () => Promise<Paginated<T>>): Promise<Loaded<T[]>> {
  try {
    const { items, evidence } = await read();
    return { ok: true, value: items, evidence };
  } catch (e) {
    return fail(e, endpoint);
  }
}

/**
 * One Evidence for a read made of several (per-project keys): pages and items add up, and the
 * invalid items keep their place (index over the merged list).
 */
function mergeEvidence(endpoint: string, parts: readonly Evidence[], complete: boolean): Evidence {
  let offset = 0;
  const invalid = parts.flatMap((e) => {
    const shifted = (e.invalid ?? []).map((i) => ({ ...i, index: i.index + offset }));
    offset += e.items;
    return shifted;
  });
  return {
    method: 'GET',
    endpoint,
    query: parts[0]?.query ?? {},
    pages: parts.reduce((n, e) => n + e.pages, 0),
    items: parts.reduce((n, e) => n + e.items, 0),
    complete: complete && parts.every((e) => e.complete),
    fetchedAt: parts.map((e) => e.fetchedAt).sort()[0] ?? new Date().toISOString(),
    responses: parts.flatMap((e) => e.responses),
    ...(invalid.length > 0 ? { invalid } : {}),
  };
}

/**
 * The detail, or the reason it is not: Sentry answers the summary serializer (no settings) when the
 * request lacks org:read (organization_details.py `get`). That becomes `missing_scope` naming
 * org:read, so every settings check is an `error` saying so; a token that holds org:read and still
 * gets no settings is a malformed response naming the fields.
 */
function fullOrganization(endpoint: string, value: OrganizationRead, evidence: Evidence, held: ReadonlySet<string> | null): Loaded<Organization> {
  const parsed = OrganizationSchema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data, evidence };
  const missing = ORGANIZATION_SETTINGS_FIELDS.filter((f) => (value as Record<string, unknown>)[f] === undefined);
  const summary = missing.length === ORGANIZATION_SETTINGS_FIELDS.length;
  const error =
    summary && !(held?.has('org:read') ?? false)
      ? new SentryApiError({
          code: 'missing_scope',
          endpoint,
          status: 200,
          requiredScopes: ['org:read'],
          message: `${endpoint}: Sentry answered the organization summary, without its settings (${missing.join(', ')}), because the token lacks org:read. Add org:read to the token.`,
          evidence,
        })
      : new SentryApiError({
          code: 'malformed_response',
          endpoint,
          status: 200,
          message: `${endpoint}: the organization lacks fields the checks read (${parsed.error.issues.map((i) => i.path.join('.') || i.message).join(', ')}).`,
          evidence,
        });
  return { ok: false, error, evidence };
}

/** Codes after which the org-wide keys list is replaced by the per-project lists. */
const KEYS_FALLBACK_CODES: ReadonlySet<string> = new Set(['forbidden', 'missing_scope', 'not_found', 'bad_request']);

/**
 * The memoized reads of one organization for one audit. Every read is made once, whatever the
 * number of callers; concurrent callers share the promise. Reads never throw.
 */
export function createOrgData(client: SentryClient, orgSlug: string, options: OrgDataOptions = {}): OrgData {
  const memo = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, run: () => Promise<T>): Promise<T> => {
    let p = memo.get(key) as Promise<T> | undefined;
    if (!p) {
      p = run();
      memo.set(key, p);
    }
    return p;
  };
  const org = orgSlug;
  const PER_PAGE = 100;

  const tokenInfo = (): Promise<Loaded<ApiIndex>> =>
    once('tokenInfo', async () => {
      const seeded = options.seed?.tokenInfo;
      const loaded = seeded
        ? ({ ok: true, value: seeded.value, evidence: seeded.evidence } as const)
        : await load('GET /api/0/', () => client.read('/api/0/', ApiIndexSchema));
      if (loaded.ok && loaded.value.auth) client.setScopes({ token: loaded.value.auth.scopes });
      return loaded;
    });

  const organization = (): Promise<Loaded<Organization>> =>
    once('organization', async () => {
      const seeded = options.seed?.organization;
      const path = apiPath`/api/0/organizations/${org}/`;
      const loaded = seeded
        ? ({ ok: true, value: seeded.value, evidence: seeded.evidence } as const)
        : await load(`GET ${path}`, () =>
            client.read(path, OrganizationReadSchema, { query: ORGANIZATION_QUERY }),
          );
      if (loaded.ok && loaded.value.access) client.setScopes({ orgAccess: loaded.value.access });
      if (!loaded.ok) return loaded;
      return fullOrganization(`GET ${path}`, loaded.value, loaded.evidence, client.scopesHeld());
    });

  const paginated = <T>(key: string, path: string, schema: z.ZodType<T>, query?: Record<string, string | number>) =>
    once(key, () => loadAll(`GET ${path}`, () => client.paginate(path, schema, { perPage: PER_PAGE, query })));

  const projects = (): Promise<Loaded<ProjectSummary[]>> =>
    paginated('projects', apiPath`/api/0/organizations/${org}/projects/`, ProjectSummarySchema);

  const perProjectKeys = async (orgWideError: SentryApiError): Promise<Loaded<ProjectKey[]>> => {
    const list = await projects();
    if (!list.ok) return list;
    const endpoint = `/api/0/projects/${org}/{project}/keys/`;
    const results = await Promise.all(
      list.value.map((p) =>
        loadAll(`GET ${endpoint}`, () =>
          client.paginate(apiPath`/api/0/projects/${org}/${p.slug}/keys/`, ProjectKeySchema, { perPage: PER_PAGE }),
        ),
      ),
    );
    const evidence = mergeEvidence(endpoint, results.flatMap((r) => (r.evidence ? [r.evidence] : [])), true);
    const failed = results.find((r) => !r.ok);
    if (failed && !failed.ok) {
      const error = new SentryApiError({
        code: failed.error.code,
        endpoint: failed.error.endpoint,
        status: failed.error.status,
        requiredScopes: failed.error.requiredScopes,
        message: `${failed.error.message} (Read per project because the org-wide key list failed: ${orgWideError.code}.)`,
        evidence: { ...evidence, complete: false },
      });
      return { ok: false, error, evidence: error.evidence };
    }
    return { ok: true, value: results.flatMap((r) => (r.ok ? r.value : [])), evidence };
  };

  return {
    orgSlug,
    tokenInfo,
    organization,
    authProvider: () =>
      once('authProvider', () => {
        const path = apiPath`/api/0/organizations/${org}/auth-provider/`;
        return load(`GET ${path}`, () => client.read(path, AuthProviderSchema, { expectNoContent: true }));
      }),
    members: () => paginated('members', apiPath`/api/0/organizations/${org}/members/`, MemberSchema),
    memberInvites: () => paginated('memberInvites', apiPath`/api/0/organizations/${org}/invited-members/`, MemberInviteSchema),
    // The teams list carries each team's projects unless detailed=0, so no per-team read.
    teams: () => paginated('teams', apiPath`/api/0/organizations/${org}/teams/`, TeamSchema),
    teamMembers: (teamSlug: string) =>
      paginated(`teamMembers:${teamSlug}`, apiPath`/api/0/teams/${org}/${teamSlug}/members/`, TeamMemberSchema),
    projects,
    projectDetail: (projectSlug: string) =>
      once(`projectDetail:${projectSlug}`, () => {
        const path = apiPath`/api/0/projects/${org}/${projectSlug}/`;
        return load(`GET ${path}`, () => client.read(path, ProjectDetailSchema));
      }),
    // One org-wide read; project=-1 includes every project the caller can access, not only
    // those of its teams (REFERENCE.md 6). Older servers lack it: then per project.
    projectKeys: () =>
      once('projectKeys', async () => {
        const path = apiPath`/api/0/organizations/${org}/project-keys/`;
        const orgWide = await loadAll(`GET ${path}`, () =>
          client.paginate(path, ProjectKeySchema, { perPage: PER_PAGE, query: { project: -1 } }),
        );
        if (orgWide.ok || !KEYS_FALLBACK_CODES.has(orgWide.error.code)) return orgWide;
        return perProjectKeys(orgWide.error);
      }),
    projectFilters: (projectSlug: string) =>
      once(`projectFilters:${projectSlug}`, () => {
        const path = apiPath`/api/0/projects/${org}/${projectSlug}/filters/`;
        return load(`GET ${path}`, () => client.readList(path, InboundFilterSchema));
      }),
    // Only the newest page: enough to see recent changes; evidence says complete: false if more exist.
    auditLog: () =>
      once('auditLog', () => {
        const path = apiPath`/api/0/organizations/${org}/audit-logs/`;
        return loadAll(`GET ${path}`, () =>
          client.paginate(
            path,
            { pageSchema: AuditLogBodySchema, extract: (entries) => entries, item: AuditLogEntrySchema },
            { perPage: PER_PAGE, limitPages: 1 },
          ),
        );
      }),
    // includeConfig=0: by default Sentry fetches each integration's config from the third party,
    // which is slow and, on an error there, reports the integration as "disabled"
    // (organization_integrations_index.py, OrganizationIntegrationSerializer).
    integrations: () =>
      paginated('integrations', apiPath`/api/0/organizations/${org}/integrations/`, IntegrationSchema, { includeConfig: 0 }),
    sentryApps: () => paginated('sentryApps', apiPath`/api/0/organizations/${org}/sentry-apps/`, SentryAppSchema),
    sentryAppInstallations: () =>
      paginated(
        'sentryAppInstallations',
        apiPath`/api/0/organizations/${org}/sentry-app-installations/`,
        SentryAppInstallationSchema,
      ),
    orgAuthTokens: () =>
      once('orgAuthTokens', () => {
        const path = apiPath`/api/0/organizations/${org}/org-auth-tokens/`;
        return load(`GET ${path}`, () => client.readList(path, OrgAuthTokenSchema));
      }),
  };
}
