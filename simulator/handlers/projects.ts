import { hasProjectAccess } from '../auth';
import { HttpError, badRequest, forbidden, notFound } from '../http-types';
import type { RequestContext, SimResponse } from '../http-types';
import { memoized, orgIndex } from '../org-index';
import { paginateOffset, pageResponse } from '../pagination';
import { ORG_ROLE_IDS } from '../roles';
import type { Route } from '../router';
import { serializeProjectDetail, serializeProjectSummary, serializeTeam, teamMemberCounts } from '../serializers';
import type { FilterState, ProjectSettings, SimProject } from '../state';
import { FILTER_IDS, findTeam } from '../state';
import { bodyObject, noContent, ok, orgOf, projectOf, recordAudit } from './common';

function listProjects(ctx: RequestContext): SimResponse {
  const { org, access } = orgOf(ctx);
  // With access to every project, the active ones once per revision (org-index.ts).
  let rows = access.allProjects
    ? memoized(org, 'projects:active', () => org.projects.filter((p) => p.status === 'active'))
    : org.projects.filter((p) => p.status === 'active' && hasProjectAccess(access, p));
  const q = ctx.query.get('query');
  if (q) {
    const text = q.toLowerCase().replace(/^slug:/, '');
    rows = rows.filter((p) => p.slug.toLowerCase().includes(text) || p.name.toLowerCase().includes(text));
  }
  const page = paginateOffset(rows, ctx.query);
  return pageResponse({ ...page, items: page.items.map((p) => serializeProjectSummary(p, org, access)) });
}

function getProject(ctx: RequestContext): SimResponse {
  const { org, access } = orgOf(ctx);
  return ok(serializeProjectDetail(projectOf(ctx), org, ctx, access));
}

// ---- PUT /projects/{org}/{project}/ (REFERENCE.md 5) ----

/** Audit-data key (the project option name) for each setting. */
const OPTION_NAME: Record<keyof ProjectSettings, string> = {
  allowedDomains: 'sentry:origins',
  dataScrubber: 'sentry:scrub_data',
  dataScrubberDefaults: 'sentry:scrub_defaults',
  sensitiveFields: 'sentry:sensitive_fields',
  safeFields: 'sentry:safe_fields',
  scrubIPAddresses: 'sentry:scrub_ip_address',
  scrapeJavaScript: 'sentry:scrape_javascript',
  storeCrashReports: 'sentry:store_crash_reports',
  relayPiiConfig: 'sentry:relay_pii_config',
  securityToken: 'sentry:token',
  securityTokenHeader: 'sentry:token_header',
  verifySSL: 'sentry:verify_ssl',
  resolveAge: 'sentry:resolve_age',
  debugFilesRole: 'sentry:debug_files_role',
  subjectPrefix: 'mail:subject_prefix',
};

/** Option keys of the `options` dict that map onto a setting. */
const OPTION_TO_SETTING: Record<string, keyof ProjectSettings> = {
  'sentry:origins': 'allowedDomains',
  'sentry:scrub_data': 'dataScrubber',
  'sentry:scrub_defaults': 'dataScrubberDefaults',
  'sentry:scrub_ip_address': 'scrubIPAddresses',
  'sentry:sensitive_fields': 'sensitiveFields',
  'sentry:safe_fields': 'safeFields',
  'sentry:relay_pii_config': 'relayPiiConfig',
  'sentry:store_crash_reports': 'storeCrashReports',
  'sentry:resolve_age': 'resolveAge',
};

const ADMIN_FIELDS = [...Object.keys(OPTION_NAME), 'name', 'slug', 'platform', 'options'];

function splitLines(v: string): string[] {
  return v
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);
}

type SettingChanges = Partial<ProjectSettings> & { name?: string; slug?: string; platform?: string | null };

