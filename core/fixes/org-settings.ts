import { z } from 'zod';
import type { Finding } from '../../shared/finding';
import { orgRef } from '../controls/findings';
import { fieldPut } from './build';
import type { ChangeDraft, FixDefinition, FixProposal, OperationRule } from './types';

/** Each failing check, the organization field that fixes it and the safe value. */
const SETTINGS: readonly { check: string; control: string; field: string; safe: boolean | string; why: string }[] = [
  { check: '2.1.open-membership', control: '2.1', field: 'openMembership', safe: false, why: 'Members can no longer join any team on their own; joining needs approval.' },
  { check: '2.1.default-role', control: '2.1', field: 'defaultRole', safe: 'member', why: 'New members start with the Member role.' },
  { check: '2.3.member-invite', control: '2.3', field: 'allowMemberInvite', safe: false, why: 'Only admins and above can invite new members.' },
  { check: '2.3.member-project-creation', control: '2.3', field: 'allowMemberProjectCreation', safe: false, why: 'Only admins and above can create projects.' },
];

/** One field at a time, only to its safe value. */
const RULE: OperationRule = {
  op: 'org-fields',
  after: z.union(SETTINGS.map((s) => z.strictObject({ [s.field]: z.literal(s.safe) }))),
  risk: 'low',
  reversible: true,
};

export const orgSettingsFix: FixDefinition = {
  id: 'org-settings',
  title: 'Organization membership settings',
  controls: ['2.1', '2.3'],
  checks: SETTINGS.map((s) => s.check),
  params: [],
  operations: [RULE],

  async plan(ctx, findings: readonly Finding[]): Promise<FixProposal> {
    const changes: ChangeDraft[] = [];
    const notes: FixProposal['notes'][number][] = [];
    const org = ctx.org as Record<string, unknown>;
    for (const s of SETTINGS) {
      if (!findings.some((f) => f.check === s.check && f.status === 'fail')) continue;
      const before = org[s.field];
      if (before === undefined || before === s.safe) continue;
      // Without org:admin Sentry ignores defaultRole silently (REFERENCE.md 1): do not pretend.
      if (s.field === 'defaultRole' && !(ctx.org.access ?? []).includes('org:admin')) {
        notes.push({ control: s.control, check: s.check, kind: 'refused', message: 'Setting the default role needs org:admin in this organization (an owner\'s token); Sentry ignores it otherwise.' });
        continue;
      }
      changes.push(
        fieldPut(ctx, RULE, {}, { [s.field]: { before: before as string | boolean, after: s.safe } }, {
          ref: s.field,
          control: s.control,
          check: s.check,
          resource: orgRef(ctx.orgSlug, ctx.org.name),
          description: `Set ${s.field} to ${JSON.stringify(s.safe)}. ${s.why}`,
        }),
      );
    }
    return { changes, notes };
  },
};
