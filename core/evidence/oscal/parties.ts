import type { EvidenceReport } from '../../../shared/evidence';
import { stableUuid } from './ids';

type Json = Record<string, unknown>;

/** The roles our documents use; OSCAL leaves role ids to the document. */
const ROLES: readonly Json[] = [
  { id: 'assessor', title: 'Assessor', description: 'Ran the sentry-harden session (the API token\'s user).' },
  { id: 'assessed-organization', title: 'Assessed organization', description: 'The Sentry organization the checks read.' },
  { id: 'approver', title: 'Exception approver' },
  { id: 'risk-owner', title: 'Risk owner' },
  { id: 'attestor', title: 'Attestor', description: 'Signed a statement for a control the API cannot show.' },
];

export interface PartyIndex {
  readonly roles: Json[];
  readonly parties: Json[];
  readonly responsible: Json[];
  /** The party uuid of a person named in a register (created on first use). */
  person(name: string): string;
}

/**
 * Parties: the organization, the token's user when the report names one, and every person the
 * registers name (approvers, owners, attestors), each once by name. Only what report.json already
 * holds; nothing is looked up.
 */
export function buildParties(ns: string, report: EvidenceReport): PartyIndex {
  const parties: Json[] = [];
  const byName = new Map<string, string>();
  const orgUuid = stableUuid(ns, `party:org:${report.target.org.id}`);
  parties.push({ uuid: orgUuid, type: 'organization', name: report.target.org.name, 'short-name': report.target.org.slug });
  const responsible: Json[] = [{ 'role-id': 'assessed-organization', 'party-uuids': [orgUuid] }];
  const user = report.token.user;
  if (user) {
    const uuid = stableUuid(ns, `party:user:${user.id}`);
    parties.push({ uuid, type: 'person', name: user.email ?? `Sentry user ${user.id}`, ...(user.email ? { 'email-addresses': [user.email] } : {}) });
    responsible.push({ 'role-id': 'assessor', 'party-uuids': [uuid] });
  }
  const person = (name: string): string => {
    const key = name.trim();
    const known = byName.get(key);
    if (known) return known;
    const uuid = stableUuid(ns, `party:person:${key}`);
    byName.set(key, uuid);
    parties.push({ uuid, type: 'person', name: key });
    return uuid;
  };
  return { roles: [...ROLES], parties, responsible, person };
}
