import { expandScopes } from '../../shared/scopes';
import type { CheckDefinition, ControlDefinition } from './types';
import { orgRef, plural, recorder } from './findings';
import { loadInventory, registerEntriesFor, reportInvalidItems } from './inventory';

const ID = 'INT.5';

const CHECKS = {
  documented: { id: 'INT.5.documented', title: 'Each integration\'s permissions are documented with a reason and an owner', level: 'L2' },
} as const satisfies Record<string, CheckDefinition>;

export const documentedPermissions: ControlDefinition = {
  id: ID,
  title: 'Document integration permissions and their reasons',
  section: 'INT',
  level: 'L2',
  // Mappings chosen by us: the least-privilege analysis names none.
  mappings: { cis: ['6.8'], nist: ['AC-2', 'AC-6'], soc2: ['CC6.3'] },
  rationale:
    'A permission without a written reason cannot be judged at the next review, and an integration without an ' +
    'owner has nobody to ask. The register records, per integration, what it holds, why, and who answers for it.',
  manualSteps: [
    'For each integration, write down the permissions it holds, why each is needed, and the person responsible.',
    'Keep the register under version control next to other access records.',
    'Update the entry whenever the integration\'s permissions change.',
  ],
  requiredScopes: [['org:read', 'org:write', 'org:admin', 'org:integrations']],
  checks: Object.values(CHECKS),

  async evaluate(ctx) {
    const r = recorder(ID, ctx);
    if (!ctx.includes('L2')) return r.findings;
    const [org, inv] = await Promise.all([ctx.data.organization(), loadInventory(ctx)]);
    const orgRes = orgRef(r.orgSlug, org.ok ? org.value.name : undefined);
    for (const { read, failure } of inv.failures) r.error(CHECKS.documented, orgRes, failure, read);
    const unseen = reportInvalidItems(r, [CHECKS.documented], inv);

    let undocumented = 0;
    for (const item of inv.items) {
      const entries = registerEntriesFor(item, ctx.integrationRegister);
      const problems: string[] = [];
      let undocumentedScopes: string[] = [];
      if (entries.length === 0) {
        problems.push('it has no entry in the integration register');
      } else {
        const complete = entries.find((e) => e.permissions.length > 0 && e.rationale.trim() !== '' && e.owner.trim() !== '');
        if (!complete) problems.push('its register entry lacks permissions, a rationale or an owner');
        // Scopes the integration holds that no entry names (a documented higher scope covers the lower ones).
        const documented = expandScopes(entries.flatMap((e) => e.permissions));
        undocumentedScopes = (item.permissions ?? []).filter((p) => !documented.has(p));
        if (undocumentedScopes.length > 0) problems.push(`it holds undocumented permissions (${undocumentedScopes.join(', ')})`);
      }
      if (problems.length === 0) continue;
      undocumented += 1;
      r.fail(CHECKS.documented, item.resource, `${item.resource.name}: ${problems.join('; ')}.`, item.evidence, {
        entries: entries.length,
        holds: item.permissions,
        undocumentedScopes,
      });
    }
    if (inv.failures.length > 0 || unseen > 0) return r.findings;
    if (inv.items.length === 0) {
      r.notApplicable(CHECKS.documented, orgRes, 'No integration is installed.', inv.evidence);
    } else if (undocumented === 0) {
      r.pass(CHECKS.documented, orgRes, `All ${plural(inv.items.length, 'integration')} are documented with reasons and owners.`, inv.evidence);
    }
    return r.findings;
  },
};
