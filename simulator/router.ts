import type { HttpMethod, RequestContext, SimResponse } from './http-types';
import type { ServerProfile } from './profiles';

/**
 * One endpoint. `scopes` is the endpoint's scope_map entry for the method: the caller needs any
 * one of them (REFERENCE.md 10; documented endpoints copy endpoint-scopes.json, which a test checks).
 */
export interface Route {
  method: HttpMethod;
  /** Sentry's path with `{param}` segments, e.g. `/api/0/organizations/{org}/members/`. */
  path: string;
  /** null: no scope needed (the index endpoint). */
  scopes: readonly string[] | null;
  /**
   * `optional`: anonymous callers get an answer (index). `required`: 401 without a token.
   * `session_only`: bearer tokens are ignored, so every API caller gets 403 (REFERENCE.md 0.3).
   */
  auth: 'optional' | 'required' | 'session_only';
  /** Where the endpoint lives on sentry.io (REFERENCE.md 0.1); a control-only instance 404s the rest. */
  silo: 'control' | 'region';
  /** The [S] operationId when documented. */
  operationId?: string;
  handler: (ctx: RequestContext) => SimResponse | Promise<SimResponse>;
  /**
   * How the endpoint exists on a server profile (simulator/profiles.ts): `absent` answers 404 as
   * an older release without it would, `session_only` overrides `auth`. Omitted: as declared.
   */
  onProfile?: (profile: ServerProfile) => 'absent' | 'session_only' | 'as_declared';
  /** The handler checks `scopes` itself (it answers something else without them, per profile). */
  scopesInHandler?: boolean;
}

export interface CompiledRoute extends Route {
  regex: RegExp;
  paramNames: string[];
}

export function compileRoute(route: Route): CompiledRoute {
  const paramNames: string[] = [];
  const pattern = route.path
    .split('/')
    .map((seg) => {
      const m = /^\{(\w+)\}$/.exec(seg);
      if (!m) return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      paramNames.push(m[1] as string);
      return '([^/]+)';
    })
    .join('/');
  return { ...route, regex: new RegExp(`^${pattern}$`), paramNames };
}

export type RouteMatch =
  | { kind: 'match'; route: CompiledRoute; params: Record<string, string> }
  | { kind: 'method_not_allowed'; allowed: HttpMethod[] }
  | { kind: 'none' };

export function matchRoute(routes: readonly CompiledRoute[], method: string, path: string): RouteMatch {
  const allowed: HttpMethod[] = [];
  for (const route of routes) {
    const m = route.regex.exec(path);
    if (!m) continue;
    if (route.method !== method) {
      allowed.push(route.method);
      continue;
    }
    const params: Record<string, string> = {};
    route.paramNames.forEach((name, i) => {
      params[name] = decodeURIComponent(m[i + 1] as string);
    });
    return { kind: 'match', route, params };
  }
  return allowed.length > 0 ? { kind: 'method_not_allowed', allowed } : { kind: 'none' };
}
