import { createHash } from 'node:crypto';
import { hasProjectAccess, isProjectMember } from '../auth';
import { badRequest, forbidden, notFound } from '../http-types';
import type { RequestContext, SimResponse } from '../http-types';
import { memoized, orgIndex } from '../org-index';
import { paginateOffset, pageResponse } from '../pagination';
import type { Route } from '../router';
import { isoMicro, serializeKey } from '../serializers';
import type { SimKey, SimProject, SimRateLimit } from '../state';
import { findTeam, newId } from '../state';
import { bodyObject, noContent, ok, orgOf, projectOf, recordAudit } from './common';

/** The browser SDK version a project defaults to; a PUT without it resets to this (REFERENCE.md 6). */
export const DEFAULT_BROWSER_SDK_VERSION = 'latest';

function listProjectKeys(ctx: RequestContext): SimResponse {
  const project = projectOf(ctx);
  let keys = project.keys;
  const status = ctx.query.get('status');
  if (status === 'active') keys = keys.filter((k) => k.isActive);
  else if (status === 'inactive') keys = keys.filter((k) => !k.isActive);
  const page = paginateOffset(keys, ctx.query);
  return pageResponse({ ...page, items: page.items.map((k) => serializeKey(k, project, ctx)) });
}

function findKey(project: SimProject, id: string): SimKey {
  const key = project.keys.find((k) => k.id === id);
  if (!key) throw notFound();
  return key;
}

function getKey(ctx: RequestContext): SimResponse {
  const project = projectOf(ctx);
  return ok(serializeKey(findKey(project, ctx.params.key_id as string), project, ctx));
}

/** Sentry's cap on `window`: RateLimitSerializer, src/sentry/api/serializers/rest_framework/project_key.py. */
export const MAX_RATE_LIMIT_WINDOW = 60 * 60 * 24;

/**
 * RateLimitSerializer (src/sentry/api/serializers/rest_framework/project_key.py): count and window
 * are integers >= 0, window <= 86400, either may be null; a null limit, or one with a null count
 * or window, clears it (project_key_details.py `put`).
 */
function parseRateLimit(v: unknown): SimRateLimit | null {
  if (v === null) return null;
  const r = v as { window?: unknown; count?: unknown };
  if (typeof v !== 'object' || Array.isArray(v)) throw badRequest({ rateLimit: { non_field_errors: ['Invalid data. Expected a dictionary, but got str.'] } });
  const errors: Record<string, string[]> = {};
  for (const f of ['window', 'count'] as const) {
    const x = r[f];
    if (x === null || x === undefined) continue;
    if (!Number.isInteger(x)) errors[f] = ['A valid integer is required.'];
    else if ((x as number) < 0) errors[f] = ['Ensure this value is greater than or equal to 0.'];
    else if (f === 'window' && (x as number) > MAX_RATE_LIMIT_WINDOW) errors[f] = [`Ensure this value is less than or equal to ${MAX_RATE_LIMIT_WINDOW}.`];
  }
  if (Object.keys(errors).length > 0) throw badRequest({ rateLimit: errors });
  if (typeof r.window !== 'number' || typeof r.count !== 'number') return null;
  // Sentry serializes a 0 window or count as "no limit".
  return r.window === 0 || r.count === 0 ? null : { window: r.window, count: r.count };
}

/** `projects:rate-limits` for this project (see ServerProfile.rateLimitsForEveryProject). */
function hasRateLimits(ctx: RequestContext, project: SimProject): boolean {
  return ctx.profile.rateLimitsForEveryProject || project.features.includes('rate-limits');
}

function hex32(seed: string): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, 32);
}