function validateProjectBody(
  body: Record<string, unknown>,
  project: SimProject,
  ctx: RequestContext,
): { settings: SettingChanges; options: Record<string, unknown> } {
  const errors: Record<string, string[]> = {};
  const out: SettingChanges = {};
  const options: Record<string, unknown> = {};
  const boolField = (k: keyof ProjectSettings, v: unknown): void => {
    if (typeof v !== 'boolean') errors[k] = ['Must be a valid boolean.'];
    else (out as Record<string, unknown>)[k] = v;
  };
  const listField = (k: 'sensitiveFields' | 'safeFields' | 'allowedDomains', v: unknown): void => {
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
      errors[k] = ['Expected a list of items.'];
      return;
    }
    const items = (v as string[]).map((x) => x.trim()).filter(Boolean);
    if (k === 'allowedDomains' && items.length === 0) {
      errors[k] = ['Empty value will block all requests, use * to accept from all domains'];
    } else if (k === 'sensitiveFields' && items.join('').length > 4000) {
      errors[k] = ['List of sensitive fields is too long.'];
    } else out[k] = items;
  };
  for (const [k, v] of Object.entries(body)) {
    switch (k) {
      case 'dataScrubber':
      case 'dataScrubberDefaults':
      case 'scrubIPAddresses':
      case 'scrapeJavaScript':
      case 'verifySSL':
        boolField(k, v);
        break;
      case 'allowedDomains':
      case 'sensitiveFields':
      case 'safeFields':
        listField(k, v);
        break;
      case 'storeCrashReports':
        if (v !== null && (typeof v !== 'number' || !Number.isInteger(v) || v < -1)) errors[k] = ['A valid integer is required.'];
        else out.storeCrashReports = v as number | null;
        break;
      case 'resolveAge':
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) errors[k] = ['A valid integer is required.'];
        else out.resolveAge = v;
        break;
      case 'relayPiiConfig':
        if (v === null || v === '') out.relayPiiConfig = null;
        else if (typeof v !== 'string') errors[k] = ['Not a valid string.'];
        else {
          try {
            JSON.parse(v);
            out.relayPiiConfig = v;
          } catch {
            errors[k] = ['Invalid JSON'];
          }
        }
        break;
      case 'securityToken':
      case 'subjectPrefix':
        if (typeof v !== 'string') errors[k] = ['Not a valid string.'];
        else out[k] = v;
        break;
      case 'securityTokenHeader':
        if (v !== null && typeof v !== 'string') errors[k] = ['Not a valid string.'];
        else out.securityTokenHeader = v as string | null;
        break;
      case 'debugFilesRole':
        if (v !== null && (typeof v !== 'string' || !(ORG_ROLE_IDS as readonly string[]).includes(v))) errors[k] = ['Invalid role'];
        else out.debugFilesRole = v as string | null;
        break;
      case 'name':
        if (typeof v !== 'string' || v.trim() === '') errors[k] = ['This field may not be blank.'];
        else out.name = v;
        break;
      case 'slug':
        if (typeof v !== 'string' || !/^[a-z0-9_-]+$/.test(v) || /^\d+$/.test(v)) {
          errors[k] = ['Enter a valid slug consisting of lowercase letters, numbers, underscores or hyphens. It cannot be entirely numeric.'];
        } else if (v !== project.slug && ctx.org?.projects.some((p) => p.slug === v)) {
          errors[k] = [`Another project (${v}) is already using that slug`];
        } else out.slug = v;
        break;
      case 'platform':
        if (v !== null && typeof v !== 'string') errors[k] = ['Not a valid string.'];
        else out.platform = v as string | null;
        break;
      case 'options':
        if (typeof v !== 'object' || v === null || Array.isArray(v)) errors[k] = ['Expected a dictionary of items.'];
        else Object.assign(options, v);
        break;
      default:
        // Unknown and member-level fields (isBookmarked, ...) are accepted and ignored.
        break;
    }
  }
  if (Object.keys(errors).length > 0) throw badRequest(errors);
  return { settings: out, options };
}

