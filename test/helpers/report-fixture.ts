import { EVIDENCE_SCHEMA_VERSION, EvidenceReportSchema, SIGNATURE_DISCLAIMER } from '../../shared/evidence';
import type { AuditSnapshot, ChangeRecord, Drift, EvidenceReport, PackageRead, RawResponse } from '../../shared/evidence';
import { countByStatus } from '../../shared/finding';
import type { EvidenceRef, Finding, FindingStatus, ResourceRef } from '../../shared/finding';
import type { Level } from '../../shared/levels';
import { AUDIT_SCOPES, FIX_SCOPES } from '../../shared/scopes';
import type { ExceptionEntry } from '../../shared/settings';
import { CONTROLS, DEFAULT_AUDIT_SETTINGS } from '../../core/controls/index';
import { readDigest } from '../../core/engine/evidence-refs';
import { sha256Hex } from '../../core/primitives/hash';
import { catalogTexts } from '../../core/evidence/catalog-texts';
import { applyExceptions } from '../../core/evidence/registers';

/**
 * A realistic evidence report of a fictitious organization, for tests and previews of the
 * human-readable renderings (HTML, CSV, calendar). Everything is fixed (no clock, no randomness),
 * so two calls give the same report. Hashes name bodies that do not exist: the report is for
 * rendering, not for verification.
 */
export interface SampleEvidenceReportOptions {
  /** A before/after session with a change log (default), or a before-only package. */
  readonly withChanges?: boolean;
  /**
   * At least this many findings in the final audit: member findings (a member without a second
   * factor) are added until it is reached. Default: the base set (about 50).
   */
  readonly findings?: number;
  /** Add a drift section, as `--baseline` gives (default false). */
  readonly withDrift?: boolean;
}

const ORG = { slug: 'acme-robotics', id: '4507312', name: 'Acme Robotics' };
const BASE_URL = 'https://sentry.io';
const REGION_URL = 'https://us.sentry.io';
const LEVEL: Level = 'L2';

const BEFORE = { start: '2025-03-04T09:12:05Z', finish: '2025-03-04T09:12:41Z', fetched: '2025-03-04T09:12:' };
const AFTER = { start: '2025-03-04T09:23:10Z', finish: '2025-03-04T09:23:44Z', fetched: '2025-03-04T09:23:' };

type Phase = 'before' | 'after';

interface ReadSpec {
  readonly path: string;
  readonly query?: Record<string, string>;
  readonly items: number;
  readonly pages?: number;
}

const PROJECTS = ['web-storefront', 'payments-api', 'ios-app', 'data-pipeline'] as const;

/** The reads of one audit, by name: the org-wide lists, then each project's detail and filters. */
const READS: Readonly<Record<string, ReadSpec>> = {
  organization: { path: `/api/0/organizations/${ORG.slug}/`, items: 1 },
  authProvider: { path: `/api/0/organizations/${ORG.slug}/auth-provider/`, items: 0 },
  members: { path: `/api/0/organizations/${ORG.slug}/members/`, items: 132, pages: 2 },
  teams: { path: `/api/0/organizations/${ORG.slug}/teams/`, items: 9 },
  projects: { path: `/api/0/organizations/${ORG.slug}/projects/`, items: 4 },
  projectKeys: { path: `/api/0/organizations/${ORG.slug}/project-keys/`, items: 6 },
  auditLog: { path: `/api/0/organizations/${ORG.slug}/audit-logs/`, query: { start: '2024-12-04T09:12:05Z' }, items: 214, pages: 3 },
  integrations: { path: `/api/0/organizations/${ORG.slug}/integrations/`, query: { includeConfig: '0' }, items: 3 },
  sentryApps: { path: `/api/0/organizations/${ORG.slug}/sentry-apps/`, items: 1 },
  installations: { path: `/api/0/organizations/${ORG.slug}/sentry-app-installations/`, items: 2 },
  orgAuthTokens: { path: `/api/0/organizations/${ORG.slug}/org-auth-tokens/`, items: 3 },
  ...Object.fromEntries(PROJECTS.map((p) => [`project:${p}`, { path: `/api/0/projects/${ORG.slug}/${p}/`, items: 1 }])),
  ...Object.fromEntries(PROJECTS.map((p) => [`filters:${p}`, { path: `/api/0/projects/${ORG.slug}/${p}/filters/`, items: 7 }])),
};
type ReadName = string;