function createKey(ctx: RequestContext): SimResponse {
  const { org } = orgOf(ctx);
  const project = projectOf(ctx);
  const body = bodyObject(ctx);
  if (body.name !== undefined && typeof body.name !== 'string') throw badRequest({ name: ['Not a valid string.'] });
  const rateLimit = body.rateLimit === undefined ? null : parseRateLimit(body.rateLimit);
  const id = newId(ctx.state);
  const key: SimKey = {
    id: hex32(`public:${project.id}:${id}`),
    secret: hex32(`secret:${project.id}:${id}`),
    seq: Number(id),
    name: typeof body.name === 'string' && body.name !== '' ? body.name : `Key ${project.keys.length + 1}`,
    isActive: true,
    rateLimit: hasRateLimits(ctx, project) ? rateLimit : null,
    dateCreated: isoMicro(ctx.now()),
    browserSdkVersion: DEFAULT_BROWSER_SDK_VERSION,
    dynamicSdkLoaderOptions: { hasReplay: true, hasPerformance: true, hasDebug: false, hasFeedback: false, hasLogsAndMetrics: false },
  };
  project.keys.push(key);
  recordAudit(ctx, org, 'projectkey.create', {
    note: `added project key ${key.id}`,
    data: { public_key: key.id, label: key.name, rate_limit_count: key.rateLimit?.count ?? null, rate_limit_window: key.rateLimit?.window ?? null },
    targetObject: key.seq,
  });
  return ok(serializeKey(key, project, ctx), 201);
}

function updateKey(ctx: RequestContext): SimResponse {
  const { org } = orgOf(ctx);
  const project = projectOf(ctx);
  const key = findKey(project, ctx.params.key_id as string);
  const body = bodyObject(ctx);
  const prev = key.rateLimit;
  if ('name' in body) {
    if (typeof body.name !== 'string') throw badRequest({ name: ['Not a valid string.'] });
    key.name = body.name;
  }
  if ('isActive' in body) {
    if (typeof body.isActive !== 'boolean') throw badRequest({ isActive: ['Must be a valid boolean.'] });
    key.isActive = body.isActive;
  }
  // Without the feature Sentry does not look at rateLimit at all: the stored limit stays as it was
  // (project_key_details.py `put`: `if features.has("projects:rate-limits", project):`).
  if ('rateLimit' in body && hasRateLimits(ctx, project)) key.rateLimit = parseRateLimit(body.rateLimit);
  else if ('rateLimit' in body) parseRateLimit(body.rateLimit);
  if ('browserSdkVersion' in body) {
    if (body.browserSdkVersion !== 'latest' && body.browserSdkVersion !== '7.x') {
      throw badRequest({ browserSdkVersion: [`"${String(body.browserSdkVersion)}" is not a valid choice.`] });
    }
    key.browserSdkVersion = body.browserSdkVersion;
  } else {
    key.browserSdkVersion = DEFAULT_BROWSER_SDK_VERSION;
  }
  if (body.dynamicSdkLoaderOptions && typeof body.dynamicSdkLoaderOptions === 'object') {
    const o = body.dynamicSdkLoaderOptions as Record<string, unknown>;
    for (const k of Object.keys(key.dynamicSdkLoaderOptions) as (keyof SimKey['dynamicSdkLoaderOptions'])[]) {
      if (typeof o[k] === 'boolean') key.dynamicSdkLoaderOptions[k] = o[k] as boolean;
    }
  }
  recordAudit(ctx, org, 'projectkey.edit', {
    note: `edited project key ${key.id}`,
    data: {
      public_key: key.id,
      label: key.name,
      status: key.isActive ? 0 : 1,
      rate_limit_count: key.rateLimit?.count ?? null,
      rate_limit_window: key.rateLimit?.window ?? null,
      prev_rate_limit_count: prev?.count ?? null,
      prev_rate_limit_window: prev?.window ?? null,
    },
    targetObject: key.seq,
  });
  return ok(serializeKey(key, project, ctx));
}

function deleteKey(ctx: RequestContext): SimResponse {
  const { org } = orgOf(ctx);
  const project = projectOf(ctx);
  const key = findKey(project, ctx.params.key_id as string);
  project.keys = project.keys.filter((k) => k !== key);
  recordAudit(ctx, org, 'projectkey.remove', { note: `removed project key ${key.id}`, data: { public_key: key.id, label: key.name }, targetObject: key.seq });
  return noContent();
}

