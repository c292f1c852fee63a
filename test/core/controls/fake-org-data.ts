import { createHash } from 'node:crypto';
import type { Evidence } from '../../../shared/finding';
import { levelIncludes } from '../../../shared/levels';
import type { Level } from '../../../shared/levels';
import { AUDIT_SCOPES, FIX_SCOPES, expandScopes } from '../../../shared/scopes';
import { SentryApiError } from '../../../core/sentry/errors';
import type { Loaded, OrgData } from '../../../core/sentry/org-data';
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
  ProjectDetail,
  ProjectKey,
  ProjectSummary,
  SentryApp,
  SentryAppInstallation,
  Team,
  TeamMember,
} from '../../../core/sentry/schemas';
import { DEFAULT_AUDIT_SETTINGS } from '../../../core/controls/settings';
import type { AuditSettings, ControlContext, IntegrationRegisterEntry, TokenInfo } from '../../../core/controls/types';

export interface FakeOrgState {
  tokenInfo: ApiIndex;
  organization: Organization;
  authProvider: AuthProvider | null;
  members: Member[];
  /** Invites on the new invite model (GET /invited-members/); undefined: the read 404s. */
  memberInvites?: MemberInvite[];
  teams: Team[];
  teamMembers: Record<string, TeamMember[]>;
  projects: ProjectSummary[];
  projectDetails: Record<string, ProjectDetail>;
  projectKeys: ProjectKey[];
  projectFilters: Record<string, InboundFilter[]>;
  auditLog: AuditLogEntry[];
  integrations: Integration[];
  sentryApps: SentryApp[];
  sentryAppInstallations: SentryAppInstallation[];
  orgAuthTokens: OrgAuthToken[];
}

const FETCHED_AT = '2026-09-01T12:00:00.000Z';

/**
 * OrgData over an in-memory organization, with real Evidence objects. Each read is memoized like
 * the real client; `requests` lists the reads that would have gone over the wire. Failures and
 * incomplete pagination are injected per read key (`members`, `projectDetail:web`, ...).
 */
export class FakeOrgData implements OrgData {
  readonly requests: string[] = [];
  readonly failures = new Map<string, SentryApiError>();
  readonly incomplete = new Set<string>();
  private readonly cache = new Map<string, Promise<Loaded<unknown>>>();

  constructor(
    readonly state: FakeOrgState,
    readonly orgSlug = 'acme',
  ) {}

  failWith(key: string, code: SentryApiError['code'], extra: { requiredScopes?: string[]; status?: number; message?: string } = {}): this {
    this.failures.set(
      key,
      new SentryApiError({
        code,
        message: extra.message ?? `fake ${code}`,
        status: extra.status ?? (code === 'missing_scope' ? 403 : 500),
        ...(extra.requiredScopes ? { requiredScopes: extra.requiredScopes } : {}),
      }),
    );
    return this;
  }

  private load<T>(key: string, path: string, value: () => T | undefined): Promise<Loaded<T>> {
    const hit = this.cache.get(key);
    if (hit) return hit as Promise<Loaded<T>>;
    const p = (async (): Promise<Loaded<T>> => {
      this.requests.push(key);
      const failure = this.failures.get(key);
      if (failure) return { ok: false, error: failure };
      const v = value();
      if (v === undefined) {
        return { ok: false, error: new SentryApiError({ code: 'not_found', message: 'The requested resource does not exist', status: 404 }) };
      }
      return { ok: true, value: v, evidence: evidenceFor(path, v, !this.incomplete.has(key)) };
    })();
    this.cache.set(key, p);
    return p;
  }