const org: ResourceRef = { type: 'organization', id: ORG.slug, name: ORG.name };
const project = (slug: string): ResourceRef => ({ type: 'project', id: slug, name: slug });
const member = (id: string, email: string): ResourceRef => ({ type: 'member', id, name: email });
const key = (pub: string, name: string): ResourceRef => ({ type: 'key', id: pub, name });
const integration = (id: string, name: string): ResourceRef => ({ type: 'integration', id, name });
const sentryApp = (slug: string, name: string): ResourceRef => ({ type: 'sentry_app', id: slug, name });
const token = (id: string, name: string): ResourceRef => ({ type: 'token', id, name });

const WEB_KEY = key('3f9d2c1ab47e4c0f9e1a2b3c4d5e6f70', 'Default (web-storefront)');
const IOS_LEGACY_KEY = key('a1b2c3d4e5f60718293a4b5c6d7e8f90', 'Legacy (ios-app)');

/** One verdict per phase; `null` where the finding does not exist in that audit. */
interface Verdict {
  readonly status: FindingStatus;
  readonly message: string;
  readonly errorCode?: string;
  readonly details?: Record<string, unknown>;
}
interface FindingSpec {
  readonly check: string;
  readonly level?: Level;
  readonly resource: ResourceRef;
  readonly reads: readonly ReadName[];
  readonly before: Verdict | null;
  readonly after: Verdict | null;
}

const same = (v: Verdict): Pick<FindingSpec, 'before' | 'after'> => ({ before: v, after: v });
const fail = (message: string, details?: Record<string, unknown>): Verdict => ({ status: 'fail', message, details });
const pass = (message: string): Verdict => ({ status: 'pass', message });
const manual = (message: string): Verdict => ({ status: 'manual', message });
const na = (message: string): Verdict => ({ status: 'not_applicable', message });