function applyOptions(
  project: SimProject,
  options: Record<string, unknown>,
  settings: SettingChanges,
  optionChanges: Record<string, unknown>,
): void {
  for (const [key, value] of Object.entries(options)) {
    if (key === 'filters:blacklisted_ips' || key === 'sentry:origins' || key === 'sentry:csp_ignored_sources' || key === 'sentry:toolbar_allowed_origins') {
      // Sentry splits the newline string; anything else fails server-side.
      if (typeof value !== 'string') throw new HttpError(500, { detail: 'Internal Error' });
      const lines = splitLines(value).map((s) => (key === 'filters:blacklisted_ips' ? s.toLowerCase() : s));
      if (key === 'sentry:origins') {
        if (lines.length === 0) throw badRequest({ options: ['Empty value will block all requests, use * to accept from all domains'] });
        settings.allowedDomains = lines;
      } else {
        project.options[key] = lines.join('\n');
        optionChanges[key === 'filters:blacklisted_ips' ? 'sentry:blacklisted_ips' : key] = lines.join('\n');
      }
      continue;
    }
    if (key === 'filters:releases' || key === 'filters:error_messages') {
      if (!project.features.includes('custom-inbound-filters')) throw badRequest({ detail: 'You do not have that feature enabled' });
      if (typeof value !== 'string') throw new HttpError(500, { detail: 'Internal Error' });
      project.options[key] = splitLines(value).join('\n');
      optionChanges[key] = project.options[key];
      continue;
    }
    const setting = OPTION_TO_SETTING[key];
    if (setting) {
      (settings as Record<string, unknown>)[setting] = value;
      continue;
    }
    project.options[key] = value;
    optionChanges[key] = value;
  }
}

function updateProject(ctx: RequestContext): SimResponse {
  const { org, access, caller } = orgOf(ctx);
  const project = projectOf(ctx);
  // No user behind the token (org auth token): 400 with an empty body.
  if (caller.token.kind === 'org_auth_token') return { status: 400 };
  const raw = bodyObject(ctx);
  const canAdmin = access.scopes.has('project:write') || access.scopes.has('project:admin');
  const body: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (!canAdmin && ADMIN_FIELDS.includes(k)) {
      // `request.data.get(key) and not result.get(key)`: truthy admin values are refused, falsy ones dropped.
      const truthy = Array.isArray(v) ? v.length > 0 : typeof v === 'object' && v !== null ? Object.keys(v).length > 0 : Boolean(v);
      if (truthy) throw forbidden();
      continue;
    }
    body[k] = v;
  }
  const { settings, options } = validateProjectBody(body, project, ctx);
  const optionChanges: Record<string, unknown> = {};
  applyOptions(project, options, settings, optionChanges);
  const auditData: Record<string, unknown> = { ...optionChanges };
  for (const [k, v] of Object.entries(settings)) {
    if (k === 'name' || k === 'slug' || k === 'platform') {
      const before = (project as unknown as Record<string, unknown>)[k];
      if (before === v) continue;
      if (k === 'slug' && typeof v === 'string') project.previousSlugs.push(project.slug);
      (project as unknown as Record<string, unknown>)[k] = v;
      auditData[k] = v;
      continue;
    }
    const key = k as keyof ProjectSettings;
    if (JSON.stringify(project.settings[key]) === JSON.stringify(v)) continue;
    (project.settings as unknown as Record<string, unknown>)[key] = v;
    auditData[OPTION_NAME[key]] = key === 'allowedDomains' ? (v as string[]).join('\n') : v;
  }
  if (Object.keys(auditData).length > 0) {
    recordAudit(ctx, org, 'project.edit', {
      note: `edited project settings in ${Object.keys(auditData).join(', ')}`,
      data: { ...auditData, id: Number(project.id), slug: project.slug },
      targetObject: Number(project.id),
    });
  }
  return ok(serializeProjectDetail(project, org, ctx, access));
}

// ---- project ↔ team ----

function listProjectTeams(ctx: RequestContext): SimResponse {
  const { org, access } = orgOf(ctx);
  const project = projectOf(ctx);
  const { teamById } = orgIndex(org);
  const teams = project.teamIds.map((id) => teamById.get(id)).filter((t) => t !== undefined);
  const page = paginateOffset(teams, ctx.query);
  const counts = teamMemberCounts(org);
  return pageResponse({ ...page, items: page.items.map((t) => serializeTeam(t, org, access, counts)) });
}

function addProjectTeam(ctx: RequestContext): SimResponse {
  const { org, access } = orgOf(ctx);
  const project = projectOf(ctx);
  const team = findTeam(org, ctx.params.team as string);
  if (!team) throw notFound('Team does not exist.');
  if (!project.teamIds.includes(team.id)) {
    project.teamIds.push(team.id);
    recordAudit(ctx, org, 'project-team.add', {
      note: `added team ${team.slug} to project ${project.slug}`,
      data: { team_slug: team.slug, project_slug: project.slug },
      targetObject: Number(project.id),
    });
  }
  return ok(serializeProjectDetail(project, org, ctx, access), 201);
}

