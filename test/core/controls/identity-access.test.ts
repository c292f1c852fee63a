import { describe, expect, it } from 'vitest';
import { samlSso } from '../../../core/controls/c1-1-saml-sso';
import { enforce2fa } from '../../../core/controls/c1-2-enforce-2fa';
import { teamAccess } from '../../../core/controls/c2-1-team-access';
import { projectAccess } from '../../../core/controls/c2-2-project-access';
import { adminAccess } from '../../../core/controls/c2-3-admin-access';
import { tokens } from '../../../core/controls/c2-4-tokens';
import { member } from './fake-org-data';
import { of, only, run, statuses } from './run';

describe('1.1 SAML SSO', () => {
  it('passes with a SAML provider that requires linking and has no pending links', async () => {
    const { findings } = await run(samlSso);
    expect(only(findings, '1.1.saml-provider').status).toBe('pass');
    expect(only(findings, '1.1.require-link').status).toBe('pass');
    expect(only(findings, '1.1.pending-links').status).toBe('pass');
    expect(only(findings, '1.1.idp-setup').status).toBe('manual');
    expect(only(findings, '1.1.saml-provider').resource).toEqual({ type: 'organization', id: 'acme', name: 'Acme Corp' });
  });

  it('fails without a provider and tells what the plan allows', async () => {
    const { findings } = await run(samlSso, {
      mutate: (s) => {
        s.authProvider = null;
        s.organization.features = ['sso-basic'];
      },
    });
    const f = only(findings, '1.1.saml-provider');
    expect(f.status).toBe('fail');
    expect(f.message).toMatch(/Business or Enterprise/);
    expect(f.details).toMatchObject({ provider: null, plan: 'basic' });
    expect(f.evidence.map((e) => e.endpoint)).toEqual(['/api/0/organizations/acme/auth-provider/', '/api/0/organizations/acme/']);
    expect(only(findings, '1.1.require-link').status).toBe('not_applicable');
  });

  it('fails an OAuth provider, asks a person about an unknown one', async () => {
    const google = await run(samlSso, { mutate: (s) => void (s.authProvider = { id: '1', provider_name: 'google', require_link: true, pending_links_count: 0 }) });
    expect(only(google.findings, '1.1.saml-provider').status).toBe('fail');
    const odd = await run(samlSso, { mutate: (s) => void (s.authProvider = { id: '1', provider_name: 'acme-idp', require_link: true, pending_links_count: 0 }) });
    expect(only(odd.findings, '1.1.saml-provider').status).toBe('manual');
    const okta = await run(samlSso, { mutate: (s) => void (s.authProvider = { id: '1', provider_name: 'okta', require_link: true, pending_links_count: 0 }) });
    expect(only(okta.findings, '1.1.saml-provider').status).toBe('pass');
  });

  it('fails when linking is optional or members have not linked', async () => {
    const { findings } = await run(samlSso, {
      mutate: (s) => void (s.authProvider = { id: '1', provider_name: 'saml2', require_link: false, pending_links_count: 3 }),
    });
    expect(only(findings, '1.1.require-link').status).toBe('fail');
    const pending = only(findings, '1.1.pending-links');
    expect(pending.status).toBe('fail');
    expect(pending.details).toEqual({ pendingLinks: 3 });
  });

  it('reports an error naming the endpoint and the scope when the provider cannot be read', async () => {
    const { findings } = await run(samlSso, { setup: (d) => d.failWith('authProvider', 'missing_scope', { requiredScopes: ['org:read'] }) });
    expect(findings.map((f) => f.status)).toEqual(['error', 'error', 'error', 'error']);
    const f = findings[0];
    expect(f?.errorCode).toBe('missing_scope');
    expect(f?.message).toContain('GET /api/0/organizations/acme/auth-provider/');
    expect(f?.message).toContain('org:read');
  });
});