const SPECS: readonly FindingSpec[] = [
  // 1 Authentication & SSO
  { check: '1.1.saml-provider', resource: org, reads: ['organization', 'authProvider'], ...same(fail('No SAML identity provider is configured: members sign in with Sentry passwords or social logins.')) },
  { check: '1.1.require-link', resource: org, reads: ['authProvider'], ...same(na('No identity provider is configured, so there is no link to require.')) },
  { check: '1.1.pending-links', resource: org, reads: ['authProvider'], ...same(na('No identity provider is configured.')) },
  { check: '1.1.idp-setup', resource: org, reads: [], ...same(manual('The API cannot show how the identity provider enforces MFA or who holds break-glass access: check it in the IdP.')) },
  {
    check: '1.2.require-2fa', resource: org, reads: ['organization'],
    ...same(fail('The organization does not require two-factor authentication (require2FA is false).', { require2FA: false })),
  },
  { check: '1.2.pending-invites', resource: org, reads: ['members'], ...same(pass('No pending invite.')) },
  // 2 Access controls
  {
    check: '2.1.open-membership', resource: org, reads: ['organization'],
    before: fail('Open membership is on: any member can join any team, and with it any project.', { openMembership: true }),
    after: pass('Open membership is off.'),
  },
  { check: '2.1.default-role', resource: org, reads: ['organization'], ...same(pass('New members get the Member role.')) },
  { check: '2.1.members-without-team', resource: member('100233', 'contractor.sam@acme-robotics.example'), reads: ['members', 'teams'], ...same(fail('contractor.sam@acme-robotics.example belongs to no team.')) },
  { check: '2.2.project-has-team', level: 'L2', resource: project('data-pipeline'), reads: ['projects'], ...same(fail('Project "data-pipeline" belongs to no team: only organization-wide roles reach it.')) },
  { check: '2.2.teams-per-project', level: 'L2', resource: org, reads: ['projects'], ...same(pass('No project is shared by more than 3 teams.')) },
  { check: '2.2.sensitive-projects', level: 'L2', resource: org, reads: ['projects'], ...same(manual('Whether production and sensitive projects are separated from the others is a judgement the API cannot make: review the 4 projects and their teams.')) },
  { check: '2.3.owner-count', resource: org, reads: ['members'], ...same(fail('4 members are owners; the guide asks for at most 3.', { owners: 4, maxOwners: 3 })) },
  { check: '2.3.admin-inventory', resource: org, reads: ['members'], ...same(manual('Review the 7 privileged members (4 owners, 3 managers) and confirm each still needs the role.')) },
  { check: '2.3.privileged-2fa', resource: org, reads: ['members'], ...same(pass('All 7 owners and managers sign in with a second factor.')) },
  { check: '2.3.stale-invites', resource: member('100871', 'old.vendor@partner.example'), reads: ['members'], ...same(fail('The invite of old.vendor@partner.example expired on 2024-11-02 and is still open.')) },
  {
    check: '2.3.member-invite', resource: org, reads: ['organization'],
    before: fail('Members can invite new members (allowMemberInvite is true).', { allowMemberInvite: true }),
    after: pass('Only admins invite new members.'),
  },
  {
    check: '2.3.member-project-creation', resource: org, reads: ['organization'],
    before: fail('Members can create projects (allowMemberProjectCreation is true).', { allowMemberProjectCreation: true }),
    after: pass('Only admins create projects.'),
  },
  { check: '2.4.stale-org-tokens', resource: token('31', 'ci-legacy'), reads: ['orgAuthTokens'], ...same(fail('Organization token "ci-legacy" was last used 140 days ago; revoke it if no pipeline needs it.', { lastUsedDays: 140 })) },
  { check: '2.4.personal-tokens', resource: org, reads: ['orgAuthTokens', 'auditLog'], ...same(pass('CI authenticates with organization tokens.')) },
  { check: '2.4.session-token-kind', resource: org, reads: [], ...same(pass('This session runs with a user token, which the fix engine needs for member settings.')) },
  { check: '2.4.session-token-scopes', resource: org, reads: [], ...same(pass('The token holds the scopes the session needs and no more.')) },
  // 3 Data security
  { check: '3.1.org-data-scrubber', resource: org, reads: ['organization'], ...same(pass('The organization requires the data scrubber.')) },
  { check: '3.1.org-default-scrubbers', resource: org, reads: ['organization'], ...same(pass('The organization requires the default scrubbers.')) },
  {
    check: '3.1.org-scrub-ip', resource: org, reads: ['organization'],
    before: fail('The organization allows storing IP addresses (scrubIPAddresses is false).', { scrubIPAddresses: false }),
    after: pass('The organization prevents storing IP addresses.'),
  },
  {
    check: '3.1.project-scrubbing', resource: project('data-pipeline'), reads: ['project:data-pipeline'],
    before: fail('Project "data-pipeline" does not apply the default scrubbers.', { dataScrubberDefaults: false }),
    after: pass('Project "data-pipeline" scrubs events with the defaults.'),
  },
  { check: '3.1.project-scrub-ip', resource: org, reads: ['project:web-storefront', 'project:payments-api', 'project:ios-app', 'project:data-pipeline'], ...same(pass('No project stores IP addresses.')) },
  {
    check: '3.1.sensitive-fields', resource: project('web-storefront'), reads: ['project:web-storefront'],
    ...same(fail('Project "web-storefront" does not redact card_number, ssn.', { missing: ['card_number', 'ssn'] })),
  },
  { check: '3.1.sdk-scrubbing', resource: org, reads: [], ...same(manual('Whether applications scrub before sending (beforeSend, sendDefaultPii off) can only be checked in their code.')) },
  {
    check: '3.2.rate-limit', resource: WEB_KEY, reads: ['projectKeys', 'projects'],
    before: fail('Client key Default (web-storefront) accepts events without any rate limit.', { rateLimit: null }),
    after: null,
  },
  { check: '3.2.rate-limit', resource: org, reads: ['projectKeys', 'projects'], before: null, after: pass('All 6 active client keys are rate-limited.') },
  { check: '3.2.single-active-key', resource: project('payments-api'), reads: ['projectKeys', 'projects'], ...same(fail('Project "payments-api" has 2 active client keys; disable those no application uses.')) },
  {
    check: '3.2.allowed-domains', resource: project('web-storefront'), reads: ['project:web-storefront'],
    ...same(fail('Project "web-storefront" accepts events from any origin ("*").', { allowedDomains: ['*'] })),
  },
  { check: '3.2.key-age', level: 'L2', resource: IOS_LEGACY_KEY, reads: ['projectKeys'], ...same(fail('Client key Legacy (ios-app) is 702 days old; rotate keys at least every 365 days.', { ageDays: 702 })) },
  { check: '3.3.inbound-filters', level: 'L2', resource: project('ios-app'), reads: ['filters:ios-app'], ...same(fail('Project "ios-app" does not filter events from web crawlers or localhost.')) },
  { check: '3.3.ip-blocklist', level: 'L2', resource: org, reads: ['project:web-storefront'], ...same(manual('Review the IP blocklists of 4 projects against current abuse sources.')) },
  // 4 Monitoring
  { check: '4.1.audit-log-readable', resource: org, reads: ['auditLog'], ...same(pass('The audit log can be read (214 events in the last 90 days).')) },
  { check: '4.1.security-events', resource: org, reads: ['auditLog'], ...same(manual('19 security-relevant events in the last 90 days (member.invite, org.edit, sso.disable...): review them.')) },
  { check: '4.1.retention-forwarding', resource: org, reads: [], ...same(manual('Sentry keeps the audit log for 90 days: export it to your SIEM on a schedule.')) },
  // INT Integrations
  { check: 'INT.1.inventory', resource: org, reads: ['integrations', 'sentryApps', 'installations'], ...same(pass('All 5 integrations are inventoried with their permissions.')) },
  { check: 'INT.2.admin-scopes', resource: sentryApp('deploy-bot', 'Deploy Bot'), reads: ['sentryApps'], ...same(fail('Deploy Bot holds org:admin; it only creates releases.', { scopes: ['org:admin', 'project:releases'] })) },
  { check: 'INT.2.write-scopes', level: 'L2', resource: org, reads: ['sentryApps', 'installations'], ...same(pass('Write scopes are held only by integrations that write.')) },
  {
    check: 'INT.2.oauth-scopes', level: 'L2', resource: org, reads: ['installations'],
    before: { status: 'error', errorCode: 'server_error', message: 'GET /api/0/organizations/acme-robotics/sentry-app-installations/ answered 503 after 2 retries.' },
    after: pass('Third-party OAuth applications hold read scopes only.'),
  },
  { check: 'INT.3.integration-settings', level: 'L2', resource: integration('88412', 'GitHub (acme-robotics)'), reads: ['integrations'], ...same(manual('Check in GitHub that the Sentry app reaches only the repositories it needs.')) },
  {
    check: 'INT.4.reviewed', level: 'L2', resource: integration('88419', 'Slack (acme)'), reads: ['integrations'],
    before: fail('Slack (acme) was last reviewed on 2024-09-01, more than 90 days ago.'),
    after: pass('Slack (acme) was reviewed on 2025-03-04.'),
  },
  { check: 'INT.5.documented', level: 'L2', resource: integration('90177', 'Jira Cloud'), reads: ['integrations'], ...same(fail('Jira Cloud: it has no entry in the integration register.')) },
  { check: 'INT.6.dedicated-apps', resource: org, reads: ['sentryApps'], ...same(pass('Each consuming system has its own internal integration.')) },
  { check: 'INT.6.no-personal-tokens', resource: org, reads: ['orgAuthTokens'], ...same(pass('No integration runs on a personal token.')) },
  { check: 'INT.6.org-token-use', level: 'L2', resource: org, reads: ['orgAuthTokens', 'auditLog'], ...same(manual('Confirm that the 3 organization tokens each serve one pipeline.')) },
];

