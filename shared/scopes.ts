import { z } from 'zod';

/** Token scopes Sentry knows (conf/server.py SENTRY_SCOPES). */
export const SCOPES = [
  'org:read', 'org:write', 'org:admin', 'org:integrations', 'org:ci',
  'member:invite', 'member:read', 'member:write', 'member:admin',
  'team:read', 'team:write', 'team:admin',
  'project:read', 'project:write', 'project:admin', 'project:releases', 'project:distribution',
  'event:read', 'event:write', 'event:admin',
  'alerts:read', 'alerts:write',
  'openid', 'profile', 'email',
] as const;
export const ScopeSchema = z.enum(SCOPES);
export type Scope = z.infer<typeof ScopeSchema>;

/**
 * Sentry adds the lower scopes of a family when a token is saved with a higher one
 * (SENTRY_SCOPE_HIERARCHY_MAPPING). We expand the same way before comparing.
 */
const IMPLIED: Partial<Record<Scope, readonly Scope[]>> = {
  'org:write': ['org:read'],
  'org:admin': ['org:read', 'org:write', 'org:integrations'],
  'member:invite': ['member:read'],
  'member:write': ['member:read', 'member:invite'],
  'member:admin': ['member:read', 'member:invite', 'member:write'],
  'team:write': ['team:read'],
  'team:admin': ['team:read', 'team:write'],
  'project:write': ['project:read'],
  'project:admin': ['project:read', 'project:write'],
  'event:write': ['event:read'],
  'event:admin': ['event:read', 'event:write'],
  'alerts:write': ['alerts:read'],
};

export function expandScopes(scopes: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const s of scopes) {
    out.add(s);
    for (const implied of IMPLIED[s as Scope] ?? []) out.add(implied);
  }
  return out;
}

/** True when the held scopes include at least one of `anyOf` (after expansion). */
export function hasAnyScope(held: Iterable<string>, anyOf: readonly string[]): boolean {
  const expanded = expandScopes(held);
  return anyOf.some((s) => expanded.has(s));
}

/**
 * What a session needs. Audit only: reads everywhere, plus `org:write` because Sentry serves the
 * audit log to `org:write` only (REFERENCE.md 8). Fixes: the admin scopes of REFERENCE.md 10.
 */
export const AUDIT_SCOPES: readonly Scope[] = ['org:write', 'member:read', 'team:read', 'project:read'];
export const FIX_SCOPES: readonly Scope[] = ['org:admin', 'member:admin', 'team:admin', 'project:admin'];
