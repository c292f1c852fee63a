import { orgIndex } from './org-index';
import type { SimMember, SimOrg, SimProject, SimState, SimTeam, SimUser } from './state';

// Lookups over the simulator's state through indexes, so a request costs the same at any size.

export function findOrg(state: SimState, idOrSlug: string): SimOrg | undefined {
  return state.organizations.find((o) => o.slug === idOrSlug || o.id === idOrSlug);
}

/**
 * Teams and projects by slug and id, so a request costs the same at 10,000 projects as at 10
 * (issue 10: the scans made the simulator compete with the engine it measures). Not a Sentry
 * behaviour, only a lookup: a hit is checked against the item itself (slugs can be renamed in
 * place) and any miss or stale hit rebuilds the index, so the answer is always the scan's.
 * Slugs are unique within an organization (Sentry's Project/Team unique_together), ids always.
 */
const slugIdIndex = new WeakMap<readonly { slug: string; id: string }[], Map<string, number>>();

function lookupBySlugOrId<T extends { slug: string; id: string }>(rows: readonly T[], idOrSlug: string): T | undefined {
  const matches = (i: number | undefined): boolean => i !== undefined && (rows[i]?.slug === idOrSlug || rows[i]?.id === idOrSlug);
  const first = (map: Map<string, number>): number | undefined => {
    const a = map.get(`slug:${idOrSlug}`);
    const b = map.get(`id:${idOrSlug}`);
    // The earlier row, as Array.find would return.
    return a === undefined ? b : b === undefined ? a : Math.min(a, b);
  };
  let map = slugIdIndex.get(rows);
  let i = map ? first(map) : undefined;
  if (!map || !matches(i) || map.size > 2 * rows.length + 2) {
    map = new Map();
    for (let k = rows.length - 1; k >= 0; k--) {
      map.set(`id:${rows[k]!.id}`, k);
      map.set(`slug:${rows[k]!.slug}`, k);
    }
    slugIdIndex.set(rows, map);
    i = first(map);
  }
  return matches(i) ? rows[i as number] : undefined;
}

export function findTeam(org: SimOrg, idOrSlug: string): SimTeam | undefined {
  return lookupBySlugOrId(org.teams, idOrSlug);
}

export function findProject(org: SimOrg, idOrSlug: string): SimProject | undefined {
  return lookupBySlugOrId(org.projects, idOrSlug);
}

/** Users by id, rebuilt when the users array changes size or a lookup misses (orgs of 5,000 members). */
const userIndex = new WeakMap<SimUser[], Map<string, SimUser>>();

function indexUsers(users: SimUser[]): Map<string, SimUser> {
  const map = new Map(users.map((u) => [u.id, u]));
  userIndex.set(users, map);
  return map;
}

export function findUser(state: SimState, id: string | null | undefined): SimUser | undefined {
  if (!id) return undefined;
  let map = userIndex.get(state.users);
  if (!map || map.size !== state.users.length) map = indexUsers(state.users);
  const hit = map.get(id);
  if (hit && hit.id === id) return hit;
  return indexUsers(state.users).get(id);
}

export function memberOfUser(org: SimOrg, userId: string | undefined): SimMember | undefined {
  if (!userId) return undefined;
  // The first member of the user, as Array.find answers (org-index.ts).
  return orgIndex(org).memberByUser.get(userId);
}
