import { z } from 'zod';
import type { Finding } from '../../shared/finding';
import { opChange } from './build';
import type { ChangeDraft, FixDefinition, FixProposal, OperationRule } from './types';

const CHECK = '3.3.inbound-filters';

const RULE: OperationRule = { op: 'filter-enable', after: z.strictObject({ active: z.literal(true) }), risk: 'low', reversible: true };

/**
 * Turns on the inbound filters 3.3 requires (REFERENCE.md 7): one PUT per filter, which Sentry
 * answers with 204 (older servers 201); the filter list is re-read to verify.
 */
export const inboundFiltersFix: FixDefinition = {
  id: 'inbound-filters',
  title: 'Enable inbound filters',
  controls: ['3.3'],
  checks: [CHECK],
  params: [],
  operations: [RULE],

  async plan(ctx, findings: readonly Finding[]): Promise<FixProposal> {
    const changes: ChangeDraft[] = [];
    for (const f of findings) {
      if (f.check !== CHECK || f.status !== 'fail' || f.resource.type !== 'project') continue;
      const inactive = Array.isArray(f.details?.inactive) ? (f.details.inactive as string[]) : [];
      const state = (f.details?.filters ?? {}) as Record<string, unknown>;
      const slug = f.resource.id;
      for (const id of inactive) {
        // legacy-browsers takes subfilters, not a boolean; it is not among the required filters.
        if (state[id] !== false) continue;
        changes.push(
          opChange(ctx, RULE, { args: { project: slug, filter: id } }, { before: { active: false }, after: { active: true } }, {
            ref: `filter:${slug}:${id}`,
            control: '3.3',
            check: CHECK,
            resource: f.resource,
            field: `filter ${id}`,
            description: `Turn on the ${id} inbound filter of ${slug}: such events are dropped before they are stored.`,
          }),
        );
      }
    }
    return { changes, notes: [] };
  },
};
