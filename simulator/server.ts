import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { authenticate, hasProjectAccess, orgAccess, requireAnyScope } from './auth';
import { missingField, wrongShape } from './fault-bodies';
import { FaultRegistry } from './faults';
import type { ActiveFault } from './faults';
import { controlRoutes } from './handlers/control';
import { keyRoutes } from './handlers/keys';
import { memberRoutes } from './handlers/members';
import { organizationRoutes } from './handlers/organizations';
import { projectRoutes } from './handlers/projects';
import { teamRoutes } from './handlers/teams';
import { HttpError, NOT_FOUND, NOT_PROVIDED, forbidden, notFound } from './http-types';
import type { HttpMethod, RequestContext, SimResponse } from './http-types';
import { renderLinkHeader } from './pagination';
import { RateLimiter } from './ratelimit';
import { compileRoute, matchRoute } from './router';
import type { CompiledRoute, Route } from './router';
import { stateChanged } from './org-index';
import { resolveProfile } from './profiles';
import { emptyState, findOrg, findProject, findTeam } from './state';
import type { RequestRecord, RunningSimulator, SimulatorOptions } from './server-types';

export type { RequestRecord, RunningSimulator, SimulatorOptions } from './server-types';
export { startRegionPair } from './region-pair';
export type { RegionPair } from './region-pair';

export const ALL_ROUTES: readonly Route[] = [
  ...controlRoutes,
  ...organizationRoutes,
  ...memberRoutes,
  ...teamRoutes,
  ...projectRoutes,
  ...keyRoutes,
];

