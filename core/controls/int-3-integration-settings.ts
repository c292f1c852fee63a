import type { CheckDefinition, ControlDefinition } from './types';
import { orgRef, recorder } from './findings';

const ID = 'INT.3';

const CHECKS = {
  settings: { id: 'INT.3.integration-settings', title: 'Integration-specific permission settings are used', level: 'L2' },
} as const satisfies Record<string, CheckDefinition>;

/** Names of the configuration fields Sentry shows, never their values (they may hold secrets). */
function configKeys(config: unknown): string[] {
  return config && typeof config === 'object' && !Array.isArray(config) ? Object.keys(config).sort() : [];
}

export const integrationSettings: ControlDefinition = {
  id: ID,
  title: 'Use each integration\'s own permission settings',
  section: 'INT',
  level: 'L2',
  // Mappings chosen by us: the least-privilege analysis names none.
  mappings: { cis: ['6.8'], nist: ['AC-6'], soc2: ['CC6.3'] },
  rationale:
    'Many integrations can be narrowed beyond their scopes: a source-code integration to chosen repositories, ' +
    'a chat integration to chosen channels, an issue tracker to one project. Those settings live partly in ' +
    'Sentry and partly in the other product, and they are what keeps a broad grant from covering everything.',
  manualSteps: [
    'For each integration in Settings > Integrations, open Configure and limit it to the repositories, channels or projects it serves.',
    'On the other product\'s side (GitHub app installation, Slack app, Jira connection), restrict the installation to the same resources.',
    'Record the chosen limits in the integration register.',
  ],
  requiredScopes: [['org:read', 'org:write', 'org:admin', 'org:integrations']],
  checks: Object.values(CHECKS),

  async evaluate(ctx) {
    const r = recorder(ID, ctx);
    if (!ctx.includes('L2')) return r.findings;
    const [org, integrations] = await Promise.all([ctx.data.organization(), ctx.data.integrations()]);
    const orgRes = orgRef(r.orgSlug, org.ok ? org.value.name : undefined);
    if (!integrations.ok) {
      r.error(CHECKS.settings, orgRes, integrations, 'integrations');
      return r.findings;
    }
    const ev = [integrations.evidence];
    const unseen = r.invalidItems([CHECKS.settings], integrations.evidence, 'integrations');
    if (integrations.value.length === 0 && unseen === 0) {
      r.notApplicable(CHECKS.settings, orgRes, 'No integration is installed.', ev);
      return r.findings;
    }
    for (const i of integrations.value) {
      const keys = configKeys(i.configData);
      const orgKeys = Array.isArray(i.configOrganization) ? i.configOrganization.length : 0;
      r.manual(
        CHECKS.settings,
        { type: 'integration', id: i.id, name: `${i.name} (${i.provider.name})` },
        keys.length > 0
          ? `Sentry shows settings for ${i.provider.name} "${i.name}" (${keys.join(', ')}); confirm they limit it to what it serves, and check the ${i.provider.name} side too.`
          : i.configData === null || i.configData === undefined
            ? // Read with includeConfig=0 (org-data.ts): asking for the settings makes Sentry call the third party.
              `Check the settings of ${i.provider.name} "${i.name}" on its configuration page (the audit does not ask Sentry for them, which would make Sentry call ${i.provider.name}), and the ${i.provider.name} side for ways to narrow it.`
            : `Sentry shows no settings for ${i.provider.name} "${i.name}"; check its configuration page and the ${i.provider.name} side for ways to narrow it.`,
        ev,
        { provider: i.provider.key, configFields: keys, configurableOptions: orgKeys },
      );
    }
    return r.findings;
  },
};
