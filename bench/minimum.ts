import type { Level } from '../shared/levels';

/** What the minimum request count depends on. */
export interface OrgShape {
  readonly members: number;
  readonly teams: number;
  readonly teamMemberCounts: readonly number[];
  readonly projects: number;
  readonly keys: number;
  readonly integrations: number;
  readonly sentryApps: number;
  readonly sentryAppInstallations: number;
}

/** Pages of a list at Sentry's maximum page size; an empty list still takes one request. */
const pages = (n: number): number => Math.max(1, Math.ceil(n / 100));

/**
 * The fewest requests an audit at `level` can make while reading everything its checks need,
 * with the best strategy the API allows (org-wide key list, 100 items a page): the yardstick
 * for the engine's request count.
 */
export function minimumRequests(s: OrgShape, level: Level): number {
  let n =
    1 + // GET /api/0/ (token scopes and user)
    1 + // organization detail
    1 + // auth provider (SSO)
    pages(s.members) +
    pages(s.teams) +
    s.teamMemberCounts.reduce((sum, c) => sum + pages(c), 0) + // members in no team (2.1)
    pages(s.projects) +
    s.projects + // project detail: effective scrubbing (3.1), allowed domains (3.2)
    pages(s.keys) + // org-wide client keys (3.2)
    1 + // newest audit-log page (4.1)
    pages(s.integrations) +
    pages(s.sentryApps) +
    pages(s.sentryAppInstallations) +
    1; // org auth tokens (2.4), unpaginated
  if (level !== 'L1') n += s.projects; // inbound filters per project (3.3)
  return n;
}