  tokenInfo() {
    return this.load('tokenInfo', '/api/0/', () => this.state.tokenInfo);
  }
  organization() {
    return this.load('organization', `/api/0/organizations/${this.orgSlug}/`, () => this.state.organization);
  }
  authProvider() {
    return this.load('authProvider', `/api/0/organizations/${this.orgSlug}/auth-provider/`, () => this.state.authProvider);
  }
  members() {
    return this.load('members', `/api/0/organizations/${this.orgSlug}/members/`, () => this.state.members);
  }
  memberInvites() {
    return this.load('memberInvites', `/api/0/organizations/${this.orgSlug}/invited-members/`, () => this.state.memberInvites);
  }
  teams() {
    return this.load('teams', `/api/0/organizations/${this.orgSlug}/teams/`, () => this.state.teams);
  }
  teamMembers(teamSlug: string) {
    return this.load(`teamMembers:${teamSlug}`, `/api/0/teams/${this.orgSlug}/${teamSlug}/members/`, () => this.state.teamMembers[teamSlug]);
  }
  projects() {
    return this.load('projects', `/api/0/organizations/${this.orgSlug}/projects/`, () => this.state.projects);
  }
  projectDetail(projectSlug: string) {
    return this.load(`projectDetail:${projectSlug}`, `/api/0/projects/${this.orgSlug}/${projectSlug}/`, () => this.state.projectDetails[projectSlug]);
  }
  projectKeys() {
    return this.load('projectKeys', `/api/0/organizations/${this.orgSlug}/project-keys/`, () => this.state.projectKeys);
  }
  projectFilters(projectSlug: string) {
    return this.load(`projectFilters:${projectSlug}`, `/api/0/projects/${this.orgSlug}/${projectSlug}/filters/`, () => this.state.projectFilters[projectSlug]);
  }
  auditLog() {
    return this.load('auditLog', `/api/0/organizations/${this.orgSlug}/audit-logs/`, () => this.state.auditLog);
  }
  integrations() {
    return this.load('integrations', `/api/0/organizations/${this.orgSlug}/integrations/`, () => this.state.integrations);
  }
  sentryApps() {
    return this.load('sentryApps', `/api/0/organizations/${this.orgSlug}/sentry-apps/`, () => this.state.sentryApps);
  }
  sentryAppInstallations() {
    return this.load('sentryAppInstallations', `/api/0/organizations/${this.orgSlug}/sentry-app-installations/`, () => this.state.sentryAppInstallations);
  }
  orgAuthTokens() {
    return this.load('orgAuthTokens', `/api/0/organizations/${this.orgSlug}/org-auth-tokens/`, () => this.state.orgAuthTokens);
  }
}