describe('1.2 two-factor authentication', () => {
  it('passes when 2FA is required and every member has it', async () => {
    const { findings } = await run(enforce2fa, {
      mutate: (s) => {
        s.organization.require2FA = true;
        s.organization.hasAuthProvider = false;
        s.authProvider = null;
        s.members = s.members.map((m) => (m.user ? { ...m, user: { ...m.user, has2fa: true } } : m));
      },
    });
    expect(only(findings, '1.2.require-2fa').status).toBe('pass');
    expect(only(findings, '1.2.member-2fa').status).toBe('pass');
    expect(only(findings, '1.2.pending-invites').status).toBe('not_applicable');
  });

  it('asks to attest IdP MFA when SSO is configured (Sentry forbids both)', async () => {
    const { findings } = await run(enforce2fa);
    const f = only(findings, '1.2.require-2fa');
    expect(f.status).toBe('manual');
    expect(f.message).toMatch(/identity provider enforces MFA/);
    // carol has no Sentry 2FA but signs in through her linked SSO identity.
    expect(only(findings, '1.2.member-2fa').status).toBe('pass');
  });

  it('fails without 2FA or SSO, and lists each member without a second factor', async () => {
    const { findings } = await run(enforce2fa, {
      mutate: (s) => {
        s.authProvider = null;
        s.organization.hasAuthProvider = false;
        s.members.push(member('9', 'eve@acme.test', 'member', { has2fa: false }));
      },
    });
    expect(only(findings, '1.2.require-2fa').status).toBe('fail');
    const failing = of(findings, '1.2.member-2fa');
    expect(failing.map((f) => [f.status, f.resource.type, f.resource.id])).toEqual([['fail', 'member', '9']]);
  });

  it('reports pending invites apart from members, never as failing 2FA', async () => {
    const invite = member('20', 'new@acme.test', 'member', { pending: true });
    const off = await run(enforce2fa, { mutate: (s) => void s.members.push(invite) });
    expect(statuses(off.findings, '1.2.member-2fa')).toEqual(['pass']);
    const inv = only(off.findings, '1.2.pending-invites');
    expect(inv.status).toBe('manual');
    expect(inv.details).toMatchObject({ invites: [{ id: '20', email: 'new@acme.test' }] });
    const on = await run(enforce2fa, {
      mutate: (s) => {
        s.members.push(invite);
        s.organization.require2FA = true;
      },
    });
    expect(only(on.findings, '1.2.pending-invites').status).toBe('pass');
  });

  it('keeps failing members but gives no pass on an incomplete member list', async () => {
    const clean = await run(enforce2fa, { setup: (d) => d.incomplete.add('members') });
    const f = only(clean.findings, '1.2.member-2fa');
    expect(f.status).toBe('error');
    expect(f.errorCode).toBe('incomplete_pagination');
    const dirty = await run(enforce2fa, {
      mutate: (s) => void s.members.push(member('9', 'eve@acme.test', 'member', { has2fa: false })),
      setup: (d) => d.incomplete.add('members'),
    });
    expect(statuses(dirty.findings, '1.2.member-2fa')).toEqual(['fail']);
  });
});

describe('2.1 team access', () => {
  it('passes with closed membership, Member default role and everyone on a team', async () => {
    const { findings, data } = await run(teamAccess);
    expect(statuses(findings, '2.1.open-membership')).toEqual(['pass']);
    expect(statuses(findings, '2.1.default-role')).toEqual(['pass']);
    const f = only(findings, '2.1.members-without-team');
    expect(f.status).toBe('pass');
    // The verdict rests on the member list, the team list and every roster; the rosters are one
    // shared group (issue 10), cited once rather than listed in every finding.
    expect(f.evidence.map((e) => e.endpoint)).toHaveLength(2);
    expect(f.groups?.map((g) => [g.label, g.reads.length])).toEqual([['every team roster', 2]]);
    expect(data.requests).toContain('teamMembers:backend');
  });

  it('fails open membership, a broad default role and a member on no team', async () => {
    const { findings } = await run(teamAccess, {
      mutate: (s) => {
        s.organization.openMembership = true;
        s.organization.defaultRole = 'admin';
        s.teamMembers.frontend = [];
      },
    });
    expect(statuses(findings, '2.1.open-membership')).toEqual(['fail']);
    expect(only(findings, '2.1.default-role').details).toEqual({ defaultRole: 'admin' });
    const teamless = of(findings, '2.1.members-without-team');
    expect(teamless.map((f) => [f.status, f.resource.id])).toEqual([['fail', '4']]);
  });

  it('gives neither pass nor fail when a team roster cannot be read', async () => {
    const { findings } = await run(teamAccess, {
      mutate: (s) => void (s.teamMembers.frontend = []),
      setup: (d) => d.failWith('teamMembers:backend', 'missing_scope'),
    });
    const f = only(findings, '2.1.members-without-team');
    expect(f.status).toBe('error');
    expect(f.resource).toEqual({ type: 'team', id: 'backend', name: 'Backend' });
    expect(f.message).toContain('GET /api/0/teams/acme/backend/members/');
    expect(f.message).toContain('team:read');
  });

  it('gives no verdict on a partly read roster', async () => {
    const { findings } = await run(teamAccess, { setup: (d) => d.incomplete.add('teamMembers:frontend') });
    expect(only(findings, '2.1.members-without-team').errorCode).toBe('incomplete_pagination');
  });
});