/** GET /organizations/{org}/project-keys/ (REFERENCE.md 6: default 10 per page, member projects only). */
function listOrgProjectKeys(ctx: RequestContext): SimResponse {
  const { org, access } = orgOf(ctx);
  const q = ctx.query;
  const requested = q.getAll('project');
  const status = q.get('status');
  const teamParam = q.get('team');
  const all = requested.includes('-1') || q.get('projectSlug') === '$all';
  // Every key of every project, newest first, once per revision (org-index.ts): the audit reads
  // this list 100 keys a page, and each page sorted all 20,000 keys again.
  const rows =
    all && access.allProjects && !teamParam
      ? memoized(org, `keys:all:${status ?? ''}`, () => keyRows(org.projects, status))
      : keyRows(selectedProjects(ctx, all, requested, teamParam), status);
  const page = paginateOffset(rows, q, { defaultPerPage: 10, maxPerPage: 100 });
  return pageResponse({ ...page, items: page.items.map((r) => serializeKey(r.key, r.project, ctx)) });
}

function selectedProjects(ctx: RequestContext, all: boolean, requested: string[], teamParam: string | null): SimProject[] {
  const { org, access } = orgOf(ctx);
  let projects: SimProject[];
  if (all) {
    projects = org.projects.filter((p) => hasProjectAccess(access, p));
  } else if (requested.length > 0) {
    projects = requested.map((id) => {
      const p = orgIndex(org).projectById.get(id);
      if (!p || !hasProjectAccess(access, p)) throw forbidden();
      return p;
    });
  } else {
    projects = org.projects.filter((p) => isProjectMember(access, p));
  }
  if (teamParam) {
    const team = findTeam(org, teamParam);
    if (!team) throw notFound('Team not found');
    projects = projects.filter((p) => p.teamIds.includes(team.id));
  }
  return projects;
}

function keyRows(projects: readonly SimProject[], status: string | null): { key: SimKey; project: SimProject }[] {
  const rows: { key: SimKey; project: SimProject }[] = [];
  for (const project of projects) {
    if (project.status !== 'active') continue;
    for (const key of project.keys) {
      if (status === 'active' && !key.isActive) continue;
      if (status === 'inactive' && key.isActive) continue;
      if (status && status !== 'active' && status !== 'inactive') continue;
      rows.push({ key, project });
    }
  }
  rows.sort((a, b) => b.key.seq - a.key.seq);
  return rows;
}

const PROJECT_READ = ['project:admin', 'project:read', 'project:write'];
const PROJECT_WRITE = ['project:admin', 'project:write'];

export const keyRoutes: Route[] = [
  { method: 'GET', path: '/api/0/projects/{org}/{project}/keys/', scopes: PROJECT_READ, auth: 'required', silo: 'region', operationId: 'listProjectKeys', handler: listProjectKeys },
  { method: 'POST', path: '/api/0/projects/{org}/{project}/keys/', scopes: PROJECT_WRITE, auth: 'required', silo: 'region', operationId: 'createProjectKey', handler: createKey },
  { method: 'GET', path: '/api/0/projects/{org}/{project}/keys/{key_id}/', scopes: PROJECT_READ, auth: 'required', silo: 'region', operationId: 'getProjectKey', handler: getKey },
  { method: 'PUT', path: '/api/0/projects/{org}/{project}/keys/{key_id}/', scopes: PROJECT_WRITE, auth: 'required', silo: 'region', operationId: 'updateProjectKey', handler: updateKey },
  { method: 'DELETE', path: '/api/0/projects/{org}/{project}/keys/{key_id}/', scopes: ['project:admin'], auth: 'required', silo: 'region', operationId: 'deleteProjectKey', handler: deleteKey },
  { method: 'GET', path: '/api/0/organizations/{org}/project-keys/', scopes: ['org:admin', 'org:read', 'org:write'], auth: 'required', silo: 'region', operationId: 'listOrganizationProjectKeys', handler: listOrgProjectKeys, onProfile: (p) => (p.orgWideKeyList ? 'as_declared' : 'absent') },
];
