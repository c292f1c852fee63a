import type { SimMember, SimOrg, SimProject, SimTeam } from './state';

/**
 * Per-organization lookups, so the simulator answers each request in the same time at 10,000
 * projects as at 10 (issue 10: its scans grew with the org and competed with the engine the
 * benchmark measures). Not a Sentry behaviour: only how rows are found; every answer is the one
 * the scans gave, in the same order.
 *
 * An index is rebuilt when the state may have changed: after every write request and every
 * scheduled task (the server calls `stateChanged`), or when one of the org's member, team or
 * project arrays was replaced or changed length. A test that edits a row in place between two
 * requests (a member's teams, a project's teamIds) calls `stateChanged()` itself.
 */

let revision = 0;

/** Marks every index stale. */
export function stateChanged(): void {
  revision += 1;
}

export interface OrgIndex {
  /** The first member of each user (Array.find's answer). */
  readonly memberByUser: ReadonlyMap<string, SimMember>;
  /** Approved members of each team, in org order (team rosters before their per-user filters). */
  readonly approvedByTeam: ReadonlyMap<string, readonly SimMember[]>;
  /** Projects of each team, in org order. */
  readonly projectsByTeam: ReadonlyMap<string, readonly SimProject[]>;
  readonly teamById: ReadonlyMap<string, SimTeam>;
  readonly projectById: ReadonlyMap<string, SimProject>;
  /** Members with an account on each team (pending invites are not counted). */
  readonly teamMemberCounts: Map<string, number>;
  /** Lists derived once per revision (the org-wide key rows, listed members...), by name. */
  readonly memo: Map<string, unknown>;
}

interface Entry {
  readonly signature: readonly unknown[];
  readonly index: OrgIndex;
}

const indexes = new WeakMap<SimOrg, Entry>();

function signatureOf(org: SimOrg): unknown[] {
  return [revision, org.members, org.members.length, org.teams, org.teams.length, org.projects, org.projects.length];
}

function build(org: SimOrg): OrgIndex {
  const memberByUser = new Map<string, SimMember>();
  const approvedByTeam = new Map<string, SimMember[]>();
  const counts = new Map<string, number>();
  for (const m of org.members) {
    if (m.userId !== null && !memberByUser.has(m.userId)) memberByUser.set(m.userId, m);
    if (m.inviteStatus !== 'approved') continue;
    for (const t of m.teams) {
      const list = approvedByTeam.get(t.teamId);
      // A member listed twice on one team is one roster row, as `some` would count it.
      if (list === undefined) approvedByTeam.set(t.teamId, [m]);
      else if (list[list.length - 1] !== m) list.push(m);
      if (m.userId !== null) counts.set(t.teamId, (counts.get(t.teamId) ?? 0) + 1);
    }
  }
  const projectsByTeam = new Map<string, SimProject[]>();
  const projectById = new Map<string, SimProject>();
  for (const p of org.projects) {
    if (!projectById.has(p.id)) projectById.set(p.id, p);
    for (const id of new Set(p.teamIds)) {
      const list = projectsByTeam.get(id);
      if (list === undefined) projectsByTeam.set(id, [p]);
      else list.push(p);
    }
  }
  const teamById = new Map<string, SimTeam>();
  for (const t of org.teams) if (!teamById.has(t.id)) teamById.set(t.id, t);
  return { memberByUser, approvedByTeam, projectsByTeam, teamById, projectById, teamMemberCounts: counts, memo: new Map() };
}

export function orgIndex(org: SimOrg): OrgIndex {
  const signature = signatureOf(org);
  const entry = indexes.get(org);
  if (entry && entry.signature.every((v, i) => v === signature[i])) return entry.index;
  const index = build(org);
  indexes.set(org, { signature, index });
  return index;
}

/** A list derived from the org once per revision, under `key` (which names every input it depends on). */
export function memoized<T>(org: SimOrg, key: string, compute: () => T): T {
  const memo = orgIndex(org).memo;
  if (memo.has(key)) return memo.get(key) as T;
  const value = compute();
  memo.set(key, value);
  return value;
}