/** Members without a second factor: the realistic bulk of a large organization's findings. */
function memberFindings(count: number): FindingSpec[] {
  const first = ['alex', 'dana', 'lee', 'morgan', 'rui', 'noor', 'kim', 'sasha', 'jo', 'yuki'];
  const last = ['kowalski', 'okafor', 'haddad', 'moreau', 'tanaka', 'silva', 'berg', 'nguyen'];
  return Array.from({ length: count }, (_, i) => {
    const email = `${first[i % first.length]}.${last[(i * 7) % last.length]}${i >= 10 ? i : ''}@acme-robotics.example`;
    return {
      check: '1.2.member-2fa',
      resource: member(String(101_000 + i), email),
      reads: ['members'],
      ...same(fail(`${email} signs in without a second factor.`, { has2fa: false })),
    };
  });
}

function pageUrl(spec: ReadSpec, page: number): string {
  const q = new URLSearchParams(spec.query ?? {});
  if (page > 0) q.set('cursor', `100:${page * 100}:0`);
  const qs = q.toString();
  return `${REGION_URL}${spec.path}${qs ? `?${qs}` : ''}`;
}

function fetchedAt(phase: Phase, n: number): string {
  const base = phase === 'before' ? BEFORE.fetched : AFTER.fetched;
  return `${base}${String(12 + (n % 30)).padStart(2, '0')}Z`;
}

