import type { Evidence } from '../../shared/finding';
import type { Loaded } from '../sentry/org-data';
import type { Member, Organization } from '../sentry/schemas';
import type { LoadFailure } from './findings';
import type { ControlContext } from './types';

/** The org feature of the new invite model (organization_member_invite/index.py). */
export const NEW_INVITE_FEATURE = 'new-organization-member-invite';

/** An open invite, from the members list (old model) or /invited-members/ (new model). */
export interface OpenInvite {
  readonly id: string;
  readonly email?: string | null | undefined;
  readonly name?: string | null | undefined;
  readonly user: null;
  readonly orgRole: string;
  readonly expired: boolean;
  readonly dateCreated?: string | undefined;
  /** Where it was listed: the fix that revokes invites only knows the members endpoint. */
  readonly source: 'members' | 'invited-members';
}

export type InviteRead =
  | { readonly kind: 'ok'; readonly invites: readonly OpenInvite[]; readonly evidence: Evidence[] }
  | { readonly kind: 'unknown'; readonly message: string; readonly evidence: Evidence[] }
  | { readonly kind: 'error'; readonly failure: LoadFailure; readonly evidence: Evidence[] };

/**
 * Every open invite the server can show. Orgs on the new invite model no longer list invites in
 * the members list (organization_member_index.py; they live at /invited-members/), so an empty
 * members list proves nothing there: the invite list is read when the org has the feature, or when
 * the org's features are unknown. A server without that endpoint (404, older releases) or an org
 * without the feature (403 "does not have access to this feature") lists invites as members.
 */
export async function openInvites(ctx: ControlContext, members: Member[], membersEvidence: Evidence, org: Loaded<Organization>): Promise<InviteRead> {
  const listed: OpenInvite[] = members
    .filter((m) => m.user === null)
    .map((m) => ({ id: m.id, email: m.email, name: m.name, user: null, orgRole: m.orgRole, expired: m.expired, dateCreated: m.dateCreated, source: 'members' }));
  const features = org.ok ? org.value.features : undefined;
  if (features !== undefined && !features.includes(NEW_INVITE_FEATURE)) {
    return { kind: 'ok', invites: listed, evidence: [membersEvidence] };
  }
  const read = await ctx.data.memberInvites();
  if (read.ok) {
    const seen = new Set(listed.map((i) => i.id));
    const extra: OpenInvite[] = read.value
      .filter((i) => !seen.has(i.id))
      .map((i) => ({ id: i.id, email: i.email, user: null, orgRole: i.orgRole, expired: i.expired, dateCreated: i.dateCreated, source: 'invited-members' }));
    return { kind: 'ok', invites: [...listed, ...extra], evidence: [membersEvidence, read.evidence] };
  }
  const evidence = [membersEvidence, ...(read.evidence ? [read.evidence] : [])];
  if (read.error.code === 'not_found') return { kind: 'ok', invites: listed, evidence };
  if (features === undefined || read.error.code === 'forbidden' || read.error.code === 'missing_scope') {
    return {
      kind: 'unknown',
      message:
        `The invite list (${read.error.endpoint ?? 'GET /invited-members/'}) could not be read (${read.error.code}) and the members list ` +
        'of an org on the new invite model does not show invites: review open invites in Settings > Members > Pending Invites.',
      evidence,
    };
  }
  return { kind: 'error', failure: read, evidence };
}