const COMPILED: readonly CompiledRoute[] = ALL_ROUTES.map(compileRoute);

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const state = options.state ?? emptyState();
  const prefix = (options.pathPrefix ?? '').replace(/\/+$/, '');
  const now = options.now ?? (() => new Date());
  const faults = new FaultRegistry();
  const limiter = new RateLimiter(options.rateLimit, options.concurrentLimit, () => now().getTime());
  const silo = options.silo ?? 'all';
  const profile = resolveProfile(options.profile, options.selfHosted);
  const requests: RequestRecord[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let url = '';

  const server = http.createServer((req, res) => {
    void handle(req, res);
  });

  function schedule(fn: () => void): void {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
      stateChanged();
    }, options.asyncTaskDelayMs ?? 50);
    timers.add(t);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const started = Date.now();
    const parsed = new URL(req.url ?? '/', 'http://sim.invalid');
    const method = (req.method ?? 'GET').toUpperCase();
    const record: RequestRecord = {
      method,
      path: parsed.pathname,
      route: null,
      query: Object.fromEntries(parsed.searchParams),
      status: 0,
      durationMs: 0,
      time: new Date(started).toISOString(),
    };
    requests.push(record);
    let release = (): void => {};
    const finish = (): void => {
      record.durationMs = Date.now() - started;
      release();
    };
    res.on('close', finish);

    // A read is answered `latencyMs` after it was admitted, its answer computed meanwhile: the
    // simulator's own work (serialising a 100-member page) overlaps the latency instead of adding
    // to it, as a server's processing is part of the latency a client sees. Writes wait first.
    let answerAt = 0;
    const send = (status: number, body: string | undefined, headers: Record<string, string>): void => {
      const wait = answerAt - performance.now();
      if (wait >= 1) {
        const t = setTimeout(() => {
          timers.delete(t);
          send(status, body, headers);
        }, wait);
        timers.add(t);
        answerAt = 0;
        return;
      }
      record.status = status;
      if (res.destroyed) return;
      const out: Record<string, string> = { ...headers };
      if (body !== undefined && !Object.keys(out).some((k) => k.toLowerCase() === 'content-type')) {
        out['Content-Type'] = 'application/json';
      }
      out['Content-Length'] = String(Buffer.byteLength(body ?? ''));
      res.writeHead(status, out);
      res.end(body ?? '');
    };
    const sendJson = (status: number, body: unknown, headers: Record<string, string> = {}): void =>
      send(status, body === undefined ? undefined : JSON.stringify(body), headers);

    try {
      const rawBody = await readBody(req);
      if (prefix && parsed.pathname !== prefix && !parsed.pathname.startsWith(`${prefix}/`)) {
        sendJson(404, NOT_FOUND);
        return;
      }
      const apiPath = parsed.pathname.slice(prefix.length) || '/';
      const match = matchRoute(COMPILED, method, apiPath);
      if (match.kind === 'none') {
        sendJson(404, NOT_FOUND);
        return;
      }
      if (match.kind === 'method_not_allowed') {
        sendJson(405, { detail: `Method "${method}" not allowed.` }, { Allow: match.allowed.join(', ') });
        return;
      }
      const { route, params } = match;
      record.route = route.path;
      if (silo === 'control' && route.silo === 'region') {
        sendJson(404, NOT_FOUND);
        return;
      }
      const onProfile = route.onProfile?.(profile) ?? 'as_declared';
      if (onProfile === 'absent') {
        sendJson(404, NOT_FOUND);
        return;
      }

      // Faults that replace the answer outright.
      const active = faults.matching(method, apiPath);
      let extraLatency = 0;
      let postFault: ActiveFault | undefined;
      for (const f of active) {
        if (f.kind === 'latency') {
          faults.consume(f);
          extraLatency += f.latencyMs ?? 0;
          continue;
        }
        if (f.kind === 'hang') {
          faults.consume(f);
          return; // never answered; close() destroys the socket
        }
        if (f.kind === 'reset') {
          faults.consume(f);
          req.socket.destroy();
          return;
        }
        if (f.kind === 'server_error') {
          faults.consume(f);
          if (extraLatency > 0) await sleep(extraLatency);
          sendJson(f.status ?? 500, { detail: 'Internal Error' });
          return;
        }
        if (f.kind === 'raw_body') {
          faults.consume(f);
          send(f.status ?? 200, f.body ?? '', { 'Content-Type': 'application/json' });
          return;
        }
        if (f.kind === 'rate_limited') {
          faults.consume(f);
          const reset = Math.floor(now().getTime() / 1000) + (f.resetInSec ?? 1);
          send(
            429,
            JSON.stringify({ detail: 'You are attempting to use this endpoint too frequently. Limit is 40 requests in 1 seconds' }),
            {
              'Content-Type': 'text/html; charset=utf-8',
              'X-Sentry-Rate-Limit-Limit': '40',
              'X-Sentry-Rate-Limit-Remaining': '0',
              'X-Sentry-Rate-Limit-Reset': String(reset),
            },
          );
          return;
        }
        postFault ??= f;
      }

      // Authentication: session-only endpoints ignore bearer tokens entirely.
      if (route.auth === 'session_only' || onProfile === 'session_only') {
        sendJson(403, NOT_PROVIDED);
        return;
      }
      let caller: RequestContext['caller'] = null;
      let authError: HttpError | undefined;
      try {
        caller = authenticate(state, req.headers.authorization);
      } catch (e) {
        if (!(e instanceof HttpError)) throw e;
        authError = e;
      }

      // The limiter runs before the view; the caller key falls back to the client address.
      let rateHeaders: Record<string, string> = {};
      if (profile.rateLimitHeaders) {
        const who = caller
          ? caller.token.kind === 'user'
            ? `user:${caller.token.userId}`
            : caller.token.kind === 'internal_integration'
              ? `org:${caller.token.orgId}`
              : `ip:${req.socket.remoteAddress}`
          : `ip:${req.socket.remoteAddress}`;
        const admission = limiter.admit(`${who}|${method}|${route.path}`);
        rateHeaders = admission.headers;
        release = admission.release;
        if (admission.refused) {
          send(429, JSON.stringify(admission.refused), { ...rateHeaders, 'Content-Type': 'text/html; charset=utf-8' });
          return;
        }
      }

      const delay = (options.latencyMs ?? 0) + extraLatency;
      if (delay > 0 && (method === 'GET' || method === 'HEAD')) answerAt = performance.now() + delay;
      else if (delay > 0) await sleep(delay);

      let response: SimResponse;
      try {
        if (authError) throw authError;
        if (!caller && route.auth === 'required') throw new HttpError(401, NOT_PROVIDED);
        let body: unknown;
        if (rawBody.trim() !== '') {
          try {
            body = JSON.parse(rawBody);
          } catch {
            throw new HttpError(400, { detail: 'JSON parse error - Expecting value: line 1 column 1 (char 0)' });
          }
        }
        const ctx: RequestContext = {
          state,
          method: method as HttpMethod,
          apiPath,
          query: parsed.searchParams,
          params,
          body,
          caller,
          publicUrl: (options.publicUrl ?? url).replace(/\/+$/, ''),
          regionUrl: (options.regionUrl ?? url).replace(/\/+$/, ''),
          regions: options.regions ?? [{ name: 'us', url: (options.regionUrl ?? url).replace(/\/+$/, '') }],
          now,
          schedule,
          profile,
        };
        resolveObjects(ctx, route);
        // A write may change what the indexes hold (org-index.ts): stale before and after it.
        const writes = method !== 'GET' && method !== 'HEAD';
        if (writes) stateChanged();
        try {
          response = await route.handler(ctx);
        } finally {
          if (writes) stateChanged();
        }
      } catch (e) {
        if (!(e instanceof HttpError)) throw e;
        response = { status: e.status, body: e.body, headers: e.headers };
      }

      const headers: Record<string, string> = { ...rateHeaders, ...(response.headers ?? {}) };
      let page = response.page;
      let bodyOut = response.body;
      if (postFault && response.status >= 200 && response.status < 300) {
        const hasCursor = (parsed.searchParams.get('cursor') ?? '') !== '' && !parsed.searchParams.get('cursor')?.endsWith(':1');
        switch (postFault.kind) {
          case 'malformed_json': {
            faults.consume(postFault);
            const text = bodyOut === undefined ? '{' : JSON.stringify(bodyOut);
            send(200, text.slice(0, Math.max(1, Math.floor(text.length / 2))) + '\u0000', headers);
            return;
          }
          case 'wrong_shape':
            faults.consume(postFault);
            bodyOut = wrongShape(bodyOut, postFault);
            break;
          case 'missing_field':
            faults.consume(postFault);
            bodyOut = missingField(bodyOut, postFault);
            break;
          case 'truncated_pagination':
            if (page && !hasCursor) {
              page = { ...page, nextResults: true };
            } else if (page && hasCursor) {
              faults.consume(postFault);
              if ((postFault.mode ?? 'next_page_fails') === 'next_page_fails') {
                sendJson(postFault.status ?? 500, { detail: 'Internal Error' }, rateHeaders);
                return;
              }
              page = undefined;
            }
            break;
          default:
            break;
        }
      }
      if (page) {
        const base = `${(options.publicUrl ?? url).replace(/\/+$/, '')}${apiPath}`;
        headers.Link = renderLinkHeader(base, parsed.searchParams, page);
      }
      sendJson(response.status, bodyOut, headers);
    } catch {
      if (!res.headersSent) sendJson(500, { detail: 'Internal Error' });
    }
  }

  /** `{org}`, `{project}`, `{team}`: 404 when missing, 403 without access, 302 for an old project slug. */
  function resolveObjects(ctx: RequestContext, route: CompiledRoute): void {
    const caller = ctx.caller;
    const orgParam = ctx.params.org;
    if (orgParam === undefined) {
      if (route.scopes && caller) requireAnyScope(caller.tokenScopes, route.scopes);
      return;
    }
    if (!caller) throw new HttpError(401, NOT_PROVIDED);
    const org = findOrg(ctx.state, orgParam);
    if (!org || org.status !== 'active') throw notFound();
    const access = orgAccess(org, caller);
    ctx.org = org;
    ctx.access = access;
    if (route.scopes && !route.scopesInHandler) requireAnyScope(access.scopes, route.scopes);
    const projectParam = ctx.params.project;
    if (projectParam !== undefined) {
      const project = findProject(org, projectParam);
      if (!project) {
        const moved = org.projects.find((p) => p.previousSlugs.includes(projectParam));
        if (moved) {
          const segs = ctx.apiPath.split('/');
          // ['', 'api', '0', 'projects', org, project, ...]
          segs[5] = moved.slug;
          const location = `${ctx.publicUrl}${segs.join('/')}`;
          throw new HttpError(
            302,
            { slug: moved.slug, detail: { extra: { url: location, slug: moved.slug } } },
            { Location: location },
          );
        }
        throw notFound();
      }
      if (project.status !== 'active') throw notFound();
      if (!hasProjectAccess(access, project)) throw forbidden();
      ctx.project = project;
    }
    const teamParam = ctx.params.team;
    if (teamParam !== undefined && route.path.startsWith('/api/0/teams/')) {
      const team = findTeam(org, teamParam);
      if (!team) throw notFound();
      ctx.team = team;
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  url = `http://${options.host ?? '127.0.0.1'}:${addr.port}${prefix}`;

  return {
    url,
    profile,
    state,
    faults,
    get requests(): readonly RequestRecord[] {
      return requests;
    },
    resetRequests(): void {
      requests.length = 0;
    },
    close(): Promise<void> {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