/** The reads of one audit, named, and every response (with one retried 429) in order. */
function buildReads(phase: Phase, memberCount: number): { byName: Map<ReadName, PackageRead>; responses: RawResponse[] } {
  const byName = new Map<ReadName, PackageRead>();
  const responses: RawResponse[] = [];
  let n = 0;
  for (const [name, base] of Object.entries(READS) as [ReadName, ReadSpec][]) {
    const spec: ReadSpec = name === 'members' ? { ...base, items: memberCount, pages: Math.max(1, Math.ceil(memberCount / 100)) } : base;
    const pages = spec.pages ?? 1;
    const at = fetchedAt(phase, n++);
    const pageList = Array.from({ length: pages }, (_, p) => {
      const url = pageUrl(spec, p);
      const items = p < pages - 1 ? 100 : spec.items - 100 * (pages - 1);
      return { url, status: 200, sha256: sha256Hex(`sample|${phase}|${url}`), items, fetchedAt: at };
    });
    if (name === 'auditLog') {
      // Sentry throttled the first try of the audit log: the retry is what the verdict rests on.
      responses.push({ method: 'GET', url: pageList[0]!.url, status: 429, fetchedAt: at, sha256: sha256Hex(`sample|${phase}|429`), headers: { 'retry-after': '1', 'x-sentry-rate-limit-remaining': '0' } });
    }
    for (const [p, page] of pageList.entries()) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (pages > 1) headers.link = `<${page.url}>; rel="next"; results="${p < pages - 1 ? 'true' : 'false'}"; cursor="100:${(p + 1) * 100}:0"`;
      responses.push({ method: 'GET', url: page.url, status: 200, fetchedAt: page.fetchedAt, sha256: page.sha256, headers });
    }
    const evidence = { method: 'GET', endpoint: spec.path, query: { ...(spec.query ?? {}) }, pages, items: spec.items, complete: true, fetchedAt: at, responses: pageList };
    byName.set(name, { ...evidence, sha256: readDigest(evidence) });
  }
  return { byName, responses };
}

function levelOf(check: string): Level {
  for (const c of CONTROLS) {
    const found = c.checks.find((k) => k.id === check);
    if (found) return found.level;
  }
  return 'L1';
}

function buildAudit(phase: Phase, specs: readonly FindingSpec[], memberCount: number): AuditSnapshot {
  const { byName, responses } = buildReads(phase, memberCount);
  const used = new Map<string, PackageRead>();
  const findings: Finding[] = [];
  for (const spec of specs) {
    const verdict = spec[phase];
    if (!verdict) continue;
    const evidence: EvidenceRef[] = spec.reads.map((name) => {
      const read = byName.get(name);
      if (!read) throw new Error(`sample report: no read named ${name}`);
      used.set(read.sha256, read);
      const { responses: _pages, ...ref } = read;
      return ref;
    });
    findings.push({
      control: spec.check.split('.').slice(0, 2).join('.'),
      check: spec.check,
      level: spec.level ?? levelOf(spec.check),
      status: verdict.status,
      resource: { ...spec.resource },
      message: verdict.message,
      evidence,
      ...(verdict.errorCode ? { errorCode: verdict.errorCode } : {}),
      ...(verdict.details ? { details: verdict.details } : {}),
    });
  }
  const times = phase === 'before' ? BEFORE : AFTER;
  return {
    startedAt: times.start,
    finishedAt: times.finish,
    controls: CONTROLS.map((c) => ({
      id: c.id,
      title: c.title,
      section: c.section,
      level: c.level,
      mappings: { cis: [...c.mappings.cis], nist: [...c.mappings.nist], soc2: [...c.mappings.soc2] },
      counts: countByStatus(findings.filter((f) => f.control === c.id)),
    })),
    findings,
    reads: [...used.values()],
    responses,
    counts: countByStatus(findings),
  };
}

const ORG_PATH = `/api/0/organizations/${ORG.slug}/`;

function change(
  id: string,
  fields: Pick<ChangeRecord, 'fix' | 'control' | 'check' | 'resource' | 'field' | 'description' | 'before' | 'after' | 'request' | 'response' | 'recheck' | 'outcome' | 'risk'> &
    Partial<Pick<ChangeRecord, 'message' | 'error'>>,
  minute: number,
): ChangeRecord {
  return { id, ...fields, at: `2025-03-04T09:${String(minute).padStart(2, '0')}:0${id.slice(-1)}Z` };
}

