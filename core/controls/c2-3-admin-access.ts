import { openInvites } from './invites';
import type { CheckDefinition, ControlDefinition } from './types';
import { ageInDays, memberRef, orgRef, plural, recorder } from './findings';
import { signsInWithSecondFactor } from './members';

const ID = '2.3';

const CHECKS = {
  ownerCount: { id: '2.3.owner-count', title: 'Few owners', level: 'L1', fields: ['email', 'orgRole'] },
  inventory: { id: '2.3.admin-inventory', title: 'Privileged members reviewed', level: 'L1', fields: ['email', 'orgRole'] },
  privileged2fa: { id: '2.3.privileged-2fa', title: 'Owners and managers sign in with a second factor', level: 'L1', fields: ['email', 'orgRole', 'user.has2fa', 'flags.sso:linked'] },
  invites: { id: '2.3.stale-invites', title: 'No expired invites left open', level: 'L1', fields: ['email', 'orgRole', 'expired', 'dateCreated'] },
  memberInvite: { id: '2.3.member-invite', title: 'Only admins invite new members', level: 'L1', fields: ['allowMemberInvite'] },
  projectCreation: { id: '2.3.member-project-creation', title: 'Only admins create projects', level: 'L1', fields: ['allowMemberProjectCreation'] },
} as const satisfies Record<string, CheckDefinition>;

/** Roles that administer the whole organization (members, settings, every project). */
const PRIVILEGED_ROLES = new Set(['owner', 'manager']);

