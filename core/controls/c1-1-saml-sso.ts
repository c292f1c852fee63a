import type { CheckDefinition, ControlDefinition } from './types';
import { evidenceOf, orgRef, plural, recorder } from './findings';

const ID = '1.1';

const CHECKS = {
  provider: { id: '1.1.saml-provider', title: 'Sign-in goes through a SAML identity provider', level: 'L1', fields: ['provider_name', 'features'] },
  requireLink: { id: '1.1.require-link', title: 'Members must link their identity-provider account', level: 'L1', fields: ['require_link'] },
  pendingLinks: { id: '1.1.pending-links', title: 'No member is still waiting to link SSO', level: 'L1', fields: ['pending_links_count'] },
  idpSetup: { id: '1.1.idp-setup', title: 'Identity-provider setup and break-glass access reviewed', level: 'L1' },
} as const satisfies Record<string, CheckDefinition>;

/**
 * Provider keys of the SAML 2.0 family in Sentry (generic SAML and the vendor presets built on it).
 * Google and GitHub are OAuth logins: they centralize sign-in, but not with the organization's own
 * IdP (no group-based deprovisioning, no attribute mapping), so they fail this control; 1.2 still
 * credits their MFA. Any other key is unknown to us and goes to a person rather than guessed.
 */
const SAML_PROVIDERS = new Set(['saml2', 'okta', 'onelogin', 'auth0', 'rippling', 'jumpcloud', 'active-directory']);
const NON_SAML_PROVIDERS = new Set(['google', 'github', 'fly', 'fly-non-partner']);

type SsoPlan = 'saml' | 'basic' | 'none' | 'unknown';

function ssoPlan(features: readonly string[] | undefined): SsoPlan {
  if (!features) return 'unknown';
  if (features.includes('sso-saml2')) return 'saml';
  if (features.includes('sso-basic')) return 'basic';
  return 'none';
}

const PLAN_HINT: Record<SsoPlan, string> = {
  saml: "The organization's Sentry subscription plan includes SAML SSO, so it can be set up right away.",
  basic: "The organization's Sentry subscription plan only includes Google/GitHub sign-in; SAML needs a Business or Enterprise plan.",
  none: "The organization's Sentry subscription plan includes no SSO at all; SAML needs a Business or Enterprise plan.",
  unknown: "Whether the organization's Sentry subscription plan includes SAML could not be read.",
};

export const samlSso: ControlDefinition = {
  id: ID,
  title: 'Configure SAML single sign-on',
  section: '1',
  level: 'L1',
  mappings: { cis: ['6.3', '12.5'], nist: ['IA-2', 'IA-8'], soc2: ['CC6.1'] },
  rationale:
    'With SAML SSO, who may sign in to Sentry is decided by the company identity provider, so leavers lose ' +
    'access when their directory account is disabled and the IdP password and MFA policies apply. Without it, ' +
    'every member keeps a separate Sentry password that nobody offboards centrally.',
  manualSteps: [
    'Open Settings > Auth in Sentry (an owner is needed) and choose SAML2 or your IdP preset.',
    'In the IdP, create a SAML application for Sentry: entity ID, ACS/SSO URL and signing certificate from Sentry\'s metadata; map email and name attributes.',
    'Paste the IdP metadata into Sentry, sign in once through the IdP to test, then require members to link their identity.',
    'Keep one owner account with strong 2FA as a documented break-glass path in case the IdP is down.',
  ],
  requiredScopes: [['org:read', 'org:write', 'org:admin']],
  checks: Object.values(CHECKS),

  async evaluate(ctx) {
    const r = recorder(ID, ctx);
    const [provider, org] = await Promise.all([ctx.data.authProvider(), ctx.data.organization()]);
    const orgRes = orgRef(r.orgSlug, org.ok ? org.value.name : undefined);

    if (!provider.ok) {
      for (const check of Object.values(CHECKS)) r.error(check, orgRes, provider, 'authProvider');
      return r.findings;
    }
    const ev = [provider.evidence];
    const p = provider.value;

    if (p === null) {
      const plan = ssoPlan(org.ok ? org.value.features : undefined);
      r.fail(
        CHECKS.provider,
        orgRes,
        `No SSO provider is configured: members sign in with their own Sentry passwords. ${PLAN_HINT[plan]}`,
        [...ev, ...evidenceOf(org)],
        { provider: null, plan },
      );
      const none = 'No SSO provider is configured (see the check "Sign-in goes through a SAML identity provider").';
      r.notApplicable(CHECKS.requireLink, orgRes, none, ev);
      r.notApplicable(CHECKS.pendingLinks, orgRes, none, ev);
      r.notApplicable(CHECKS.idpSetup, orgRes, none, ev);
      return r.findings;
    }

    const key = p.provider_name.toLowerCase();
    const details = { provider: p.provider_name };
    if (SAML_PROVIDERS.has(key)) {
      r.pass(CHECKS.provider, orgRes, `Sign-in goes through the SAML provider "${p.provider_name}".`, ev, details);
    } else if (NON_SAML_PROVIDERS.has(key)) {
      r.fail(
        CHECKS.provider,
        orgRes,
        `SSO uses "${p.provider_name}", an OAuth login rather than the company's SAML identity provider: ` +
          'access is not tied to the directory account lifecycle.',
        ev,
        details,
      );
    } else {
      r.manual(
        CHECKS.provider,
        orgRes,
        `SSO uses the provider "${p.provider_name}", which this tool does not know: confirm in Settings > Auth that it is SAML 2.0.`,
        ev,
        details,
      );
    }

    if (p.require_link === undefined) {
      r.manual(CHECKS.requireLink, orgRes, 'Sentry did not report whether linking is required: check Settings > Auth.', ev);
    } else if (p.require_link) {
      r.pass(CHECKS.requireLink, orgRes, 'Members must link an identity-provider account to reach the organization.', ev);
    } else {
      r.fail(
        CHECKS.requireLink,
        orgRes,
        'Members who never linked SSO can still sign in with a Sentry password ("Require SSO" is off).',
        ev,
        { requireLink: false },
      );
    }

    const pending = p.pending_links_count;
    if (pending === undefined) {
      r.manual(CHECKS.pendingLinks, orgRes, 'Sentry did not report how many members have not linked SSO.', ev);
    } else if (pending === 0) {
      r.pass(CHECKS.pendingLinks, orgRes, 'Every member has linked an identity-provider account.', ev, { pendingLinks: 0 });
    } else {
      r.fail(
        CHECKS.pendingLinks,
        orgRes,
        `${plural(pending, 'member has', 'members have')} not linked SSO yet; remind or remove them.`,
        ev,
        { pendingLinks: pending },
      );
    }

    r.manual(
      CHECKS.idpSetup,
      orgRes,
      'The API does not show the IdP side: confirm the signing certificate and its expiry, attribute mapping, ' +
        'that SSO sign-in was tested, and that a break-glass owner with strong 2FA is documented.',
      ev,
      details,
    );
    return r.findings;
  },
};