const CHANGES: readonly ChangeRecord[] = [
  change('c001', {
    fix: 'org-settings', control: '2.1', check: '2.1.open-membership', resource: org, field: 'openMembership',
    description: 'Turn off open membership: members can no longer join any team on their own.',
    before: { openMembership: true }, after: { openMembership: false },
    request: { method: 'PUT', host: 'region', path: ORG_PATH, body: { openMembership: false } },
    response: { status: 200, fields: { openMembership: false } }, recheck: { openMembership: false }, outcome: 'applied', risk: 'low', message: 'Applied and verified.',
  }, 20),
  change('c002', {
    fix: 'require-2fa', control: '1.2', check: '1.2.require-2fa', resource: org, field: 'require2FA',
    description: 'Require two-factor authentication. Members without a second factor are removed from the organization until they set one up.',
    before: { require2FA: false }, after: { require2FA: true },
    request: { method: 'PUT', host: 'region', path: ORG_PATH, body: { require2FA: true } },
    response: null, recheck: null, outcome: 'declined', risk: 'high', message: 'Not confirmed: the operator declined this change.',
  }, 20),
  change('c003', {
    fix: 'org-settings', control: '2.3', check: '2.3.member-invite', resource: org, field: 'allowMemberInvite',
    description: 'Only admins and above can invite new members.',
    before: { allowMemberInvite: true }, after: { allowMemberInvite: false },
    request: { method: 'PUT', host: 'region', path: ORG_PATH, body: { allowMemberInvite: false } },
    response: { status: 200, fields: { allowMemberInvite: false } }, recheck: { allowMemberInvite: false }, outcome: 'applied', risk: 'low', message: 'Applied and verified.',
  }, 21),
  change('c004', {
    fix: 'org-settings', control: '2.3', check: '2.3.member-project-creation', resource: org, field: 'allowMemberProjectCreation',
    description: 'Only admins and above can create projects.',
    before: { allowMemberProjectCreation: true }, after: { allowMemberProjectCreation: false },
    request: { method: 'PUT', host: 'region', path: ORG_PATH, body: { allowMemberProjectCreation: false } },
    response: { status: 200, fields: { allowMemberProjectCreation: false } }, recheck: { allowMemberProjectCreation: false }, outcome: 'applied', risk: 'low', message: 'Applied and verified.',
  }, 21),
  change('c005', {
    fix: 'data-scrubbing', control: '3.1', check: '3.1.org-scrub-ip', resource: org, field: 'scrubIPAddresses',
    description: 'Prevent storing IP addresses for every project.',
    before: { scrubIPAddresses: false }, after: { scrubIPAddresses: true },
    request: { method: 'PUT', host: 'region', path: ORG_PATH, body: { scrubIPAddresses: true } },
    response: { status: 200, fields: { scrubIPAddresses: true } }, recheck: { scrubIPAddresses: true }, outcome: 'applied', risk: 'low', message: 'Applied and verified.',
  }, 21),
  change('c006', {
    fix: 'data-scrubbing', control: '3.1', check: '3.1.project-scrubbing', resource: project('data-pipeline'), field: 'scrubbing',
    description: 'Apply the default scrubbers in project "data-pipeline".',
    before: { dataScrubber: true, dataScrubberDefaults: false }, after: { dataScrubber: true, dataScrubberDefaults: true },
    request: { method: 'PUT', host: 'region', path: `/api/0/projects/${ORG.slug}/data-pipeline/`, body: { dataScrubber: true, dataScrubberDefaults: true } },
    response: { status: 200, fields: { dataScrubberDefaults: true } }, recheck: { dataScrubber: true, dataScrubberDefaults: true }, outcome: 'applied', risk: 'low', message: 'Applied and verified.',
  }, 22),
  change('c007', {
    fix: 'data-scrubbing', control: '3.1', check: '3.1.sensitive-fields', resource: project('web-storefront'), field: 'sensitiveFields',
    description: 'Add card_number and ssn to the sensitive fields of project "web-storefront".',
    before: { sensitiveFields: ['password', 'secret'] }, after: { sensitiveFields: ['password', 'secret', 'card_number', 'ssn'] },
    request: { method: 'PUT', host: 'region', path: `/api/0/projects/${ORG.slug}/web-storefront/`, body: { sensitiveFields: ['password', 'secret', 'card_number', 'ssn'] } },
    response: { status: 403, fields: { detail: 'You do not have permission to perform this action.' } }, recheck: null, outcome: 'failed', risk: 'low',
    message: 'Sentry refused the change.',
    error: { code: 'forbidden', message: 'PUT /api/0/projects/acme-robotics/web-storefront/ answered 403: the token\'s user is not a member of the project\'s team.' },
  }, 22),
  change('c008', {
    fix: 'key-rate-limit', control: '3.2', check: '3.2.rate-limit', resource: WEB_KEY, field: 'rateLimit',
    description: 'Limit client key Default (web-storefront) to 300 events per 60 seconds.',
    before: { rateLimit: null }, after: { rateLimit: { count: 300, window: 60 } },
    request: { method: 'PUT', host: 'region', path: `/api/0/projects/${ORG.slug}/web-storefront/keys/${WEB_KEY.id}/`, body: { rateLimit: { count: 300, window: 60 } } },
    response: { status: 200, fields: { rateLimit: { count: 300, window: 60 } } }, recheck: { rateLimit: { count: 300, window: 60 } }, outcome: 'applied', risk: 'low', message: 'Applied and verified.',
  }, 22),
  change('c009', {
    fix: 'allowed-domains', control: '3.2', check: '3.2.allowed-domains', resource: project('web-storefront'), field: 'allowedDomains',
    description: 'Accept events for project "web-storefront" only from https://shop.acme-robotics.example.',
    before: { allowedDomains: ['*'] }, after: { allowedDomains: ['https://shop.acme-robotics.example'] },
    request: { method: 'PUT', host: 'region', path: `/api/0/projects/${ORG.slug}/web-storefront/`, body: { allowedDomains: ['https://shop.acme-robotics.example'] } },
    response: { status: 200, fields: { allowedDomains: ['*'] } }, recheck: { allowedDomains: ['*'] }, outcome: 'not_effective', risk: 'low',
    message: 'Sentry answered 200, but allowedDomains still reads ["*"]: the project may be managed by an SDK or a plan restriction.',
  }, 22),
];