describe('2.2 project access', () => {
  it('passes at L2 when every project has one team', async () => {
    const { findings } = await run(projectAccess, { level: 'L2' });
    expect(statuses(findings, '2.2.project-has-team')).toEqual(['pass']);
    expect(statuses(findings, '2.2.teams-per-project')).toEqual(['pass']);
    expect(statuses(findings, '2.2.sensitive-projects')).toEqual(['manual']);
  });

  it('fails projects with no team or too many teams', async () => {
    const team = (n: number) => ({ id: `t${n}`, slug: `team-${n}`, name: `Team ${n}` });
    const { findings } = await run(projectAccess, {
      level: 'L2',
      mutate: (s) => {
        s.projects[0]!.teams = [team(1), team(2), team(3), team(4)];
        s.projects[1]!.teams = [];
      },
    });
    expect(of(findings, '2.2.project-has-team').map((f) => [f.status, f.resource.id])).toEqual([['fail', 'web']]);
    const crowded = only(findings, '2.2.teams-per-project');
    expect([crowded.status, crowded.resource.id]).toEqual(['fail', 'api']);
    expect(crowded.details).toMatchObject({ maxTeamsPerProject: 3 });
  });

  it('falls back to the team list when projects do not carry their teams', async () => {
    const { findings, data } = await run(projectAccess, {
      level: 'L2',
      mutate: (s) => {
        for (const p of s.projects) delete p.teams;
        s.teams[1]!.projects = [];
      },
    });
    expect(data.requests).toContain('teams');
    expect(of(findings, '2.2.project-has-team').map((f) => [f.status, f.resource.id])).toEqual([['fail', 'web']]);
  });

  it('is skipped entirely, reads included, in an L1 audit', async () => {
    const { findings, data } = await run(projectAccess, { level: 'L1' });
    expect(findings).toEqual([]);
    expect(data.requests).toEqual([]);
  });
});

describe('2.3 admin access', () => {
  it('passes with few protected owners and restricted member settings', async () => {
    const { findings } = await run(adminAccess);
    for (const check of ['2.3.owner-count', '2.3.privileged-2fa', '2.3.stale-invites', '2.3.member-invite', '2.3.member-project-creation']) {
      expect(statuses(findings, check), check).toEqual(['pass']);
    }
    const inv = only(findings, '2.3.admin-inventory');
    expect(inv.status).toBe('manual');
    expect(inv.details).toMatchObject({ managers: [{ id: '2' }] });
  });

  it('fails too many owners, an owner without 2FA, an expired invite and open member settings', async () => {
    const { findings } = await run(adminAccess, {
      mutate: (s) => {
        s.members.push(
          member('10', 'o2@acme.test', 'owner', { has2fa: false }),
          member('11', 'o3@acme.test', 'owner'),
          member('12', 'o4@acme.test', 'owner', { pending: true }),
          member('13', 'old@acme.test', 'member', { pending: true, expired: true }),
        );
        s.organization.allowMemberInvite = true;
        s.organization.allowMemberProjectCreation = true;
      },
    });
    const owners = only(findings, '2.3.owner-count');
    expect(owners.status).toBe('fail');
    expect(owners.details).toMatchObject({ owners: 4, pendingOwnerInvites: 1, maxOwners: 3 });
    expect(of(findings, '2.3.privileged-2fa').map((f) => [f.status, f.resource.id])).toEqual([['fail', '10']]);
    expect(of(findings, '2.3.stale-invites').map((f) => [f.status, f.resource.id])).toEqual([['fail', '13']]);
    expect(statuses(findings, '2.3.member-invite')).toEqual(['fail']);
    expect(statuses(findings, '2.3.member-project-creation')).toEqual(['fail']);
  });

  it('honours a tuned owner limit and asks a person when a setting is not reported', async () => {
    const { findings } = await run(adminAccess, {
      settings: { maxOwners: 0 },
      mutate: (s) => void delete s.organization.allowMemberInvite,
    });
    expect(statuses(findings, '2.3.owner-count')).toEqual(['fail']);
    expect(statuses(findings, '2.3.member-invite')).toEqual(['manual']);
  });
});

