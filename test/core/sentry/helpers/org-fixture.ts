// A tiny organization split the way sentry.io splits it: control-silo routes on one server,
// region routes on another. A route asked on the wrong server answers 404.
import type { FakeHandler, FakeRequest, FakeResponse } from './fake-sentry';
import { paginate } from './fake-sentry';

export const ORG = 'acme';

export function member(i: number) {
  return {
    id: String(100 + i),
    email: `m${i}@acme.test`,
    name: `Member ${i}`,
    user: { id: String(1000 + i), email: `m${i}@acme.test`, name: `Member ${i}`, has2fa: i % 2 === 0 },
    orgRole: i === 0 ? 'owner' : 'member',
    pending: false,
    expired: false,
    flags: { 'sso:linked': false },
    dateCreated: '2024-01-01T00:00:00.000000Z',
    inviteStatus: 'approved',
  };
}

export function project(i: number) {
  return { id: String(10 + i), slug: `p${i}`, name: `Project ${i}`, platform: 'javascript', teams: [{ id: '1', slug: 'core', name: 'Core' }] };
}

export function projectDetail(i: number) {
  return {
    ...project(i),
    status: 'active',
    allowedDomains: ['*'],
    dataScrubber: true,
    dataScrubberDefaults: true,
    sensitiveFields: [],
    safeFields: [],
    scrubIPAddresses: false,
    relayPiiConfig: null,
    options: { 'filters:blacklisted_ips': '' },
  };
}

export function key(projectIndex: number, k: number) {
  const pub = `${projectIndex.toString(16).padStart(16, '0')}${k.toString(16).padStart(16, '0')}`;
  return {
    id: pub,
    name: `key ${k}`,
    label: `key ${k}`,
    public: pub,
    secret: 'f'.repeat(32),
    projectId: 10 + projectIndex,
    isActive: true,
    rateLimit: null,
    browserSdkVersion: '7.x',
    dateCreated: '2024-01-01T00:00:00.000000Z',
  };
}

export interface FixtureOptions {
  members?: number;
  projects?: number;
  keysPerProject?: number;
  /** The org-wide key list is unavailable (old server): 404. */
  noOrgWideKeys?: boolean;
  /** regionUrl the org advertises. */
  regionUrl: string;
  /** Where Sentry builds its Link URLs (url-prefix). */
  linkBase?: string;
}

export function organization(regionUrl: string) {
  return {
    id: '1',
    slug: ORG,
    name: 'Acme',
    links: { organizationUrl: `https://${ORG}.sentry.io`, regionUrl },
    require2FA: false,
    openMembership: true,
    defaultRole: 'member',
    dataScrubber: false,
    dataScrubberDefaults: false,
    sensitiveFields: [],
    safeFields: [],
    scrubIPAddresses: false,
    features: ['sso-basic'],
    access: ['org:read', 'org:write', 'member:read', 'team:read', 'project:read'],
    orgRole: 'owner',
  };
}

const NOT_FOUND: FakeResponse = { status: 404, body: { detail: 'The requested resource does not exist' } };

function fixtureData(o: FixtureOptions) {
  const members = Array.from({ length: o.members ?? 3 }, (_, i) => member(i));
  const projects = Array.from({ length: o.projects ?? 2 }, (_, i) => project(i));
  const keys = projects.flatMap((_, p) => Array.from({ length: o.keysPerProject ?? 1 }, (_, k) => key(p, k)));
  return { members, projects, keys };
}

/** Routes of the control silo. */
export function controlHandler(o: FixtureOptions): FakeHandler {
  const linkBase = o.linkBase ?? 'https://sentry.io';
  return (req: FakeRequest) => {
    const p = req.path;
    const list = (items: unknown[]) => paginate(req, items, { linkBase });
    if (p === '/api/0/') {
      return {
        body: {
          version: '0',
          auth: { scopes: ['org:write', 'member:read', 'team:read', 'project:read'] },
          user: { id: '1000', name: 'Owner', email: 'm0@acme.test', has2fa: true },
        },
      };
    }
    if (p === `/api/0/organizations/${ORG}/`) return { body: organization(o.regionUrl) };
    if (p === `/api/0/organizations/${ORG}/audit-logs/`) {
      const page = list([{ id: '1', event: 'org.edit', actor: { name: 'Owner' }, data: {}, dateCreated: '2024-05-01T10:00:00.000000Z' }]);
      return { ...page, body: { rows: page.body, options: ['org.edit'] } };
    }
    if (p === `/api/0/organizations/${ORG}/integrations/`) {
      return list([{ id: '5', name: 'GitHub', status: 'active', provider: { key: 'github', name: 'GitHub' }, scopes: null }]);
    }
    if (p === `/api/0/organizations/${ORG}/sentry-apps/`) {
      return list([{ name: 'Bot', slug: 'bot', uuid: 'u-1', status: 'internal', scopes: ['org:admin'] }]);
    }
    if (p === `/api/0/organizations/${ORG}/sentry-app-installations/`) {
      return list([{ app: { uuid: 'u-1', slug: 'bot' }, organization: { slug: ORG }, uuid: 'i-1', status: 'installed' }]);
    }
    if (p === `/api/0/organizations/${ORG}/org-auth-tokens/`) {
      return { body: [{ id: '12', name: 'CI', scopes: ['org:ci'], tokenLastCharacters: 'AbCd', dateCreated: '2024-01-01T00:00:00Z', dateLastUsed: null }] };
    }
    return NOT_FOUND;
  };
}

/** Routes of the region silo. */
export function regionHandler(o: FixtureOptions): FakeHandler {
  const linkBase = o.linkBase ?? 'https://sentry.io';
  const data = fixtureData(o);
  return (req: FakeRequest) => {
    const p = req.path;
    const list = (items: unknown[]) => paginate(req, items, { linkBase });
    if (p === `/api/0/organizations/${ORG}/`) return { body: organization(o.regionUrl) };
    if (p === `/api/0/organizations/${ORG}/members/`) return list(data.members);
    // auth-provider is @region_silo_endpoint (organization_auth_provider_details.py).
    if (p === `/api/0/organizations/${ORG}/auth-provider/`) return { status: 204 };
    if (p === `/api/0/organizations/${ORG}/teams/`) {
      return list([{ id: '1', slug: 'core', name: 'Core', memberCount: 2, projects: data.projects.map((x) => ({ id: x.id, slug: x.slug, name: x.name })) }]);
    }
    if (p === `/api/0/teams/${ORG}/core/members/`) return list(data.members.slice(0, 2).map((m) => ({ ...m, teamRole: 'admin', teamSlug: 'core' })));
    if (p === `/api/0/organizations/${ORG}/projects/`) return list(data.projects);
    if (p === `/api/0/organizations/${ORG}/project-keys/`) return o.noOrgWideKeys ? NOT_FOUND : list(data.keys);
    const proj = /^\/api\/0\/projects\/acme\/p(\d+)\/(keys\/|filters\/)?$/.exec(p);
    if (proj) {
      const i = Number(proj[1]);
      if (i >= data.projects.length) return NOT_FOUND;
      if (proj[2] === 'keys/') return list(data.keys.filter((k) => k.projectId === 10 + i));
      if (proj[2] === 'filters/') return { body: [{ id: 'localhost', active: false }, { id: 'legacy-browsers', active: ['ie'] }] };
      return { body: projectDetail(i) };
    }
    return NOT_FOUND;
  };
}