export const adminAccess: ControlDefinition = {
  id: ID,
  title: 'Keep administrative access small and protected',
  section: '2',
  level: 'L1',
  // SOC 2 criterion chosen by us (the guide gives none for 2.3).
  mappings: { cis: ['5.4'], nist: ['AC-6(1)'], soc2: ['CC6.3'] },
  rationale:
    'Owners and managers can change security settings, invite anyone, remove members and read every project. ' +
    'Each extra privileged account is one more credential whose theft hands over the whole organization, ' +
    'so their number stays small, each one needs a second factor, and everyday actions stay with admins.',
  manualSteps: [
    'In Settings > Members, filter by role and keep two or three owners; lower the others to Manager, Admin or Member.',
    'Write down who holds Owner and Manager and why; review the list when people change roles.',
    'Make sure every owner and manager has 2FA or signs in through SSO with MFA.',
    'Revoke invites that have expired or are no longer wanted.',
    'In Settings > General Settings > Membership, turn off "Let Members Invite Others" and "Let Members Create Projects".',
  ],
  requiredScopes: [['member:read', 'member:write', 'member:admin'], ['org:read', 'org:write', 'org:admin']],
  checks: Object.values(CHECKS),

  async evaluate(ctx) {
    const r = recorder(ID, ctx);
    const [org, members] = await Promise.all([ctx.data.organization(), ctx.data.members()]);
    const orgRes = orgRef(r.orgSlug, org.ok ? org.value.name : undefined);

    if (!members.ok) {
      for (const check of [CHECKS.ownerCount, CHECKS.inventory, CHECKS.privileged2fa, CHECKS.invites]) {
        r.error(check, orgRes, members, 'members');
      }
    } else {
      const ev = [members.evidence];
      r.invalidItems([CHECKS.ownerCount, CHECKS.inventory, CHECKS.privileged2fa, CHECKS.invites], members.evidence, 'members');
      const all = members.value;
      const inviteRead = await openInvites(ctx, all, members.evidence, org);
      // New-model invites are not in the members list; owner invites among them count as owners.
      const separate = inviteRead.kind === 'ok' ? inviteRead.invites.filter((i) => i.source === 'invited-members') : [];
      const summary = (role: string) =>
        all.filter((m) => m.orgRole === role).map((m) => ({ id: m.id, name: memberRef(m).name, pending: m.user === null }));

      // An open owner invite is owner access waiting for whoever holds the link: it counts.
      const owners = [...all.filter((m) => m.orgRole === 'owner'), ...separate.filter((i) => i.orgRole === 'owner')];
      const max = ctx.settings.maxOwners;
      const ownerDetails = { owners: owners.length, pendingOwnerInvites: owners.filter((m) => m.user === null).length, maxOwners: max };
      if (owners.length <= max && inviteRead.kind !== 'ok') {
        r.manual(CHECKS.ownerCount, orgRes, `${plural(owners.length, 'owner')} among members, but open owner invites could not be read. ${inviteRead.kind === 'unknown' ? inviteRead.message : inviteRead.failure.error.message}`, inviteRead.evidence, ownerDetails);
      } else if (owners.length > max) {
        r.fail(CHECKS.ownerCount, orgRes, `${plural(owners.length, 'owner')} (invites included); at most ${max} expected.`, ev, {
          ...ownerDetails,
          list: summary('owner'),
        });
      } else {
        r.pass(CHECKS.ownerCount, orgRes, `${plural(owners.length, 'owner')}, within the limit of ${max}.`, ev, ownerDetails);
      }

      // No threshold for managers and admins: the guide asks for a documented review, not a number.
      r.manual(
        CHECKS.inventory,
        orgRes,
        `Confirm each privileged member still needs the role: ${plural(owners.length, 'owner')}, ` +
          `${plural(summary('manager').length, 'manager')}, ${plural(summary('admin').length, 'admin')}.`,
        ev,
        { owners: summary('owner'), managers: summary('manager'), admins: summary('admin') },
      );

      const privileged = all.filter((m) => m.user !== null && PRIVILEGED_ROLES.has(m.orgRole));
      const unprotected = privileged.filter((m) => !signsInWithSecondFactor(m));
      for (const m of unprotected) {
        r.fail(CHECKS.privileged2fa, memberRef(m), `${memberRef(m).name} is ${m.orgRole} without 2FA or a linked SSO identity.`, ev, {
          orgRole: m.orgRole,
        });
      }
      if (unprotected.length === 0) {
        r.pass(CHECKS.privileged2fa, orgRes, `All ${plural(privileged.length, 'owner or manager', 'owners and managers')} use a second factor.`, ev, {
          privileged: privileged.length,
        });
      }

      const invites = inviteRead.kind === 'ok' ? inviteRead.invites : [];
      const expired = invites.filter((m) => m.expired);
      for (const m of expired) {
        const age = ageInDays(m.dateCreated, ctx.now);
        r.fail(CHECKS.invites, memberRef(m), `The invite to ${memberRef(m).name} (${m.orgRole}) has expired but is still listed; revoke it.`, inviteRead.evidence, {
          orgRole: m.orgRole,
          ageDays: age,
          source: m.source,
        });
      }
      if (inviteRead.kind === 'unknown') {
        r.manual(CHECKS.invites, orgRes, inviteRead.message, inviteRead.evidence);
      } else if (inviteRead.kind === 'error') {
        r.error(CHECKS.invites, orgRes, inviteRead.failure, 'memberInvites', { evidence: ev });
      } else if (expired.length === 0) {
        r.pass(
          CHECKS.invites,
          orgRes,
          invites.length === 0 ? 'There are no open invites.' : `${plural(invites.length, 'open invite')}, none expired.`,
          inviteRead.evidence,
          { pending: invites.map((m) => ({ id: m.id, name: memberRef(m).name, role: m.orgRole })) },
        );
      }
    }

    if (!org.ok) {
      r.error(CHECKS.memberInvite, orgRes, org, 'organization');
      r.error(CHECKS.projectCreation, orgRes, org, 'organization');
      return r.findings;
    }
    const ev = [org.evidence];
    const flag = (
      check: CheckDefinition,
      value: boolean | undefined,
      field: string,
      on: string,
      off: string,
    ) => {
      if (value === undefined) r.manual(check, orgRes, `Sentry did not report "${field}": check it in Settings > General Settings.`, ev);
      else if (value) r.fail(check, orgRes, on, ev, { [field]: true });
      else r.pass(check, orgRes, off, ev, { [field]: false });
    };
    flag(
      CHECKS.memberInvite,
      org.value.allowMemberInvite,
      'allowMemberInvite',
      'Any member can invite new people into the organization.',
      'Only admins and above can invite new members.',
    );
    flag(
      CHECKS.projectCreation,
      org.value.allowMemberProjectCreation,
      'allowMemberProjectCreation',
      'Any member can create projects (and so new DSNs) without review.',
      'Only admins and above can create projects.',
    );
    return r.findings;
  },
};
