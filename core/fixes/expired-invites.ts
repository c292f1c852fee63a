import type { Finding } from '../../shared/finding';
import type { Probe } from '../../shared/plan';
import { listParam, memberPath } from './build';
import type { ChangeDraft, FixDefinition, FixProposal } from './types';

const CHECK = '2.3.stale-invites';

/**
 * Removes invites whose token expired (REFERENCE.md 3.2 DELETE). The probe also reads `user` and
 * `expired`: if the invite was accepted or renewed since the plan, that is drift and nothing is
 * deleted, so a real member is never removed by this fix.
 */
export const expiredInvitesFix: FixDefinition = {
  id: 'expired-invites',
  title: 'Remove expired invitations',
  controls: ['2.3'],
  checks: [CHECK],
  params: [{ key: 'keepInvites', pattern: /^keepInvites$/, description: 'Member ids of expired invites to keep (comma-separated).' }],

  async plan(ctx, findings: readonly Finding[]): Promise<FixProposal> {
    const keep = new Set(listParam(ctx.params.keepInvites));
    const changes: ChangeDraft[] = [];
    const notes: FixProposal['notes'][number][] = [];
    for (const f of findings) {
      if (f.check !== CHECK || f.status !== 'fail' || f.resource.type !== 'member' || keep.has(f.resource.id)) continue;
      // New-model invites (GET /invited-members/) are not members: their id is not a member id.
      if (f.details?.source === 'invited-members') {
        notes.push({ control: '2.3', check: CHECK, resource: f.resource, kind: 'refused', message: `${f.resource.name}: this invite is on Sentry's new invite model; revoke it in Settings > Members > Pending Invites.` });
        continue;
      }
      const path = memberPath(ctx, f.resource.id);
      const probe: Probe = { path, paginate: false, values: { exists: { exists: true }, user: { pointer: '/user' }, expired: { pointer: '/expired' } } };
      changes.push({
        ref: `invite:${f.resource.id}`,
        control: '2.3',
        check: CHECK,
        resource: f.resource,
        field: 'invitation',
        before: { exists: true, user: null, expired: true },
        after: { exists: false, user: false, expired: false },
        request: { method: 'DELETE', host: 'region', path },
        probe,
        verify: `Re-read GET ${path} and expect 404 (the invitation is gone).`,
        risk: 'low',
        reversible: false,
        inverse: null,
        undoNote: 'Not undone: the invitation had expired and could not be accepted. Invite the person again if they still need access.',
        dependsOn: [],
        confirmSlug: false,
        description: `Revoke the expired invitation of ${f.resource.name}${typeof f.details?.orgRole === 'string' ? ` (${f.details.orgRole})` : ''}.`,
        notes: [],
        record: [],
      });
    }
    return { changes, notes };
  },
};
