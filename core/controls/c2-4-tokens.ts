import type { ResourceRef } from '../../shared/finding';
import { expandScopes } from '../../shared/scopes';
import type { CheckDefinition, ControlDefinition } from './types';
import { ageInDays, orgRef, plural, recorder } from './findings';
import { orgTokensUnreadable } from './org-tokens';

const ID = '2.4';

const CHECKS = {
  staleOrgTokens: { id: '2.4.stale-org-tokens', title: 'Organization auth tokens are in use', level: 'L1', fields: ['name', 'dateCreated', 'dateLastUsed'] },
  personalTokens: { id: '2.4.personal-tokens', title: 'CI uses organization tokens, not personal ones', level: 'L1' },
  sessionKind: { id: '2.4.session-token-kind', title: 'This session runs with a suitable token type', level: 'L1' },
  sessionScopes: { id: '2.4.session-token-scopes', title: 'This session\'s token has exactly the scopes it needs', level: 'L1' },
} as const satisfies Record<string, CheckDefinition>;

/** The token of this session; never its value. */
const SESSION_TOKEN: ResourceRef = { type: 'token', id: 'session', name: 'API token of this session' };

export const tokens: ControlDefinition = {
  id: ID,
  title: 'Use organization auth tokens for automation',
  section: '2',
  level: 'L1',
  // SOC 2 criterion chosen by us (the guide gives none for 2.4).
  mappings: { cis: ['5.4', '3.11'], nist: ['AC-6', 'IA-5'], soc2: ['CC6.1'] },
  rationale:
    'A personal token acts with its owner\'s full role and stops working, or keeps working, with that person\'s ' +
    'account. Organization auth tokens are limited to CI work (releases, source maps) and belong to the ' +
    'organization; unused ones are credentials with no purpose that can still leak.',
  manualSteps: [
    'In Settings > Developer Settings > Organization Tokens, create one token per pipeline and store it in the CI secret store.',
    'Revoke organization tokens that have not been used for a quarter.',
    'Ask every member to open User Settings > Personal Tokens, revoke tokens that CI or scripts no longer use, and keep scopes narrow; the API cannot list these for an audit.',
    'For this tool, use a personal token of an owner with 2FA holding only the scopes it asks for, and revoke it when the work is done.',
  ],
  requiredScopes: [['org:read', 'org:write', 'org:admin']],
  checks: Object.values(CHECKS),

  async evaluate(ctx) {
    const r = recorder(ID, ctx);
    const [org, orgTokens, index] = await Promise.all([ctx.data.organization(), ctx.data.orgAuthTokens(), ctx.data.tokenInfo()]);
    const orgRes = orgRef(r.orgSlug, org.ok ? org.value.name : undefined);

    const unreadable = orgTokensUnreadable(orgTokens, ctx.settings.orgAuthTokenStaleDays);
    if (unreadable) {
      r.manual(CHECKS.staleOrgTokens, orgRes, unreadable.message, unreadable.evidence, unreadable.details);
    } else if (!orgTokens.ok) {
      r.error(CHECKS.staleOrgTokens, orgRes, orgTokens, 'orgAuthTokens');
    } else {
      const ev = [orgTokens.evidence];
      r.invalidItems([CHECKS.staleOrgTokens], orgTokens.evidence, 'orgAuthTokens');
      const limit = ctx.settings.orgAuthTokenStaleDays;
      let stale = 0;
      for (const t of orgTokens.value) {
        const idle = ageInDays(t.dateLastUsed, ctx.now);
        if (idle !== null && idle <= limit) continue;
        stale += 1;
        const res: ResourceRef = { type: 'token', id: t.id, name: t.name };
        const why = idle === null ? 'has never been used' : `was last used ${idle} days ago`;
        r.fail(CHECKS.staleOrgTokens, res, `Organization token "${t.name}" ${why}; revoke it if no pipeline needs it.`, ev, {
          dateCreated: t.dateCreated,
          dateLastUsed: t.dateLastUsed ?? null,
          staleAfterDays: limit,
        });
      }
      if (orgTokens.value.length === 0) {
        r.notApplicable(CHECKS.staleOrgTokens, orgRes, 'The organization has no organization auth tokens.', ev);
      } else if (stale === 0) {
        r.pass(CHECKS.staleOrgTokens, orgRes, `All ${plural(orgTokens.value.length, 'organization token')} were used within ${limit} days.`, ev, {
          tokens: orgTokens.value.length,
        });
      }
    }

    r.manual(
      CHECKS.personalTokens,
      orgRes,
      'Sentry lists personal tokens only to a signed-in browser session, so they cannot be audited here: have members ' +
        'review User Settings > Personal Tokens and move CI to organization tokens.',
      orgTokens.ok ? [orgTokens.evidence] : [],
      { organizationTokens: orgTokens.ok ? orgTokens.value.length : null },
    );

    if (!index.ok) {
      r.error(CHECKS.sessionKind, SESSION_TOKEN, index, 'tokenInfo');
      r.error(CHECKS.sessionScopes, SESSION_TOKEN, index, 'tokenInfo');
      return r.findings;
    }
    const ev = [index.evidence];
    const { kind } = ctx.token;
    const fixes = ctx.sessionScopes.fix.length > 0;
    switch (kind) {
      case 'user':
        r.pass(CHECKS.sessionKind, SESSION_TOKEN, 'A personal (user) token: it can read the settings and, with the scopes, apply fixes.', ev, { kind });
        break;
      case 'org_auth_token':
        r.fail(
          CHECKS.sessionKind,
          SESSION_TOKEN,
          'An organization auth token only carries org:ci and has no user: it cannot read members or settings, nor apply any fix. Use a personal token.',
          ev,
          { kind },
        );
        break;
      case 'internal_integration':
        if (fixes) {
          r.fail(
            CHECKS.sessionKind,
            SESSION_TOKEN,
            'An internal-integration token has no user with 2FA or a role, so Sentry refuses several fixes (2FA, member roles, project settings). Use a personal token.',
            ev,
            { kind },
          );
        } else {
          r.pass(CHECKS.sessionKind, SESSION_TOKEN, 'An internal-integration token, enough for a read-only audit.', ev, { kind });
        }
        break;
      default:
        r.manual(CHECKS.sessionKind, SESSION_TOKEN, 'The kind of token could not be told; check it is a personal token of an owner.', ev, { kind });
    }

    const needed = [...new Set([...ctx.sessionScopes.audit, ...ctx.sessionScopes.fix])];
    const held = expandScopes(ctx.token.scopes);
    const allowed = expandScopes(needed);
    const missing = needed.filter((s) => !held.has(s));
    const extra = [...new Set(ctx.token.scopes)].filter((s) => !allowed.has(s)).sort();
    const details = { needed, held: [...ctx.token.scopes].sort(), missing, extra };
    if (missing.length === 0 && extra.length === 0) {
      r.pass(CHECKS.sessionScopes, SESSION_TOKEN, 'The token holds the scopes this session needs and nothing more.', ev, details);
    } else {
      const parts: string[] = [];
      if (missing.length > 0) parts.push(`it lacks ${missing.join(', ')}`);
      if (extra.length > 0) parts.push(`it holds scopes this session never uses (${extra.join(', ')})`);
      r.fail(CHECKS.sessionScopes, SESSION_TOKEN, `The token does not fit the session: ${parts.join('; ')}.`, ev, details);
    }
    return r.findings;
  },
};