function removeProjectTeam(ctx: RequestContext): SimResponse {
  const { org, access } = orgOf(ctx);
  const project = projectOf(ctx);
  const team = findTeam(org, ctx.params.team as string);
  if (!team) throw notFound('Team does not exist.');
  if (project.teamIds.includes(team.id)) {
    project.teamIds = project.teamIds.filter((id) => id !== team.id);
    recordAudit(ctx, org, 'project-team.remove', {
      note: `removed team ${team.slug} from project ${project.slug}`,
      data: { team_slug: team.slug, project_slug: project.slug },
      targetObject: Number(project.id),
    });
  }
  return ok(serializeProjectDetail(project, org, ctx, access));
}

// ---- inbound filters (REFERENCE.md 7) ----

function listFilters(ctx: RequestContext): SimResponse {
  const project = projectOf(ctx);
  return ok(FILTER_IDS.map((id) => {
    const v = project.filters[id] ?? false;
    return { id, active: Array.isArray(v) ? [...v] : v };
  }));
}

function updateFilter(ctx: RequestContext): SimResponse {
  const { org } = orgOf(ctx);
  const project = projectOf(ctx);
  const id = ctx.params.filter_id as string;
  if (!(FILTER_IDS as readonly string[]).includes(id)) throw notFound();
  const body = bodyObject(ctx);
  let state: FilterState;
  if ('active' in body) {
    if (typeof body.active !== 'boolean') throw badRequest({ active: ['Must be a valid boolean.'] });
    state = body.active;
  } else if (id === 'legacy-browsers' && 'subfilters' in body) {
    const sub = body.subfilters;
    if (!Array.isArray(sub) || sub.some((s) => typeof s !== 'string')) throw badRequest({ subfilters: ['Expected a list of items.'] });
    state = sub.length === 0 ? false : [...(sub as string[])];
  } else {
    throw badRequest({ active: ['This field is required.'] });
  }
  project.filters[id] = state;
  const on = state === true || (Array.isArray(state) && state.length > 0);
  recordAudit(ctx, org, on ? 'project.enable' : 'project.disable', {
    note: `${on ? 'enabled' : 'disabled'} ${id} filter`,
    data: { state, id: Number(project.id), slug: project.slug },
    targetObject: Number(project.id),
  });
  return noContent();
}

const PROJECT_READ = ['project:admin', 'project:read', 'project:write'];
const PROJECT_WRITE = ['project:admin', 'project:write'];

export const projectRoutes: Route[] = [
  { method: 'GET', path: '/api/0/organizations/{org}/projects/', scopes: ['org:admin', 'org:read', 'org:write'], auth: 'required', silo: 'region', operationId: 'listOrganizationProjects', handler: listProjects },
  { method: 'GET', path: '/api/0/projects/{org}/{project}/', scopes: PROJECT_READ, auth: 'required', silo: 'region', operationId: 'getProject', handler: getProject },
  { method: 'PUT', path: '/api/0/projects/{org}/{project}/', scopes: PROJECT_READ, auth: 'required', silo: 'region', operationId: 'updateProject', handler: updateProject },
  { method: 'GET', path: '/api/0/projects/{org}/{project}/teams/', scopes: PROJECT_READ, auth: 'required', silo: 'region', operationId: 'listProjectTeams', handler: listProjectTeams },
  { method: 'POST', path: '/api/0/projects/{org}/{project}/teams/{team}/', scopes: PROJECT_WRITE, auth: 'required', silo: 'region', operationId: 'addProjectTeam', handler: addProjectTeam },
  { method: 'DELETE', path: '/api/0/projects/{org}/{project}/teams/{team}/', scopes: PROJECT_WRITE, auth: 'required', silo: 'region', operationId: 'deleteProjectTeam', handler: removeProjectTeam },
  { method: 'GET', path: '/api/0/projects/{org}/{project}/filters/', scopes: PROJECT_READ, auth: 'required', silo: 'region', operationId: 'listProjectFilters', handler: listFilters },
  { method: 'PUT', path: '/api/0/projects/{org}/{project}/filters/{filter_id}/', scopes: PROJECT_WRITE, auth: 'required', silo: 'region', operationId: 'updateProjectFilter', handler: updateFilter },
];
