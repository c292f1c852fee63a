// Where a request goes and how its path and query are spelled: the control or region host,
// endpoints served to browser sessions only, encoded path values and query strings.

export type QueryValue = string | number | boolean | readonly (string | number)[] | undefined;
export type Query = Readonly<Record<string, QueryValue>>;

/**
 * Endpoints served by sentry.io's control silo (REFERENCE.md 0.1); everything else that is org-
 * or project-scoped goes to the org's region.
 */
const CONTROL_PATHS: readonly RegExp[] = [
  /^\/api\/0\/$/,
  /^\/api\/0\/users\//,
  /^\/api\/0\/api-tokens\//,
  /^\/api\/0\/sentry-apps\//,
  // auth-provider(s) are @region_silo_endpoint (organization_auth_provider_details.py): not here.
  /^\/api\/0\/organizations\/[^/]+\/(audit-logs|org-auth-tokens|integrations|sentry-apps|sentry-app-installations)\//,
];

/** Endpoints Sentry serves to browser sessions only (REFERENCE.md 0.3, 9). */
export const SESSION_ONLY_PATHS: readonly RegExp[] = [
  /^\/api\/0\/api-tokens\//,
  /^\/api\/0\/organizations\/[^/]+\/org-auth-tokens\/[^/]+\/$/,
  /^\/api\/0\/sentry-apps\/[^/]+\/api-tokens\//,
];

export const NOT_AUTHENTICATED = 'Authentication credentials were not provided.';

export function isControlPath(path: string): boolean {
  return CONTROL_PATHS.some((re) => re.test(path));
}

/**
 * Builds an API path, percent-encoding each interpolated value so a slug read from an API answer
 * cannot change the path: apiPath`/api/0/projects/${org}/${project}/`.
 */
export function apiPath(strings: TemplateStringsArray, ...values: readonly (string | number)[]): string {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += encodeURIComponent(String(v)) + (strings[i + 1] ?? '');
  });
  return out;
}

export function encodeQuery(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value as readonly (string | number)[]) params.append(key, String(v));
    else params.append(key, String(value));
  }
  const s = params.toString();
  return s === '' ? '' : `?${s}`;
}

export function flatQuery(query: Query | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    out[key] = Array.isArray(value) ? (value as readonly (string | number)[]).join(',') : String(value);
  }
  return out;
}
