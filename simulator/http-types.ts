import type { ServerProfile } from './profiles';
import type { SimMember, SimOrg, SimProject, SimState, SimTeam, SimToken, SimUser } from './state';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** What a handler answers. `body: undefined` sends no body (204, 400-empty). */
export interface SimResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Link header pieces when the response is a page; the server renders them (and faults may bend them). */
  page?: PageLinks;
}

export interface PageLinks {
  prevCursor: string;
  prevResults: boolean;
  nextCursor: string;
  nextResults: boolean;
}

/** Thrown by handlers and the pipeline for an error answer; the server turns it into a response. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(`HTTP ${status}`);
  }
}

export const NOT_FOUND = { detail: 'The requested resource does not exist' };
export const NO_PERMISSION = { detail: 'You do not have permission to perform this action.' };
export const NOT_PROVIDED = { detail: 'Authentication credentials were not provided.' };

export function notFound(detail: string = NOT_FOUND.detail): HttpError {
  return new HttpError(404, { detail });
}

export function forbidden(body: unknown = NO_PERMISSION): HttpError {
  return new HttpError(403, body);
}

export function badRequest(body: unknown): HttpError {
  return new HttpError(400, body);
}

/** The authenticated caller, resolved from the bearer token. */
export interface Caller {
  token: SimToken;
  /** The user the token acts as (for internal integrations, the app's proxy user). */
  user: SimUser | undefined;
  /** Token scopes after hierarchy expansion. */
  tokenScopes: Set<string>;
}

/** The caller's access to one organization (auth/access.py). */
export interface OrgAccess {
  member: SimMember | undefined;
  /** Effective scopes: token scopes ∩ member role scopes (or the token's own for integrations). */
  scopes: Set<string>;
  /** Sees every project: global role, open membership, or an internal integration. */
  allProjects: boolean;
  /** Team ids the caller's member belongs to. */
  teamIds: Set<string>;
}

export interface RequestContext {
  state: SimState;
  method: HttpMethod;
  /** Path after the configured prefix, e.g. `/api/0/organizations/acme/`. */
  apiPath: string;
  query: URLSearchParams;
  params: Record<string, string>;
  body: unknown;
  caller: Caller | null;
  org?: SimOrg;
  access?: OrgAccess;
  project?: SimProject;
  team?: SimTeam;
  /** Base URL clients are told about (Link headers, redirects), no trailing slash. */
  publicUrl: string;
  regionUrl: string;
  regions: { name: string; url: string }[];
  now: () => Date;
  /** Runs `fn` later, like Sentry's async tasks (e.g. the 2FA compliance task); cancelled on close. */
  schedule: (fn: () => void) => void;
  /** The deployment shape being simulated; handlers branch only on its switches. */
  profile: ServerProfile;
}
