import { openInvites } from './invites';
import type { CheckDefinition, ControlDefinition } from './types';
import { evidenceOf, memberRef, orgRef, plural, recorder } from './findings';
import { signsInWithSecondFactor } from './members';

const ID = '1.2';

const CHECKS = {
  require2fa: { id: '1.2.require-2fa', title: 'Two-factor authentication is required', level: 'L1', fields: ['require2FA', 'hasAuthProvider'] },
  members: { id: '1.2.member-2fa', title: 'Every member signs in with a second factor', level: 'L1', fields: ['email', 'orgRole', 'user.has2fa', 'flags.sso:linked'] },
  invites: { id: '1.2.pending-invites', title: 'Pending invites will be held to 2FA', level: 'L1', fields: ['email', 'orgRole', 'expired', 'require2FA'] },
} as const satisfies Record<string, CheckDefinition>;

export const enforce2fa: ControlDefinition = {
  id: ID,
  title: 'Enforce two-factor authentication',
  section: '1',
  level: 'L1',
  mappings: { cis: ['6.5'], nist: ['IA-2(1)'], soc2: ['CC6.1'] },
  rationale:
    'A stolen or reused password alone must not open an organization that holds stack traces, request data ' +
    'and user details. Sentry either requires 2FA of every member or, when SSO is configured, leaves the ' +
    'second factor to the identity provider; one of the two has to be in force.',
  manualSteps: [
    'Without SSO: open Settings > Security & Privacy and turn on "Require Two-Factor Authentication" (you need 2FA on your own account first).',
    'Warn members beforehand: those without 2FA are removed from the organization and re-invited by email.',
    'With SSO: Sentry cannot require its own 2FA; enforce MFA for the Sentry application in the IdP, with phishing-resistant factors (security keys, passkeys) for owners and managers.',
  ],
  requiredScopes: [['org:read', 'org:write', 'org:admin'], ['member:read', 'member:write', 'member:admin']],
  checks: Object.values(CHECKS),

  async evaluate(ctx) {
    const r = recorder(ID, ctx);
    const [org, provider, members] = await Promise.all([
      ctx.data.organization(),
      ctx.data.authProvider(),
      ctx.data.members(),
    ]);
    const orgRes = orgRef(r.orgSlug, org.ok ? org.value.name : undefined);

    // Require 2FA, or SSO with the IdP's MFA (Sentry refuses require2FA while SSO is configured).
    if (!org.ok) {
      r.error(CHECKS.require2fa, orgRes, org, 'organization');
    } else if (org.value.require2FA) {
      r.pass(CHECKS.require2fa, orgRes, 'The organization requires two-factor authentication of every member.', [org.evidence], {
        require2FA: true,
      });
    } else {
      const sso = provider.ok ? provider.value !== null : org.value.hasAuthProvider;
      if (sso === undefined) {
        if (!provider.ok) r.error(CHECKS.require2fa, orgRes, provider, 'authProvider', { evidence: [org.evidence] });
      } else if (sso) {
        r.manual(
          CHECKS.require2fa,
          orgRes,
          'SSO is configured, so Sentry cannot require its own 2FA: attest that the identity provider enforces MFA ' +
            'for Sentry (phishing-resistant for owners and managers).',
          evidenceOf(org, provider),
          { require2FA: false, sso: true },
        );
      } else {
        r.fail(
          CHECKS.require2fa,
          orgRes,
          'Two-factor authentication is not required and no SSO provider is configured: a password alone opens the organization.',
          evidenceOf(org, provider),
          { require2FA: false, sso: false },
        );
      }
    }

    // Members with an account but no second factor; invites have no account yet.
    if (!members.ok) {
      r.error(CHECKS.members, orgRes, members, 'members');
      r.error(CHECKS.invites, orgRes, members, 'members');
      return r.findings;
    }
    const ev = [members.evidence];
    // Members that did not validate: errors naming them (their verdict is unknown), the rest evaluated.
    r.invalidItems([CHECKS.members, CHECKS.invites], members.evidence, 'members');
    const accepted = members.value.filter((m) => m.user !== null);
    const inviteRead = await openInvites(ctx, members.value, members.evidence, org);
    const invites = inviteRead.kind === 'ok' ? inviteRead.invites : members.value.filter((m) => m.user === null);
    const lacking = accepted.filter((m) => !signsInWithSecondFactor(m));
    for (const m of lacking) {
      r.fail(CHECKS.members, memberRef(m), `${memberRef(m).name} (${m.orgRole}) has neither 2FA nor a linked SSO identity.`, ev, {
        orgRole: m.orgRole,
        has2fa: false,
        ssoLinked: m.flags?.['sso:linked'] ?? false,
      });
    }
    if (lacking.length === 0) {
      const viaSso = accepted.filter((m) => !m.user?.has2fa).length;
      const message =
        accepted.length === 0
          ? 'The organization has no members with an account yet.'
          : `All ${plural(accepted.length, 'member')} sign in with a second factor` +
            (viaSso > 0 ? ` (${viaSso} through their linked SSO identity).` : '.');
      if (accepted.length === 0) r.notApplicable(CHECKS.members, orgRes, message, ev);
      else r.pass(CHECKS.members, orgRes, message, ev, { members: accepted.length, viaSso, pendingInvites: invites.length });
    }

    const inviteList = invites.map((m) => ({ id: m.id, email: m.email ?? null, role: m.orgRole, expired: m.expired }));
    if (inviteRead.kind === 'unknown') {
      r.manual(CHECKS.invites, orgRes, inviteRead.message, inviteRead.evidence);
    } else if (inviteRead.kind === 'error') {
      r.error(CHECKS.invites, orgRes, inviteRead.failure, 'memberInvites', { evidence: ev });
    } else if (invites.length === 0) {
      r.notApplicable(CHECKS.invites, orgRes, 'There are no pending invites.', inviteRead.evidence);
    } else if (!org.ok) {
      r.error(CHECKS.invites, orgRes, org, 'organization', { evidence: ev });
    } else if (org.value.require2FA) {
      r.pass(
        CHECKS.invites,
        orgRes,
        `${plural(invites.length, 'pending invite')}: Sentry will ask for 2FA when they are accepted.`,
        [org.evidence, ...inviteRead.evidence],
        { invites: inviteList },
      );
    } else {
      r.manual(
        CHECKS.invites,
        orgRes,
        `${plural(invites.length, 'pending invite')} cannot be checked for 2FA until accepted; review them once they join.`,
        [org.evidence, ...inviteRead.evidence],
        { invites: inviteList },
      );
    }
    return r.findings;
  },
};
