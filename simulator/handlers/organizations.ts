import { HttpError, badRequest, forbidden } from '../http-types';
import type { RequestContext, SimResponse } from '../http-types';
import { paginateOffset, pageResponse } from '../pagination';
import { ORG_ROLE_IDS } from '../roles';
import type { Route } from '../router';
import { serializeOrgDetail, serializeOrgSummary, isoMicro } from '../serializers';
import type { OrgSettings, SimOrg, TrustedRelay } from '../state';
import { findUser } from '../state';
import { bodyObject, ok, orgOf, recordAudit, truthyParam } from './common';
import { insufficientScope } from '../auth';
import { shapeOrg } from '../profile-shapes';

const ORG_READ = ['org:admin', 'org:read', 'org:write'];

function listOrganizations(ctx: RequestContext): SimResponse {
  const caller = ctx.caller;
  if (!caller) throw new HttpError(401, { detail: 'Authentication credentials were not provided.' });
  let orgs: SimOrg[];
  if (caller.token.kind === 'user') {
    const uid = caller.token.userId;
    orgs = ctx.state.organizations.filter((o) =>
      o.members.some((m) => m.userId === uid && m.inviteStatus === 'approved'),
    );
  } else {
    orgs = ctx.state.organizations.filter((o) => o.id === caller.token.orgId);
  }
  const q = ctx.query.get('query')?.toLowerCase();
  if (q) orgs = orgs.filter((o) => o.slug.toLowerCase().includes(q) || o.name.toLowerCase().includes(q));
  const page = paginateOffset(orgs, ctx.query);
  return pageResponse({ ...page, items: page.items.map((o) => shapeOrg(serializeOrgSummary(o, ctx, { features: true }), ctx.profile)) });
}

/**
 * organization_details.py `get`: the summary serializer unless request.access has `org:read`.
 * OrganizationPermission lets org:write/org:admin through; sentry.io's getsentry override lets any
 * member's token through (profiles.ts `orgSummaryWithoutOrgRead`; modelled for member tokens only).
 */
function getOrganization(ctx: RequestContext): SimResponse {
  const { org, access } = orgOf(ctx);
  const features = truthyParam(ctx.query.get('include_feature_flags'));
  if (!access.scopes.has('org:read')) {
    const overridden = ctx.profile.orgSummaryWithoutOrgRead && access.member !== undefined;
    if (!overridden && !ORG_READ.some((s) => access.scopes.has(s))) throw insufficientScope(ORG_READ);
    return ok(shapeOrg(serializeOrgSummary(org, ctx, { features }), ctx.profile));
  }
  const detailed = ctx.query.get('detailed') !== '0';
  return ok(shapeOrg(serializeOrgDetail(org, ctx, access, { detailed, features }), ctx.profile));
}

// ---- PUT /organizations/{org}/ ----

const BOOL_FIELDS = [
  'require2FA', 'openMembership', 'allowSharedIssues', 'enhancedPrivacy', 'allowMemberInvite',
  'allowMemberProjectCreation', 'allowSuperuserAccess', 'allowJoinRequests', 'dataScrubber',
  'dataScrubberDefaults', 'scrubIPAddresses', 'scrapeJavaScript', 'eventsMemberAdmin', 'alertsMemberWrite',
] as const;
const STRING_LIST_FIELDS = ['sensitiveFields', 'safeFields'] as const;
const CRASH_REPORT_VALUES = [0, 1, 5, 10, 20, 50, 100, -1];
/** Audit-data key Sentry writes for a setting (model field name where it differs). */
const AUDIT_KEY: Partial<Record<keyof OrgSettings, string>> = {
  require2FA: 'require_2fa',
  openMembership: 'allow_joinleave',
  allowSharedIssues: 'disable_shared_issues',
  enhancedPrivacy: 'enhanced_privacy',
  defaultRole: 'default_role',
};

