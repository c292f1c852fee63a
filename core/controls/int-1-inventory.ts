import type { CheckDefinition, ControlDefinition } from './types';
import { orgRef, recorder } from './findings';
import { loadInventory, reportInvalidItems } from './inventory';

const ID = 'INT.1';

const CHECKS = {
  inventory: { id: 'INT.1.inventory', title: 'Every integration is inventoried with its permissions', level: 'L1', claimPerItem: true },
} as const satisfies Record<string, CheckDefinition>;

export const integrationInventory: ControlDefinition = {
  id: ID,
  title: 'Inventory integrations and their permissions',
  section: 'INT',
  level: 'L1',
  // Mappings chosen by us: the least-privilege analysis names none.
  mappings: { cis: ['6.8'], nist: ['AC-2'], soc2: ['CC6.1'] },
  rationale:
    'Every integration acts on the organization with its own grant: source-code hosts and chat tools read ' +
    'issues, internal integrations hold API tokens. Least privilege starts with knowing each of them and ' +
    'what it may do; an integration nobody listed is one nobody reviews.',
  manualSteps: [
    'Open Settings > Integrations and list every installed integration, with who installed it and why.',
    'Open Settings > Developer Settings and list every internal and public integration the organization owns, with its permissions.',
    'For apps of other publishers, open each one\'s page to read the permissions it requested.',
    'Keep the list in the integration register together with the owner of each entry.',
  ],
  requiredScopes: [['org:read', 'org:write', 'org:admin', 'org:integrations']],
  checks: Object.values(CHECKS),

  async evaluate(ctx) {
    const r = recorder(ID, ctx);
    const [org, inv] = await Promise.all([ctx.data.organization(), loadInventory(ctx)]);
    const orgRes = orgRef(r.orgSlug, org.ok ? org.value.name : undefined);
    for (const { read, failure } of inv.failures) r.error(CHECKS.inventory, orgRes, failure, read);
    const unseen = reportInvalidItems(r, [CHECKS.inventory], inv);

    for (const item of inv.items) {
      if (item.kind === 'installed_app') {
        r.manual(
          CHECKS.inventory,
          item.resource,
          `The app "${item.resource.name}" of another publisher is installed; its permissions are not visible here. Read them on its page under Settings > Integrations.`,
          item.evidence,
          item.details,
        );
      } else {
        const perms = item.permissions;
        const what =
          item.kind === 'sentry_app'
            ? `with scopes ${perms && perms.length > 0 ? perms.join(', ') : '(none)'}`
            : perms && perms.length > 0
              ? `with OAuth scopes ${perms.join(', ')}`
              : '(Sentry reports no OAuth scopes for it)';
        // On a partly read list this becomes an error: the brief wants complete evidence for a pass.
        r.pass(CHECKS.inventory, item.resource, `Inventoried: ${item.resource.name} ${what}.`, item.evidence, item.details);
      }
    }
    if (inv.items.length === 0 && inv.failures.length === 0 && unseen === 0) {
      r.notApplicable(CHECKS.inventory, orgRes, 'No integration, internal integration or app is installed.', inv.evidence);
    }
    return r.findings;
  },
};
