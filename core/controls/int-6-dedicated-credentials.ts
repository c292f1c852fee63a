import type { CheckDefinition, ControlDefinition } from './types';
import { orgRef, plural, recorder } from './findings';
import { orgTokensUnreadable } from './org-tokens';

const ID = 'INT.6';

const CHECKS = {
  dedicatedApps: { id: 'INT.6.dedicated-apps', title: 'Each consuming system has its own internal integration', level: 'L1' },
  noPersonalTokens: { id: 'INT.6.no-personal-tokens', title: 'No integration runs on a personal token', level: 'L1' },
  orgTokenUse: { id: 'INT.6.org-token-use', title: 'Organization tokens are not shared between pipelines', level: 'L2' },
} as const satisfies Record<string, CheckDefinition>;

export const dedicatedCredentials: ControlDefinition = {
  id: ID,
  title: 'Give each integration its own credentials',
  section: 'INT',
  level: 'L1',
  // Mappings chosen by us: the least-privilege analysis names none.
  mappings: { cis: ['5.5', '5.4'], nist: ['IA-5', 'AC-2'], soc2: ['CC6.1'] },
  rationale:
    'A credential shared by several systems cannot be revoked for one without breaking the others, and a leak ' +
    'cannot be traced to its source. Personal tokens in integrations add the owner\'s whole role and die with ' +
    'their account. One internal integration or organization token per consumer keeps each grant small and revocable.',
  manualSteps: [
    'Create one internal integration per system that calls the Sentry API (Settings > Developer Settings > New Internal Integration), each with only the scopes that system needs.',
    'Replace personal tokens found in CI variables, scripts and other tools with those integrations\' tokens or with organization tokens.',
    'Create one organization token per CI pipeline; do not reuse a token across repositories.',
    'Store every token in a secret manager and rotate it when the people who could read it change.',
  ],
  requiredScopes: [['org:read', 'org:write', 'org:admin']],
  checks: Object.values(CHECKS),

  async evaluate(ctx) {
    const r = recorder(ID, ctx);
    const [org, apps] = await Promise.all([ctx.data.organization(), ctx.data.sentryApps()]);
    const orgRes = orgRef(r.orgSlug, org.ok ? org.value.name : undefined);

    // Which system uses which app's token is outside Sentry; show the apps to check against.
    if (!apps.ok) {
      r.error(CHECKS.dedicatedApps, orgRes, apps, 'sentryApps');
    } else {
      r.invalidItems([CHECKS.dedicatedApps], apps.evidence, 'sentryApps');
      const internal = apps.value.filter((a) => a.status === 'internal');
      if (internal.length === 0) {
        r.notApplicable(CHECKS.dedicatedApps, orgRes, 'The organization has no internal integration.', [apps.evidence]);
      } else {
        r.manual(
          CHECKS.dedicatedApps,
          orgRes,
          `${plural(internal.length, 'internal integration')}: confirm each serves exactly one system and its token is used nowhere else.`,
          [apps.evidence],
          { internalIntegrations: internal.map((a) => ({ slug: a.slug, name: a.name, scopes: a.scopes })) },
        );
      }
    }

    r.manual(
      CHECKS.noPersonalTokens,
      orgRes,
      'Personal tokens are invisible to API tokens: confirm no CI job, script or external tool authenticates with a member\'s personal token.',
      [],
    );

    if (!ctx.includes('L2')) return r.findings;
    // Sentry only records the last project a token touched, so reuse across pipelines cannot be proven here.
    const [tokens, projects] = await Promise.all([ctx.data.orgAuthTokens(), ctx.data.projects()]);
    const unreadable = orgTokensUnreadable(tokens, ctx.settings.orgAuthTokenStaleDays);
    if (unreadable) {
      r.manual(CHECKS.orgTokenUse, orgRes, `${unreadable.message} Confirm each token belongs to one pipeline.`, unreadable.evidence, unreadable.details);
      return r.findings;
    }
    if (!tokens.ok) {
      r.error(CHECKS.orgTokenUse, orgRes, tokens, 'orgAuthTokens');
      return r.findings;
    }
    const unseenTokens = r.invalidItems([CHECKS.orgTokenUse], tokens.evidence, 'orgAuthTokens');
    if (tokens.value.length === 0) {
      if (unseenTokens > 0) return r.findings;
      r.notApplicable(CHECKS.orgTokenUse, orgRes, 'The organization has no organization auth tokens.', [tokens.evidence]);
      return r.findings;
    }
    const slugById = new Map(projects.ok ? projects.value.map((p) => [p.id, p.slug]) : []);
    const usage = tokens.value.map((t) => ({
      name: t.name,
      lastUsed: t.dateLastUsed ?? null,
      lastProject: t.projectLastUsedId ? (slugById.get(t.projectLastUsedId) ?? t.projectLastUsedId) : null,
    }));
    r.manual(
      CHECKS.orgTokenUse,
      orgRes,
      `${plural(tokens.value.length, 'organization token')}; Sentry shows only the last project each one touched. Confirm each token belongs to one pipeline.`,
      projects.ok ? [tokens.evidence, projects.evidence] : [tokens.evidence],
      { tokens: usage },
    );
    return r.findings;
  },
};