const EXCEPTIONS: readonly ExceptionEntry[] = [
  {
    id: 'EX-0001',
    control: '2.3',
    check: '2.3.owner-count',
    resource: `organization:${ORG.slug}`,
    reason: 'A fourth owner covers the on-call rotation across time zones until the second platform lead starts in April.',
    owner: 'Dana Okafor (Head of Platform)',
    approvedBy: 'Priya Raman (CISO)',
    expiresAt: '2025-06-30T00:00:00Z',
    createdAt: '2025-02-10T14:00:00Z',
  },
  {
    id: 'EX-0002',
    control: '3.2',
    check: '3.2.key-age',
    resource: `key:${IOS_LEGACY_KEY.id}`,
    reason: 'iOS 3.x builds still ship this DSN; rotating it before they age out would drop their crash reports.',
    approvedBy: 'Marco Bianchi (Head of Mobile)',
    expiresAt: '2025-01-31T00:00:00Z',
    createdAt: '2024-08-01T09:30:00Z',
  },
];

/** What `--baseline` against the December review would report. */
function sampleDrift(): Drift {
  const status = (before: Finding['status'] | null, after: Finding['status'] | null) => ({ before, after });
  return {
    baseline: {
      startedAt: '2024-12-03T10:02:11Z',
      finishedAt: '2024-12-03T10:31:40Z',
      level: 'L2',
      reportSha256: sha256Hex('sample baseline report.json'),
      signer: 'SHA256:0c1d2e3f405162738495a6b7c8d9eaf00112233445566778899aabbccddeeff0',
    },
    newlyFailing: [
      { control: '2.1', check: '2.1.members-without-team', resource: member('100233', 'contractor.sam@acme-robotics.example'), ...status(null, 'fail'), message: 'contractor.sam@acme-robotics.example belongs to no team.' },
    ],
    regressed: [
      { control: '3.2', check: '3.2.allowed-domains', resource: project('web-storefront'), ...status('pass', 'fail'), message: 'Project "web-storefront" accepts events from any origin ("*").' },
    ],
    fixed: [
      { control: '2.1', check: '2.1.open-membership', resource: org, ...status('fail', 'pass'), message: 'Open membership is off.' },
    ],
    noLongerReported: [
      { control: '2.3', check: '2.3.stale-invites', resource: member('100512', 'intern.2024@acme-robotics.example'), ...status('fail', null), message: 'The invite of intern.2024@acme-robotics.example expired on 2024-10-01 and is still open.' },
    ],
    newIntegrations: [{ resource: integration('90177', 'Jira Cloud'), scopes: ['project:read', 'event:write'] }],
    newScopes: [{ resource: sentryApp('deploy-bot', 'Deploy Bot'), scopes: ['org:admin'] }],
    expiredExceptions: [{ id: 'EX-0002', control: '3.2', expiresAt: '2025-01-31T00:00:00Z', reason: EXCEPTIONS[1]!.reason }],
    notes: [],
  };
}

