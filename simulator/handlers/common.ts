import { HttpError, badRequest } from '../http-types';
import type { Caller, OrgAccess, RequestContext, SimResponse } from '../http-types';
import { isoMicro } from '../serializers';
import type { SimAuditEntry, SimOrg, SimProject, SimTeam } from '../state';
import { newId } from '../state';

export function ok(body: unknown, status = 200): SimResponse {
  return { status, body };
}

export function noContent(): SimResponse {
  return { status: 204 };
}

/** The pipeline resolved `{org}` and the caller's access before the handler runs. */
export function orgOf(ctx: RequestContext): { org: SimOrg; access: OrgAccess; caller: Caller } {
  if (!ctx.org || !ctx.access || !ctx.caller) throw new HttpError(500, { detail: 'Internal Error' });
  return { org: ctx.org, access: ctx.access, caller: ctx.caller };
}

export function projectOf(ctx: RequestContext): SimProject {
  if (!ctx.project) throw new HttpError(500, { detail: 'Internal Error' });
  return ctx.project;
}

export function teamOf(ctx: RequestContext): SimTeam {
  if (!ctx.team) throw new HttpError(500, { detail: 'Internal Error' });
  return ctx.team;
}

export function truthyParam(value: string | null): boolean {
  return value !== null && value !== '0' && value.toLowerCase() !== 'false' && value !== '';
}

/** The JSON body as an object; DRF answers a non-object body with a 400. */
export function bodyObject(ctx: RequestContext): Record<string, unknown> {
  const b = ctx.body;
  if (b === undefined || b === null) return {};
  if (typeof b !== 'object' || Array.isArray(b)) {
    throw badRequest({ non_field_errors: ['Invalid data. Expected a dictionary, but got ' + typeof b + '.'] });
  }
  return b as Record<string, unknown>;
}

/** Writes mutate state and record the audit event REFERENCE.md names for them. */
export function recordAudit(
  ctx: RequestContext,
  org: SimOrg,
  event: string,
  fields: { note: string; data?: Record<string, unknown>; targetObject?: number | null; targetUserId?: string | null },
): SimAuditEntry {
  const caller = ctx.caller;
  const userActor = caller?.token.kind === 'user' ? (caller.user?.id ?? null) : null;
  const label =
    caller?.token.kind === 'internal_integration'
      ? (caller.token.sentryAppSlug ?? 'integration')
      : caller?.token.kind === 'org_auth_token'
        ? 'org auth token'
        : null;
  const entry: SimAuditEntry = {
    id: newId(ctx.state),
    actorUserId: userActor,
    actorLabel: label,
    event,
    ipAddress: '127.0.0.1',
    note: fields.note,
    targetObject: fields.targetObject ?? null,
    targetUserId: fields.targetUserId ?? null,
    data: fields.data ?? {},
    dateCreated: isoMicro(ctx.now()),
  };
  org.auditLog.unshift(entry);
  return entry;
}
