import { SENSITIVE_FIELD_BASELINE } from '../../core/controls/settings';
import type { IntegrationRegisterEntry } from '../../core/controls/types';
import type { SimOrg, SimState } from '../../simulator/index';

/**
 * Puts a simulator organization into the state the guide asks for at L3, by editing the state
 * directly (what an admin would do by hand). Returns the integration register an admin would
 * keep for it (INT.4, INT.5).
 */
export function hardenOrg(state: SimState, orgSlug: string, now = new Date()): IntegrationRegisterEntry[] {
  const org = state.organizations.find((o) => o.slug === orgSlug);
  if (!org) throw new Error(`no org ${orgSlug}`);
  const recent = new Date(now.getTime() - 24 * 3600_000).toISOString();
  const s = org.settings;
  Object.assign(s, {
    require2FA: false, // SAML SSO below; Sentry forbids both, 1.2 then asks to attest IdP MFA
    openMembership: false,
    defaultRole: 'member',
    allowMemberInvite: false,
    allowMemberProjectCreation: false,
    dataScrubber: true,
    dataScrubberDefaults: true,
    scrubIPAddresses: true,
    sensitiveFields: [...SENSITIVE_FIELD_BASELINE],
    safeFields: [],
    trustedRelays: [{ name: 'dc-relay', publicKey: 'a'.repeat(43), description: 'in-network relay', created: recent, lastModified: recent }],
  });
  org.authProvider = { id: '77', providerName: 'saml2', requireLink: true, scimEnabled: true };

  hardenMembers(state, org);
  for (const p of org.projects) {
    p.teamIds = [org.teams[0]!.id];
    Object.assign(p.settings, { allowedDomains: ['https://app.example.com'], dataScrubber: true, dataScrubberDefaults: true, scrubIPAddresses: true });
    Object.assign(p.filters, { 'browser-extensions': true, 'web-crawlers': true, localhost: true });
    p.keys.forEach((k, i) => {
      k.isActive = i === 0;
      k.rateLimit = { window: 60, count: 1000 };
      k.dateCreated = recent;
    });
  }
  for (const app of org.sentryApps) app.scopes = ['org:read', 'project:read'];
  for (const t of org.orgAuthTokens) t.dateLastUsed = recent;
  for (const t of state.tokens) if (t.sentryAppSlug) t.scopes = ['org:read', 'project:read'];

  return [
    ...org.integrations.map((i) => ({ integration: i.name, permissions: i.scopes ?? ['(provider defaults)'], rationale: 'issue sync', owner: 'platform team', lastReviewed: recent })),
    ...org.sentryApps.map((a) => ({ integration: a.slug, permissions: a.scopes, rationale: 'reads projects for reports', owner: 'platform team', lastReviewed: recent })),
    ...org.sentryAppInstallations.map((i) => ({ integration: i.appSlug, permissions: ['org:read', 'project:read'], rationale: 'installed app', owner: 'platform team', lastReviewed: recent })),
  ];
}

function hardenMembers(state: SimState, org: SimOrg): void {
  // No pending or expired invites; everyone with 2FA and a linked SSO identity, on a team.
  org.members = org.members.filter((m) => m.userId !== null && m.inviteStatus === 'approved');
  let owners = 0;
  for (const m of org.members) {
    const user = state.users.find((u) => u.id === m.userId);
    if (user && !user.isProxy) user.has2fa = true;
    m.flags = { ...m.flags, 'sso:linked': true, 'sso:invalid': false };
    if (m.orgRole === 'owner' && ++owners > 2) m.orgRole = 'member';
    if (m.orgRole === 'manager') m.orgRole = 'member';
    if (m.teams.length === 0) m.teams = [{ teamId: org.teams[0]!.id, role: null }];
  }
}