function evidenceFor(path: string, value: unknown, complete: boolean): Evidence {
  const body = JSON.stringify(value);
  const items = Array.isArray(value) ? value.length : value === null ? 0 : 1;
  return {
    method: 'GET',
    endpoint: path,
    query: {},
    pages: 1,
    items,
    complete,
    fetchedAt: FETCHED_AT,
    responses: [
      {
        url: `https://sentry.example.test${path}`,
        status: value === null ? 204 : 200,
        sha256: createHash('sha256').update(body).digest('hex'),
        items,
        fetchedAt: FETCHED_AT,
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// A well-hardened organization: every check passes or asks for a person, nothing fails.

export const NOW = new Date('2026-09-01T12:00:00Z');
const recent = '2026-08-20T10:00:00.000000Z';
const lastYear = '2026-03-01T10:00:00.000000Z';

function user(id: string, email: string, has2fa: boolean) {
  return { id, email, name: email.split('@')[0], has2fa, isActive: true };
}

export function member(
  id: string,
  email: string,
  orgRole: string,
  opts: { has2fa?: boolean; pending?: boolean; expired?: boolean; ssoLinked?: boolean } = {},
): Member {
  const pending = opts.pending ?? false;
  return {
    id,
    email,
    name: email.split('@')[0],
    user: pending ? null : user(`u${id}`, email, opts.has2fa ?? true),
    orgRole,
    pending,
    expired: opts.expired ?? false,
    flags: { 'sso:linked': opts.ssoLinked ?? false, 'sso:invalid': false },
    dateCreated: lastYear,
    inviteStatus: 'approved',
  };
}

function projectDetail(id: string, slug: string, teamSlug: string): ProjectDetail {
  return {
    id,
    slug,
    name: slug,
    platform: 'javascript',
    status: 'active',
    allowedDomains: [`https://${slug}.acme.test`],
    dataScrubber: true,
    dataScrubberDefaults: true,
    sensitiveFields: [],
    safeFields: [],
    scrubIPAddresses: true,
    relayPiiConfig: null,
    options: { 'filters:blacklisted_ips': '' },
    teams: [{ id: `t-${teamSlug}`, slug: teamSlug, name: teamSlug }],
  };
}

function key(pub: string, projectId: number, dateCreated: string | null = recent): ProjectKey {
  return {
    id: pub,
    name: `key ${pub.slice(0, 4)}`,
    label: `key ${pub.slice(0, 4)}`,
    public: pub,
    projectId,
    isActive: true,
    rateLimit: { window: 60, count: 1000 },
    dateCreated,
  };
}

export const ACTIVE_FILTERS: InboundFilter[] = [
  { id: 'browser-extensions', active: true },
  { id: 'localhost', active: true },
  { id: 'filtered-transaction', active: true },
  { id: 'web-crawlers', active: true },
  { id: 'legacy-browsers', active: false },
];

export function hardenedState(): FakeOrgState {
  const owner = member('1', 'alice@acme.test', 'owner');
  const manager = member('2', 'bob@acme.test', 'manager');
  const carol = member('3', 'carol@acme.test', 'member', { has2fa: false, ssoLinked: true });
  const dave = member('4', 'dave@acme.test', 'member');
  return {
    tokenInfo: {
      version: '0',
      auth: { scopes: [...expandScopes(FIX_SCOPES), ...AUDIT_SCOPES] },
      user: { id: 'u1', email: 'alice@acme.test', has2fa: true },
    },
    organization: {
      id: '100',
      slug: 'acme',
      name: 'Acme Corp',
      require2FA: false,
      hasAuthProvider: true,
      openMembership: false,
      allowMemberInvite: false,
      allowMemberProjectCreation: false,
      defaultRole: 'member',
      dataScrubber: true,
      dataScrubberDefaults: true,
      sensitiveFields: ['cookie', 'session', 'card_number', 'ssn'],
      safeFields: [],
      scrubIPAddresses: true,
      relayPiiConfig: null,
      trustedRelays: [{ name: 'edge-relay', publicKey: 'pk-edge', description: 'DMZ relay' }],
      features: ['sso-basic', 'sso-saml2'],
    },
    authProvider: { id: '7', provider_name: 'saml2', pending_links_count: 0, require_link: true, default_role: 'member' },
    members: [owner, manager, carol, dave],
    teams: [
      { id: 't-backend', slug: 'backend', name: 'Backend', projects: [{ id: '1', slug: 'api' }] },
      { id: 't-frontend', slug: 'frontend', name: 'Frontend', projects: [{ id: '2', slug: 'web' }] },
    ],
    teamMembers: { backend: [{ ...carol, teamRole: 'contributor' }], frontend: [{ ...dave, teamRole: 'admin' }] },
    projects: [
      { id: '1', slug: 'api', name: 'api', platform: 'python', teams: [{ id: 't-backend', slug: 'backend', name: 'Backend' }] },
      { id: '2', slug: 'web', name: 'web', platform: 'javascript', teams: [{ id: 't-frontend', slug: 'frontend', name: 'Frontend' }] },
    ],
    projectDetails: { api: projectDetail('1', 'api', 'backend'), web: projectDetail('2', 'web', 'frontend') },
    projectKeys: [key('a'.repeat(32), 1), key('b'.repeat(32), 2)],
    projectFilters: { api: ACTIVE_FILTERS, web: ACTIVE_FILTERS },
    auditLog: [
      { id: '9', event: 'org.edit', actor: { name: 'alice' }, note: 'edited the organization setting: require_2fa', dateCreated: recent },
      { id: '8', event: 'project.create', actor: { name: 'bob' }, note: 'created project web', dateCreated: lastYear },
      { id: '7', event: 'member.invite', actor: { name: 'alice' }, note: 'invited member dave', dateCreated: lastYear },
    ],
    integrations: [
      { id: '10', name: 'acme-gh', domainName: 'github.com/acme', status: 'active', scopes: null, provider: { key: 'github', name: 'GitHub' } },
    ],
    sentryApps: [{ name: 'Deploy bot', slug: 'deploy-bot', uuid: 'uuid-deploy', status: 'internal', scopes: ['project:read', 'event:read'] }],
    sentryAppInstallations: [{ app: { uuid: 'uuid-deploy', slug: 'deploy-bot' }, organization: { slug: 'acme' }, uuid: 'inst-1', status: 'installed' }],
    orgAuthTokens: [
      { id: '5', name: 'CI web', scopes: ['org:ci'], tokenLastCharacters: 'AbCd', dateCreated: lastYear, dateLastUsed: recent, projectLastUsedId: '2' },
    ],
  };
}

export const REGISTER: IntegrationRegisterEntry[] = [
  { integration: 'github', permissions: ['repo:read'], rationale: 'Link commits to issues', owner: 'platform team', lastReviewed: '2026-08-01' },
  {
    integration: 'deploy-bot',
    permissions: ['project:read', 'event:read'],
    rationale: 'Posts deploy markers',
    owner: 'sre team',
    lastReviewed: '2026-07-15',
  },
];

export interface CtxOptions {
  level?: Level;
  now?: Date;
  settings?: Partial<AuditSettings>;
  token?: Partial<TokenInfo>;
  sessionScopes?: { audit: readonly string[]; fix: readonly string[] };
  integrationRegister?: readonly IntegrationRegisterEntry[];
}

export function makeCtx(data: OrgData, opts: CtxOptions = {}): ControlContext {
  const level = opts.level ?? 'L3';
  return {
    data,
    level,
    now: opts.now ?? NOW,
    settings: { ...DEFAULT_AUDIT_SETTINGS, ...opts.settings },
    token: {
      kind: 'user',
      scopes: [...expandScopes(FIX_SCOPES), ...AUDIT_SCOPES],
      user: { id: 'u1', email: 'alice@acme.test', has2fa: true },
      ...opts.token,
    },
    sessionScopes: opts.sessionScopes ?? { audit: AUDIT_SCOPES, fix: FIX_SCOPES },
    integrationRegister: opts.integrationRegister ?? REGISTER,
    includes: (l) => levelIncludes(level, l),
  };
}