describe('2.4 tokens', () => {
  it('passes used org tokens and a user token with exactly the needed scopes', async () => {
    const { findings } = await run(tokens);
    expect(statuses(findings, '2.4.stale-org-tokens')).toEqual(['pass']);
    expect(statuses(findings, '2.4.personal-tokens')).toEqual(['manual']);
    expect(statuses(findings, '2.4.session-token-kind')).toEqual(['pass']);
    const scopes = only(findings, '2.4.session-token-scopes');
    expect(scopes.status).toBe('pass');
    expect(scopes.resource.type).toBe('token');
  });

  it('fails each stale or never-used org token', async () => {
    const { findings } = await run(tokens, {
      mutate: (s) => {
        s.orgAuthTokens.push(
          { id: '6', name: 'old', scopes: ['org:ci'], dateCreated: '2025-01-01T00:00:00Z', dateLastUsed: '2026-01-01T00:00:00Z' },
          { id: '7', name: 'unused', scopes: ['org:ci'], dateCreated: '2026-08-30T00:00:00Z', dateLastUsed: null },
        );
      },
    });
    const stale = of(findings, '2.4.stale-org-tokens');
    expect(stale.map((f) => [f.status, f.resource.type, f.resource.id])).toEqual([
      ['fail', 'token', '6'],
      ['fail', 'token', '7'],
    ]);
    expect(stale[1]?.message).toMatch(/never been used/);
  });

  it('judges the session token: org auth tokens are useless, missing and extra scopes are listed', async () => {
    const orgToken = await run(tokens, { token: { kind: 'org_auth_token', scopes: ['org:ci'] } });
    expect(statuses(orgToken.findings, '2.4.session-token-kind')).toEqual(['fail']);
    const scopes = only(orgToken.findings, '2.4.session-token-scopes');
    expect(scopes.status).toBe('fail');
    expect(scopes.details).toMatchObject({ missing: ['org:write', 'member:read', 'team:read', 'project:read', 'org:admin', 'member:admin', 'team:admin', 'project:admin'], extra: ['org:ci'] });
    expect(scopes.message).toMatch(/lacks org:write/);

    const broad = await run(tokens, { token: { scopes: ['org:admin', 'member:admin', 'team:admin', 'project:admin', 'event:admin'] } });
    const b = only(broad.findings, '2.4.session-token-scopes');
    expect(b.status).toBe('fail');
    expect(b.details).toMatchObject({ missing: [], extra: ['event:admin'] });

    const app = await run(tokens, { token: { kind: 'internal_integration' } });
    expect(statuses(app.findings, '2.4.session-token-kind')).toEqual(['fail']);
    const readOnly = await run(tokens, {
      token: { kind: 'internal_integration', scopes: ['org:write', 'member:read', 'team:read', 'project:read'] },
      sessionScopes: { audit: ['org:write', 'member:read', 'team:read', 'project:read'], fix: [] },
    });
    expect(statuses(readOnly.findings, '2.4.session-token-kind')).toEqual(['pass']);
    expect(statuses(readOnly.findings, '2.4.session-token-scopes')).toEqual(['pass']);
  });

  it('reports a session-only token list as manual with the UI steps, never as "no tokens"', async () => {
    // Current Sentry: organization_auth_tokens.py uses SessionNoAuthTokenAuthentication.
    const { findings } = await run(tokens, { setup: (d) => d.failWith('orgAuthTokens', 'session_only', { status: 403 }) });
    const f = only(findings, '2.4.stale-org-tokens');
    expect(f.status).toBe('manual');
    expect(f.message).toContain('signed-in browser session');
    expect(f.message).toContain('Settings > Developer Settings > Organization Tokens');
    expect(f.details).toMatchObject({ reason: 'session_only' });
  });

  it('reports a server without org auth tokens (404) as manual, and other failures as error', async () => {
    const absent = await run(tokens, { setup: (d) => d.failWith('orgAuthTokens', 'not_found', { status: 404 }) });
    expect(only(absent.findings, '2.4.stale-org-tokens')).toMatchObject({ status: 'manual', details: { reason: 'not_found' } });
    const broken = await run(tokens, { setup: (d) => d.failWith('orgAuthTokens', 'server_error', { status: 500 }) });
    const f = only(broken.findings, '2.4.stale-org-tokens');
    expect(f.status).toBe('error');
    expect(f.message).toContain('GET /api/0/organizations/acme/org-auth-tokens/');
  });
});
