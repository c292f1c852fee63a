import { afterEach, expect, it } from 'vitest';
import { DEMO_TOKENS, SERVER_PROFILES } from '../../../simulator';
import type { RunningSimulator, SimState } from '../../../simulator';
import { connect } from '../../../core/sentry/connect';
import { MemberDetailSchema, MemberSchema, OrganizationSchema, TeamMemberSchema, isServiceAccount } from '../../../core/sentry/schemas';
import type { Finding } from '../../../shared/finding';
import { auditDemo } from '../../helpers/demo-audit';
import { MEMBER_CHECKS, describeEachProfile, startProfileSim } from '../../helpers/profiles';

// The product on every server profile: what the legacy era and today's sentry.io change must not
// turn into an organization-wide error, and must never turn into a pass it cannot prove.
let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const statuses = (findings: readonly Finding[], check: string) => findings.filter((f) => f.check === check).map((f) => f.status);

describeEachProfile('audit', (profile) => {
  it('evaluates every member check (no error) and every check of the catalog without an error, at L3', async () => {
    sim = await startProfileSim(profile);
    const { report } = await auditDemo(sim, { level: 'L3' });
    for (const check of MEMBER_CHECKS) {
      const got = statuses(report.findings, check);
      expect(got.length, check).toBeGreaterThan(0);
      expect(got, check).not.toContain('error');
    }
    expect(report.findings.filter((f) => f.status === 'error').map((f) => `${f.check}: ${f.message}`)).toEqual([]);
    // The demo's known member failures are found on every profile, whatever field carries the role.
    const failing = (check: string) => report.findings.filter((f) => f.check === check && f.status === 'fail').map((f) => f.resource.id).sort();
    expect(failing('2.3.privileged-2fa')).toEqual(['3002', '3004']);
    expect(failing('2.1.members-without-team')).toEqual(['3011']);
    expect(failing('2.3.stale-invites')).toEqual(['3014']);
    // The org auth token list is never readable with a bearer token on these profiles: manual, not pass.
    expect(statuses(report.findings, '2.4.stale-org-tokens')).toEqual(['manual']);
    expect(statuses(report.findings, 'INT.6.org-token-use')).toEqual(['manual']);
  });
});

it('legacy members parse from `role` and say so; a missing teamRoles list is unknown, not empty', () => {
  const legacy = { id: '1', email: 'a@x', name: 'A', user: { id: '9', has2fa: true }, role: 'admin', roleName: 'Admin', pending: false, expired: false };
  expect(MemberSchema.parse(legacy)).toMatchObject({ orgRole: 'admin', roleField: 'role' });
  const detail = MemberDetailSchema.parse({ ...legacy, teams: ['core'] });
  expect(detail.teamRoles).toBeUndefined();
  expect(detail.teams).toEqual(['core']);
  expect(MemberSchema.parse({ ...legacy, orgRole: 'manager' })).toMatchObject({ orgRole: 'manager', roleField: 'orgRole' });
  const neither = MemberSchema.safeParse({ ...legacy, role: undefined });
  expect(neither.success).toBe(false);
  // The organization's own role follows the same rule (token-kind detection reads it).
  expect(OrganizationSchema.parse({ id: '1', slug: 's', name: 'S', require2FA: false, openMembership: false, defaultRole: 'member', dataScrubber: true, dataScrubberDefaults: true, sensitiveFields: [], safeFields: [], scrubIPAddresses: true, role: 'owner' }).orgRole).toBe('owner');
});

it('a service account on a team roster is a non-human member, not malformed data (team_members.py)', () => {
  const row = TeamMemberSchema.parse({ id: '7', email: '', name: 'ci-bot', user: { id: 'sa-7', name: 'ci-bot', actorType: 'service_account' }, orgRole: 'member', teamRole: null, teamSlug: 'core' });
  expect(isServiceAccount(row)).toBe(true);
  expect(isServiceAccount(TeamMemberSchema.parse({ ...row, user: { id: '8', has2fa: true } }))).toBe(false);
});