function pyRepr(v: unknown): string {
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (v === null || v === undefined) return 'None';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function validateOrgBody(body: Record<string, unknown>, canAdmin: boolean): Partial<OrgSettings> {
  const errors: Record<string, string[]> = {};
  const out: Partial<OrgSettings> = {};
  const set = <K extends keyof OrgSettings>(k: K, v: OrgSettings[K]): void => {
    out[k] = v;
  };
  for (const k of BOOL_FIELDS) {
    if (!(k in body)) continue;
    const v = body[k];
    if (typeof v !== 'boolean') errors[k] = ['Must be a valid boolean.'];
    else set(k, v);
  }
  for (const k of STRING_LIST_FIELDS) {
    if (!(k in body)) continue;
    const v = body[k];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) errors[k] = ['Expected a list of items.'];
    else if (v.some((x) => (x as string).trim() === '')) errors[k] = ['Empty values are not allowed.'];
    else if (k === 'sensitiveFields' && v.join('').length > 4000) errors[k] = ['List of sensitive fields is too long.'];
    else set(k, v.map((x) => (x as string).trim()));
  }
  if ('storeCrashReports' in body) {
    const v = body.storeCrashReports;
    if (typeof v !== 'number' || !CRASH_REPORT_VALUES.includes(v)) errors.storeCrashReports = [`"${String(v)}" is not a valid choice.`];
    else set('storeCrashReports', v);
  }
  for (const k of ['attachmentsRole', 'debugFilesRole'] as const) {
    if (!(k in body)) continue;
    const v = body[k];
    if (typeof v !== 'string' || !(ORG_ROLE_IDS as readonly string[]).includes(v)) errors[k] = ['Invalid role'];
    else set(k, v);
  }
  // defaultRole needs org:admin (OwnerOrganizationSerializer); otherwise silently ignored.
  if ('defaultRole' in body && canAdmin) {
    const v = body.defaultRole;
    if (typeof v !== 'string' || !['member', 'admin', 'manager', 'owner'].includes(v)) {
      errors.defaultRole = [`"${String(v)}" is not a valid choice.`];
    } else set('defaultRole', v as OrgSettings['defaultRole']);
  }
  if ('relayPiiConfig' in body) {
    const v = body.relayPiiConfig;
    if (v === null || v === '') set('relayPiiConfig', null);
    else if (typeof v !== 'string') errors.relayPiiConfig = ['Not a valid string.'];
    else {
      try {
        JSON.parse(v);
        set('relayPiiConfig', v);
      } catch {
        errors.relayPiiConfig = ['Invalid JSON'];
      }
    }
  }
  if ('trustedRelays' in body) {
    const v = body.trustedRelays;
    if (!Array.isArray(v)) errors.trustedRelays = ['Expected a list of items.'];
    else {
      const keys = new Set<string>();
      const relays: TrustedRelay[] = [];
      for (const r of v as unknown[]) {
        const rr = r as Record<string, unknown> | null;
        if (!rr || typeof rr.name !== 'string' || typeof rr.publicKey !== 'string' || rr.publicKey === '') {
          errors.trustedRelays = ['Bad structure received for Trusted Relays'];
          break;
        }
        if (keys.has(rr.publicKey)) {
          errors.trustedRelays = [`Duplicated key in Trusted Relays: '${rr.publicKey}'`];
          break;
        }
        keys.add(rr.publicKey);
        const now = isoMicro(new Date());
        relays.push({
          name: rr.name,
          publicKey: rr.publicKey,
          description: typeof rr.description === 'string' ? rr.description : '',
          created: now,
          lastModified: now,
        });
      }
      if (!errors.trustedRelays) set('trustedRelays', relays);
    }
  }
  if (Object.keys(errors).length > 0) throw badRequest(errors);
  return out;
}

function updateOrganization(ctx: RequestContext): SimResponse {
  const { org, access, caller } = orgOf(ctx);
  const body = bodyObject(ctx);
  const changes = validateOrgBody(body, access.scopes.has('org:admin'));
  if (changes.require2FA === true) {
    // organization_details.py: the requester's own 2FA first, then SSO.
    if (!caller.user || !caller.user.has2fa) {
      throw badRequest({ require2FA: ['Cannot require two-factor authentication without personal two-factor enabled.'] });
    }
    if (org.authProvider) {
      throw badRequest({ require2FA: ['Cannot require two-factor authentication with SSO enabled'] });
    }
  }
  const auditData: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(changes) as [keyof OrgSettings, unknown][]) {
    const before = org.settings[k];
    if (JSON.stringify(before) === JSON.stringify(v)) continue;
    const key = AUDIT_KEY[k] ?? k;
    auditData[key] = typeof v === 'boolean' && k === 'require2FA' ? `to ${pyRepr(v)}` : `from ${pyRepr(before)} to ${pyRepr(v)}`;
    (org.settings as unknown as Record<string, unknown>)[k] = v;
  }
  if (Object.keys(auditData).length > 0) {
    const summary = Object.entries(auditData).map(([k, v]) => `${k} ${String(v)}`).join(', ');
    recordAudit(ctx, org, 'org.edit', { note: `edited the organization setting(s): ${summary}`, data: auditData, targetObject: Number(org.id) });
  }
  // The 2FA compliance task is queued whenever the body says require2FA: true (even if already on).
  if (changes.require2FA === true) {
    const actorId = caller.user?.id ?? null;
    ctx.schedule(() => enforceTwoFactor(ctx, org, actorId));
  }
  return ok(shapeOrg(serializeOrgDetail(org, ctx, access, { detailed: true, features: true }), ctx.profile));
}

/** remove_2fa_non_compliant_members: members without 2FA become pending invites (REFERENCE.md 1). */
function enforceTwoFactor(ctx: RequestContext, org: SimOrg, actorId: string | null): void {
  if (!org.settings.require2FA) return;
  for (const m of org.members) {
    const user = findUser(ctx.state, m.userId);
    if (!user || user.has2fa || m.inviteStatus !== 'approved') continue;
    m.email = m.email || user.email;
    m.userId = null;
    m.expired = false;
    recordAudit(ctx, org, 'member.pending', {
      note: `required member ${user.email} to setup 2FA`,
      data: { email: user.email },
      targetObject: Number(m.id),
      targetUserId: user.id,
    });
    const entry = org.auditLog[0];
    if (entry) entry.actorUserId = actorId;
  }
}

function refuseOrgDelete(): SimResponse {
  throw forbidden();
}

export const organizationRoutes: Route[] = [
  { method: 'GET', path: '/api/0/organizations/', scopes: ORG_READ, auth: 'required', silo: 'region', operationId: 'listOrganizations', handler: listOrganizations },
  { method: 'GET', path: '/api/0/organizations/{org}/', scopes: ORG_READ, auth: 'required', silo: 'region', operationId: 'getOrganization', handler: getOrganization, scopesInHandler: true },
  { method: 'PUT', path: '/api/0/organizations/{org}/', scopes: ['org:admin', 'org:write'], auth: 'required', silo: 'region', operationId: 'updateOrganization', handler: updateOrganization },
  // Org deletion needs a sudo session; a token never gets there.
  { method: 'DELETE', path: '/api/0/organizations/{org}/', scopes: ['org:admin'], auth: 'required', silo: 'region', handler: refuseOrgDelete },
];
