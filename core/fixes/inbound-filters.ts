import type { Finding } from '../../shared/finding';
import type { Probe } from '../../shared/plan';
import { apiPath } from '../sentry/client';
import type { ChangeDraft, FixDefinition, FixProposal } from './types';

const CHECK = '3.3.inbound-filters';

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

  async plan(ctx, findings: readonly Finding[]): Promise<FixProposal> {
    const changes: ChangeDraft[] = [];
    for (const f of findings) {
      if (f.check !== CHECK || f.status !== 'fail' || f.resource.type !== 'project') continue;
      const inactive = Array.isArray(f.details?.inactive) ? (f.details.inactive as string[]) : [];
      const state = (f.details?.filters ?? {}) as Record<string, unknown>;
      const slug = f.resource.id;
      const listPath = apiPath`/api/0/projects/${ctx.orgSlug}/${slug}/filters/`;
      for (const id of inactive) {
        // legacy-browsers takes subfilters, not a boolean; it is not among the required filters.
        if (state[id] !== false) continue;
        const path = apiPath`/api/0/projects/${ctx.orgSlug}/${slug}/filters/${id}/`;
        const probe: Probe = { path: listPath, paginate: false, values: { active: { item: { pointer: '', key: 'id', value: id, field: 'active' } } } };
        changes.push({
          ref: `filter:${slug}:${id}`,
          control: '3.3',
          check: CHECK,
          resource: f.resource,
          field: `filter ${id}`,
          before: { active: false },
          after: { active: true },
          request: { method: 'PUT', host: 'region', path, body: { active: true } },
          probe,
          verify: `Re-read GET ${listPath} and expect ${id} to be active.`,
          risk: 'low',
          reversible: true,
          inverse: {
            request: { method: 'PUT', host: 'region', path, body: { active: false } },
            probe,
            before: { active: true },
            after: { active: false },
            risk: 'low',
            description: `Turn the ${id} filter off again.`,
          },
          dependsOn: [],
          confirmSlug: false,
          description: `Turn on the ${id} inbound filter of ${slug}: such events are dropped before they are stored.`,
          notes: [],
          record: [],
        });
      }
    }
    return { changes, notes: [] };
  },
};
