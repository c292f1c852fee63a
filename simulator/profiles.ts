/**
 * Server profiles: the shapes of real Sentry deployments the product meets. Each switch below is one
 * behaviour that differs between deployments, with a comment naming the getsentry/sentry (or
 * getsentry/relay) source file, and the commit or PR, it is modelled on. Handlers read switches from
 * `ctx.profile`; nothing else in the simulator branches on the deployment kind.
 *
 * Add a switch here (interface + every profile) rather than a boolean option on `startSimulator`.
 */
export type ServerProfileName = 'saas' | 'self-hosted' | 'self-hosted-legacy';

export const SERVER_PROFILE_NAMES: readonly ServerProfileName[] = ['saas', 'self-hosted', 'self-hosted-legacy'];

export interface ServerProfile {
  readonly name: ServerProfileName;
  /**
   * `X-Sentry-Rate-Limit-*` headers and the per-endpoint rate limiter. Self-hosted ships with
   * `SENTRY_RATELIMITER_ENABLED = False` (src/sentry/conf/server.py; the middleware
   * src/sentry/middleware/ratelimit.py only adds headers when the limiter ran).
   */
  readonly rateLimitHeaders: boolean;

  // --- client keys, integrations, apps (issue 8 section 2; keep member/org/token switches apart) ---

  /**
   * Every project has the `projects:rate-limits` feature, whatever its `features` list in the
   * state says. Self-hosted turns it on for all (`"projects:rate-limits": True` in SENTRY_FEATURES,
   * src/sentry/conf/server.py); on sentry.io it comes with the plan (the getsentry feature
   * handler), which the simulator reads from each project's features. Without it, key PUTs keep
   * the stored limit (src/sentry/api/endpoints/project_key_details.py, `put`).
   */
  readonly rateLimitsForEveryProject: boolean;
}

export const SERVER_PROFILES: Readonly<Record<ServerProfileName, ServerProfile>> = {
  saas: {
    name: 'saas',
    rateLimitHeaders: true,
    rateLimitsForEveryProject: false,
  },
  'self-hosted': {
    name: 'self-hosted',
    rateLimitHeaders: false,
    rateLimitsForEveryProject: true,
  },
  'self-hosted-legacy': {
    name: 'self-hosted-legacy',
    rateLimitHeaders: false,
    rateLimitsForEveryProject: true,
  },
};

export function isServerProfileName(value: string): value is ServerProfileName {
  return (SERVER_PROFILE_NAMES as readonly string[]).includes(value);
}

export function resolveProfile(profile: ServerProfileName | ServerProfile | undefined, selfHosted?: boolean): ServerProfile {
  if (profile === undefined) return SERVER_PROFILES[selfHosted ? 'self-hosted' : 'saas'];
  return typeof profile === 'string' ? SERVER_PROFILES[profile] : profile;
}
