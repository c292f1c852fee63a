import type { CheckDefinition, ControlDefinition } from './types';
import { ageInDays, orgRef, plural, recorder } from './findings';
import { loadInventory, registerEntriesFor, reportInvalidItems } from './inventory';

const ID = 'INT.4';

const CHECKS = {
  reviewed: { id: 'INT.4.reviewed', title: 'Each integration was reviewed recently', level: 'L2' },
} as const satisfies Record<string, CheckDefinition>;

export const periodicReview: ControlDefinition = {
  id: ID,
  title: 'Review integration permissions regularly',
  section: 'INT',
  level: 'L2',
  // Mappings chosen by us: the least-privilege analysis names none.
  mappings: { cis: ['6.8'], nist: ['AC-2', 'AC-6(7)'], soc2: ['CC6.2', 'CC6.3'] },
  rationale:
    'Integrations outlive the projects and people that needed them, and vendors widen what they request over ' +
    'time. A dated review per integration is how unused ones get removed and grown permissions get noticed.',
  manualSteps: [
    'Each quarter, walk through Settings > Integrations and Settings > Developer Settings with the owner of each integration.',
    'Uninstall what is no longer used; lower permissions that are broader than needed.',
    'Record the review date in the integration register for every integration.',
  ],
  requiredScopes: [['org:read', 'org:write', 'org:admin', 'org:integrations']],
  checks: Object.values(CHECKS),

  async evaluate(ctx) {
    const r = recorder(ID, ctx);
    if (!ctx.includes('L2')) return r.findings;
    const [org, inv] = await Promise.all([ctx.data.organization(), loadInventory(ctx)]);
    const orgRes = orgRef(r.orgSlug, org.ok ? org.value.name : undefined);
    for (const { read, failure } of inv.failures) r.error(CHECKS.reviewed, orgRes, failure, read);
    const unseen = reportInvalidItems(r, [CHECKS.reviewed], inv);

    const limit = ctx.settings.integrationReviewDays;
    let overdue = 0;
    for (const item of inv.items) {
      const entries = registerEntriesFor(item, ctx.integrationRegister);
      const ages = entries.map((e) => ageInDays(e.lastReviewed, ctx.now)).filter((a): a is number => a !== null);
      const newest = ages.length > 0 ? Math.min(...ages) : null;
      if (newest !== null && newest <= limit) continue;
      overdue += 1;
      const why =
        entries.length === 0
          ? 'has never been reviewed (no entry in the integration register)'
          : newest === null
            ? 'has a register entry without a readable review date'
            : `was last reviewed ${newest} days ago`;
      r.fail(CHECKS.reviewed, item.resource, `${item.resource.name} ${why}; review it at least every ${limit} days.`, item.evidence, {
        lastReviewed: entries.map((e) => e.lastReviewed),
        daysSinceReview: newest,
        integrationReviewDays: limit,
      });
    }
    if (inv.failures.length > 0 || unseen > 0) return r.findings;
    if (inv.items.length === 0) {
      r.notApplicable(CHECKS.reviewed, orgRes, 'No integration is installed.', inv.evidence);
    } else if (overdue === 0) {
      r.pass(CHECKS.reviewed, orgRes, `All ${plural(inv.items.length, 'integration')} were reviewed within ${limit} days.`, inv.evidence);
    }
    return r.findings;
  },
};
