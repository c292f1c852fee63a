import { z } from 'zod';
import type { Finding } from '../../shared/finding';
import { listParam, opChange } from './build';
import type { ChangeDraft, FixDefinition, FixProposal, OperationRule } from './types';

const CHECK = '2.3.stale-invites';

/** Irreversible, and only ever an invitation: the probe's user/expired guard against a real member. */
const RULE: OperationRule = {
  op: 'invite-delete',
  before: z.strictObject({ exists: z.literal(true), user: z.null(), expired: z.literal(true) }),
  after: z.strictObject({ exists: z.literal(false), user: z.literal(false), expired: z.literal(false) }),
  risk: 'low',
  reversible: false,
};

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
  operations: [RULE],

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
      changes.push(
        opChange(ctx, RULE, { args: { member: f.resource.id } }, { before: { exists: true, user: null, expired: true }, after: { exists: false, user: false, expired: false } }, {
          ref: `invite:${f.resource.id}`,
          control: '2.3',
          check: CHECK,
          resource: f.resource,
          field: 'invitation',
          undoNote: 'Not undone: the invitation had expired and could not be accepted. Invite the person again if they still need access.',
          description: `Revoke the expired invitation of ${f.resource.name}${typeof f.details?.orgRole === 'string' ? ` (${f.details.orgRole})` : ''}.`,
        }),
      );
    }
    if (changes.length > 0 && keep.size === 0) {
      notes.push({
        control: '2.3',
        check: CHECK,
        kind: 'info',
        message: 'Every expired invitation listed is revoked; choose any to keep.',
        param: {
          key: 'keepInvites',
          kind: 'member',
          label: 'Expired invitations to keep',
          choices: changes.map((c) => c.resource.id),
          options: changes.map((c) => ({ value: c.resource.id, label: c.resource.name })),
          multiple: true,
        },
      });
    }
    return { changes, notes };
  },
};