export function buildSampleEvidenceReport(opts: SampleEvidenceReportOptions = {}): EvidenceReport {
  const withChanges = opts.withChanges ?? true;
  const phase: Phase = withChanges ? 'after' : 'before';
  const extraMembers = Math.max(3, (opts.findings ?? 0) - SPECS.filter((s) => s[phase] !== null).length);
  const specs = [...SPECS, ...memberFindings(extraMembers)];
  const memberCount = Math.max(132, extraMembers + 20);

  const before = withChanges ? buildAudit('before', specs, memberCount) : null;
  // A before-only package's one audit is the audit before any change.
  const final = buildAudit(phase, specs, memberCount);

  const layer = applyExceptions(final.findings, EXCEPTIONS, new Date(final.finishedAt));
  const report: EvidenceReport = {
    schemaVersion: 1,
    kind: 'sentry-harden/evidence',
    tool: { name: 'sentry-harden', version: '0.1.0' },
    target: { url: BASE_URL, regionUrl: REGION_URL, org: { ...ORG } },
    level: LEVEL,
    startedAt: final.startedAt,
    finishedAt: final.finishedAt,
    token: {
      kind: 'user',
      scopes: [...(withChanges ? FIX_SCOPES : AUDIT_SCOPES)],
      user: { id: '2218841', email: 'it-admin@acme-robotics.example', has2fa: true },
    },
    controls: final.controls,
    findings: final.findings,
    reads: final.reads,
    summary: { counts: final.counts, requests: final.responses.length, rateLimited: final.responses.filter((r) => r.status === 429).length },
    catalog: {
      version: '2025.1',
      digest: sha256Hex(JSON.stringify(CONTROLS.map((c) => [c.id, c.title, c.level, c.checks.map((k) => k.id)]))),
    },
    settings: { ...DEFAULT_AUDIT_SETTINGS, sensitiveFieldBaseline: [...DEFAULT_AUDIT_SETTINGS.sensitiveFieldBaseline] },
    responses: final.responses,
    before,
    changes: withChanges ? CHANGES.map((c) => structuredClone(c)) : [],
    exceptions: layer.exceptions,
    exceptionSummary: layer.summary,
    attestations: [
      {
        id: 'AT-0001',
        control: '1.1',
        statement: 'Okta enforces phishing-resistant MFA (FIDO2) for every user assigned to the Sentry app; two break-glass accounts are sealed in the vault.',
        attestedBy: 'Priya Raman (CISO)',
        attestedAt: '2025-03-04T08:55:00Z',
      },
      {
        id: 'AT-0002',
        control: '3.1',
        statement: 'All services use the shared logging package, whose beforeSend drops request bodies and cookies; sendDefaultPii is off.',
        attestedBy: 'Tomás Ortega (Platform lead)',
        attestedAt: '2025-03-04T09:02:00Z',
      },
    ],
    integrationRegister: [
      { integration: 'GitHub (acme-robotics)', permissions: ['contents:read', 'issues:write', 'metadata:read'], rationale: 'Links commits to releases and opens issues from Sentry.', owner: 'Tomás Ortega', lastReviewed: '2025-03-04' },
      { integration: 'Slack (acme)', permissions: ['chat:write', 'channels:read'], rationale: 'Posts alerts to #incidents.', owner: 'Dana Okafor', lastReviewed: '2025-03-04' },
      { integration: 'Deploy Bot', permissions: ['project:releases', 'org:admin'], rationale: 'Creates releases from CI; org:admin is a leftover to remove.', owner: 'Lee Haddad', lastReviewed: '2025-01-15' },
    ],
    review: { nextReviewDate: '2025-06-02', intervalDays: 90 },
    disclaimer: SIGNATURE_DISCLAIMER,
    session: { startedAt: (before ?? final).startedAt, finishedAt: final.finishedAt },
    ...(opts.withDrift ? { drift: sampleDrift() } : {}),
    catalogTexts: catalogTexts(),
    evidenceSchemaVersion: EVIDENCE_SCHEMA_VERSION,
  };
  return EvidenceReportSchema.parse(report);
}