function addServiceAccount(s: SimState): void {
  const org = s.organizations[0];
  const team = org?.teams[0];
  if (!org || !team) throw new Error('demo org has no team');
  org.members.push({ id: '3999', userId: null, email: '', name: 'ci-bot', orgRole: 'member', inviteStatus: 'approved', expired: false, dateCreated: org.dateCreated, inviterName: null, flags: { 'sim:service-account': true }, teams: [{ teamId: team.id, role: null }] });
}

it('members without user.emails (the newest serializer) are read; every member check is evaluated', async () => {
  sim = await startProfileSim({ ...SERVER_PROFILES.saas, memberUserEmails: false });
  const { report } = await auditDemo(sim, { level: 'L1' });
  for (const check of MEMBER_CHECKS) expect(statuses(report.findings, check), check).not.toContain('error');
  expect(report.findings.filter((f) => f.status === 'error')).toEqual([]);
});

it('team rosters with a service account still evaluate 2.1 (saas)', async () => {
  sim = await startProfileSim('saas', { tweak: addServiceAccount });
  const { report } = await auditDemo(sim, { level: 'L1' });
  expect(statuses(report.findings, '2.1.members-without-team')).toEqual(['fail']);
  expect(report.findings.filter((f) => f.status === 'error')).toEqual([]);
});

it('new invite model: invites are read from /invited-members/, so an expired one is still found', async () => {
  sim = await startProfileSim('saas', { tweak: (s) => s.organizations[0]?.features.push('new-organization-member-invite') });
  const { report } = await auditDemo(sim, { level: 'L1' });
  const stale = report.findings.filter((f) => f.check === '2.3.stale-invites');
  expect(stale.map((f) => [f.status, f.resource.id, f.details?.source])).toEqual([['fail', '3014', 'invited-members']]);
  expect(statuses(report.findings, '1.2.pending-invites')).not.toContain('not_applicable');
  expect(sim.requests.some((r) => r.path.endsWith('/invited-members/'))).toBe(true);
});

it('new invite model with an unreadable invite list: invite checks are manual, never "no invites"', async () => {
  sim = await startProfileSim('saas', { tweak: (s) => s.organizations[0]?.features.push('new-organization-member-invite') });
  sim.faults.add({ method: 'GET', path: /\/invited-members\/$/, kind: 'server_error', status: 403 });
  const { report } = await auditDemo(sim, { level: 'L1' });
  for (const check of ['2.3.stale-invites', '1.2.pending-invites']) {
    const got = report.findings.filter((f) => f.check === check);
    expect(got.map((f) => f.status), check).not.toContain('pass');
    expect(got.map((f) => f.status), check).not.toContain('not_applicable');
  }
});

it('orgs without the feature: no invite-list request (the members list is authoritative)', async () => {
  sim = await startProfileSim('saas');
  await auditDemo(sim, { level: 'L1' });
  expect(sim.requests.some((r) => r.path.endsWith('/invited-members/'))).toBe(false);
});

it('a token without org:read connects on the summary; settings checks are errors naming org:read, member checks still run', async () => {
  const token = 'sntryu_demo_member_scopes_only_000000000000000000000000000000000000';
  sim = await startProfileSim('saas', {
    tweak: (s) => void s.tokens.push({ token, kind: 'user', scopes: ['member:read', 'team:read', 'project:read'], userId: s.tokens.find((t) => t.token === DEMO_TOKENS.admin)?.userId ?? '' }),
  });
  const conn = await connect({ baseUrl: sim.url, orgSlug: 'acme-demo', getToken: () => token });
  expect(conn.organization.value.slug).toBe('acme-demo');
  const org = await conn.data.organization();
  expect(org.ok).toBe(false);
  expect(!org.ok && org.error.code).toBe('missing_scope');
  expect(!org.ok && org.error.message).toContain('org:read');
  conn.client.close();
  const { report } = await auditDemo(sim, { level: 'L1', token });
  const openMembership = report.findings.find((f) => f.check === '2.1.open-membership');
  expect(openMembership?.status).toBe('error');
  expect(openMembership?.message).toContain('org:read');
  expect(report.findings.filter((f) => f.status === 'error').map((f) => f.message).join('\n')).not.toMatch(/malformed|expected shape/);
  expect(statuses(report.findings, '2.3.owner-count')).not.toContain('error');
});
