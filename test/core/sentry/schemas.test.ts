import { describe, expect, it } from 'vitest';
import { MemberSchema, ProjectKeySchema, TeamMemberSchema } from '../../../core/sentry/schemas';

const member = {
  id: '7',
  email: 'ana@example.com',
  name: 'Ana',
  user: { id: '70', email: 'ana@example.com', name: 'Ana', has2fa: true, isActive: true, avatar: { type: 'letter' } },
  orgRole: 'member',
  pending: false,
  expired: false,
  flags: { 'sso:linked': true, 'sso:invalid': false, 'idp:provisioned': false, 'member-limit:restricted': false },
  dateCreated: '2026-01-01T00:00:00Z',
};

describe('member schemas', () => {
  it('keep the SSO flags the checks read and drop the rest, whatever their type', () => {
    const parsed = MemberSchema.parse({ ...member, flags: { ...member.flags, 'future:flag': 'not a boolean' } });
    expect(parsed.flags).toEqual({ 'sso:linked': true, 'sso:invalid': false });
    expect(parsed.orgRole).toBe('member');
    // A member with no flags at all is still a member.
    expect(MemberSchema.parse({ ...member, flags: undefined }).flags).toBeUndefined();
  });

  it('still refuses an SSO flag of the wrong type (the check would read it)', () => {
    expect(MemberSchema.safeParse({ ...member, flags: { 'sso:linked': 'yes' } }).success).toBe(false);
  });

  it('give the user the member email by the same value, and keep a different one as sent', () => {
    const parsed = MemberSchema.parse(JSON.parse(JSON.stringify(member)));
    expect(parsed.user?.email).toBe('ana@example.com');
    const other = MemberSchema.parse({ ...member, user: { ...member.user, email: 'other@example.com' } });
    expect(other.email).toBe('ana@example.com');
    expect(other.user?.email).toBe('other@example.com');
  });
});

describe('TeamMemberSchema', () => {
  it('keeps who is on the team (id, email, roles, service account) and nothing the member list already has', () => {
    const roster = TeamMemberSchema.parse({ ...member, teamRole: 'admin', teamSlug: 'web' });
    expect(roster).toEqual({ id: '7', email: 'ana@example.com', orgRole: 'member', roleField: 'orgRole', user: { id: '70' }, teamRole: 'admin', teamSlug: 'web' });
    const bot = TeamMemberSchema.parse({ id: '9', email: null, role: 'member', user: { id: '90', actorType: 'service_account' } });
    expect(bot).toMatchObject({ orgRole: 'member', roleField: 'role', user: { actorType: 'service_account' } });
  });

  it('refuses a row with no role (the member could not be placed)', () => {
    expect(TeamMemberSchema.safeParse({ id: '9', user: null }).success).toBe(false);
  });
});

describe('ProjectKeySchema', () => {
  const key = {
    id: 'k1',
    name: 'Default',
    label: 'Default',
    public: 'a'.repeat(32),
    secret: 'b'.repeat(32),
    projectId: 42,
    isActive: true,
    rateLimit: null,
    browserSdkVersion: '8.x',
    dateCreated: '2026-01-01T00:00:00Z',
    dsn: { public: 'https://a@o1.ingest.sentry.io/42', secret: 'https://a:b@o1.ingest.sentry.io/42', csp: 'https://x/csp', minidump: 'https://x/md' },
    dynamicSdkLoaderOptions: { hasReplay: true, hasPerformance: true, hasDebug: false },
    useCase: 'user',
  };

  it('keeps the fields the checks and fixes read, and drops the DSN URLs and loader options', () => {
    const parsed = ProjectKeySchema.parse(key);
    expect(parsed).toEqual({
      id: 'k1',
      name: 'Default',
      label: 'Default',
      public: 'a'.repeat(32),
      secret: 'b'.repeat(32),
      projectId: 42,
      isActive: true,
      rateLimit: null,
      browserSdkVersion: '8.x',
      dateCreated: '2026-01-01T00:00:00Z',
      dsn: { public: 'https://a@o1.ingest.sentry.io/42', secret: 'https://a:b@o1.ingest.sentry.io/42' },
    });
  });

  it('accepts a key of an older server without dsn or label', () => {
    const { dsn: _dsn, label: _label, ...old } = key;
    expect(ProjectKeySchema.safeParse(old).success).toBe(true);
  });
});
