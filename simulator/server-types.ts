import type { FaultRegistry } from './faults';
import type { ServerProfile, ServerProfileName } from './profiles';
import type { RateLimitConfig } from './ratelimit';
import type { SimState } from './state';

// What starting a simulator takes and gives back (server.ts), and what it records per request.

export interface SimulatorOptions {
  state?: SimState;
  /** 0 or omitted: an ephemeral port. */
  port?: number;
  host?: string;
  /** Added to every request, holding its concurrency slot. */
  latencyMs?: number;
  /** Advertised in headers and enforced with the concurrency 429. */
  concurrentLimit?: number;
  /** Fixed-window limit per (caller, endpoint, method), enforced when set. */
  rateLimit?: RateLimitConfig;
  /** e.g. `/sentry`: the API then lives at `/sentry/api/0/`. */
  pathPrefix?: string;
  /** What `links.regionUrl` says; default the simulator's own URL. */
  regionUrl?: string;
  /** Base URL of Link headers and redirects; default the simulator's own URL (Sentry uses system.url-prefix). */
  publicUrl?: string;
  /** The deployment shape (simulator/profiles.ts); default `saas`. */
  profile?: ServerProfileName | ServerProfile;
  /** Shorthand for `profile: 'self-hosted'` when no profile is given. */
  selfHosted?: boolean;
  /** `control` answers region-silo endpoints with 404, so a client must follow `regionUrl`. */
  silo?: 'all' | 'control' | 'region';
  /** What `/users/me/regions/` lists; default one region `us` at `regionUrl`. */
  regions?: { name: string; url: string }[];
  /** Delay of async tasks such as 2FA enforcement (default 50 ms). */
  asyncTaskDelayMs?: number;
  now?: () => Date;
}

export interface RequestRecord {
  method: string;
  /** Path as received (with prefix), without the query string. */
  path: string;
  /** The matched endpoint template, e.g. `/api/0/projects/{org}/{project}/`; null when none matched. */
  route: string | null;
  query: Record<string, string>;
  /** 0 when the connection was reset or never answered. */
  status: number;
  durationMs: number;
  time: string;
}

export interface RunningSimulator {
  /** Base URL including the prefix, no trailing slash. */
  readonly url: string;
  readonly profile: ServerProfile;
  readonly state: SimState;
  readonly faults: FaultRegistry;
  readonly requests: readonly RequestRecord[];
  resetRequests(): void;
  close(): Promise<void>;
}
