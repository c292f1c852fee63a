import type { ErrorCode, Result } from '../../shared/errors';
import type { ChannelName, EventName } from '../../shared/ipc/channel-names';
import { CHANNEL_NAMES } from '../../shared/ipc/channel-names';
import type { EventPayloadOf, RequestOf, ResponseOf, SentryHardenBridge } from '../../shared/ipc/contract';
import { channels } from '../../shared/ipc/contract';
import { changeRows, checkSummaries, findingGroups, statusesOf } from '../../core/app/finding-pages';
import { OutcomeStatusSchema } from '../../shared/plan';
import type { Profile } from '../../shared/profile';
import type { Registers } from '../../shared/settings';

/**
 * A SentryHardenBridge for the store's tests: a small in-memory world (profiles, registers, one
 * organization with a few findings, a plan with three steps) behind the real contract types.
 * Every request is recorded and checked against the channel's request schema, every answer
 * against the response schema, so the fake cannot drift from the contract unnoticed.
 */

export type FakeHandler<C extends ChannelName> = (request: RequestOf<C>) => Promise<Result<ResponseOf<C>>> | Result<ResponseOf<C>>;
export type FakeHandlers = { [C in ChannelName]?: FakeHandler<C> };

export interface FakeBridge extends SentryHardenBridge {
  readonly calls: { channel: ChannelName; request: unknown }[];
  callsOf<C extends ChannelName>(channel: C): RequestOf<C>[];
  emit<E extends EventName>(event: E, payload: EventPayloadOf<E>): void;
  listenerCount(event: EventName): number;
  /** Replaces one channel's handler. */
  handle<C extends ChannelName>(channel: C, handler: FakeHandler<C>): void;
}

export const TOKEN = 'sntryu_fake_token_value_1234567890abcdef';
export const ORG = { id: '42', slug: 'acme', name: 'Acme' };
export const NOW = new Date('2026-03-01T10:00:00.000Z');

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function err(code: ErrorCode, message = `fake ${code}`): Result<never> {
  return { ok: false, error: errorOf(code, message) };
}

function errorOf(code: ErrorCode, message: string) {
  return { code, message, retryable: code === 'rate_limited' || code === 'timeout' };
}

const sha = (n: number) => n.toString(16).padStart(64, '0');

type Finding = Omit<ResponseOf<'audit:findings'>['groups'][number]['rows'][number], 'detailsOmitted'>;

/**
 * The findings of every run `auditRun` made, by run id: the fake answers `audit:findings` and
 * `audit:changes` from them with the engine's own paging (core/app/finding-pages.ts), as main does.
 */
const RUN_FINDINGS = new Map<string, { findings: Finding[]; baselineRunId: string }>();

export function findingsOfRun(runId: string): Finding[] {
  return RUN_FINDINGS.get(runId)?.findings ?? [];
}

function finding(control: string, check: string, status: Finding['status'], resource: Finding['resource'], n: number): Finding {
  return {
    control,
    check,
    level: 'L1',
    status,
    resource,
    message: `${check} is ${status}`,
    evidence: [
      {
        method: 'GET',
        endpoint: `/api/0/organizations/acme/${control}/`,
        query: {},
        pages: 1,
        items: 1,
        complete: true,
        fetchedAt: NOW.toISOString(),
        sha256: sha(n),
      },
    ],
  };
}

/** The findings of a first audit: failures in sections 1, 2 and 3, a manual item in 4. */
export function baselineFindings(): Finding[] {
  const org = { type: 'organization' as const, id: 'acme', name: 'Acme' };
  return [
    finding('1.2', '1.2.require-2fa', 'fail', org, 1),
    finding('2.1', '2.1.open-membership', 'fail', org, 2),
    finding('2.2', '2.2.project-has-team', 'fail', { type: 'project', id: 'web', name: 'web' }, 3),
    finding('3.2', '3.2.rate-limit', 'fail', { type: 'key', id: 'abc', name: 'Default' }, 4),
    finding('3.1', '3.1.sensitive-fields', 'pass', { type: 'project', id: 'api', name: 'api' }, 5),
    finding('4.1', '4.1.security-events', 'manual', org, 6),
    finding('INT.1', 'INT.1.inventory', 'error', org, 7),
  ];
}

/** Outcome counts as the contract wants them: every outcome named. */
export function outcomeCounts(applied: number): ResponseOf<'fix:apply'>['counts'] {
  const c = Object.fromEntries(OutcomeStatusSchema.options.map((o) => [o, 0])) as ResponseOf<'fix:apply'>['counts'];
  return { ...c, applied };
}

function counts(findings: readonly Finding[]) {
  const c = { pass: 0, fail: 0, error: 0, manual: 0, not_applicable: 0 };
  for (const f of findings) c[f.status] += 1;
  return c;
}

export function auditRun(runId: string, findings: Finding[], baselineRunId = runId): ResponseOf<'audit:run'> {
  RUN_FINDINGS.set(runId, { findings, baselineRunId });
  return {
    runId,
    profileId: 'p1',
    orgSlug: ORG.slug,
    level: 'L1',
    startedAt: NOW.toISOString(),
    finishedAt: NOW.toISOString(),
    counts: counts(findings),
    controls: [],
    checks: checkSummaries(findings),
    baselineRunId,
    requests: 10,
    rateLimited: 0,
  };
}

type FixStep = ResponseOf<'fix:plan'>['steps'][number];

function step(id: string, control: string, check: string, fix: string, extra: Partial<FixStep> = {}): FixStep {
  return {
    id,
    control,
    check,
    resource: { type: 'project', id: 'web', name: 'web' },
    title: fix,
    description: `${fix} on web`,
    changes: [{ field: 'x', before: 1, after: 2 }],
    reversible: true,
    requiredScopes: ['project:admin'],
    fix,
    field: 'x',
    before: { x: 1 },
    after: { x: 2 },
    request: { method: 'PUT', host: 'region', path: '/api/0/projects/acme/web/' },
    risk: 'low',
    confirmSlug: false,
    verify: 'x is 2',
    undoNote: null,
    dependsOn: [],
    notes: [],
    ...extra,
  };
}

export function planSteps(): FixStep[] {
  return [
    step('s1', '2.2', '2.2.project-has-team', 'Team reassignment'),
    step('s2', '2.1', '2.1.open-membership', 'Organization settings', { risk: 'high', confirmSlug: true }),
    step('s3', '2.2', '2.2.project-has-team', 'Team reassignment', { dependsOn: ['s1'] }),
  ];
}

const scopeNeed = (satisfied: boolean) => ({
  required: ['org:admin'],
  missing: satisfied ? [] : ['org:admin'],
  extra: [],
  satisfied,
});

function control(id: string, section: string) {
  return {
    id,
    title: `Control ${id}`,
    section,
    level: 'L1' as const,
    rationale: `Why ${id} matters.`,
    manualSteps: [`Open the settings for ${id}.`],
    requiredScopes: [['org:read']],
    mappings: { cis: [], nist: [], soc2: [] },
    checks: [{ id: `${id}.check`, title: `Check of ${id}`, level: 'L1' as const }],
    fixes: [],
  };
}

export function createFakeBridge(overrides: FakeHandlers = {}): FakeBridge {
  const calls: { channel: ChannelName; request: unknown }[] = [];
  const listeners = new Map<EventName, Set<(p: unknown) => void>>();
  const profiles = new Map<string, Profile>();
  const tokens = new Set<string>();
  const pending = new Map<string, string>();
  let registers: Registers = { exceptions: [], integrationRegister: [], attestations: [] };
  let nextProfile = 1;
  let runs = 0;

  const defaults: { [C in ChannelName]: FakeHandler<C> } = {
    'app:info': () =>
      ok({ version: '0.1.0', platform: 'linux', packaged: false, mode: 'web', keychain: { available: true, backend: 'memory', message: null } }),
    'app:openExternal': () => ok({ opened: false }),
    'auth:setToken': ({ profileId, token }) => {
      if (token.trim() === 'bad') return err('unauthorized', 'Sentry answered 401 to GET /api/0/');
      tokens.add(profileId);
      return ok({ kind: 'user', scopes: ['org:admin', 'member:admin', 'team:admin', 'project:admin'], user: { id: '1', email: 'ada@example.com', has2fa: true } });
    },
    'auth:verify': () => err('internal', 'not used by the wizard'),
    'auth:scopeCheck': () => ok({ checked: true, heldScopes: ['org:admin'], audit: scopeNeed(true), fix: scopeNeed(true), authPageUrl: null }),
    'auth:status': ({ profileId }) =>
      ok({
        hasToken: tokens.has(profileId),
        info: tokens.has(profileId) ? { kind: 'user', scopes: ['org:admin'], user: { id: '1', email: null, has2fa: true } } : null,
      }),
    'auth:forget': ({ profileId }) => ok({ deleted: tokens.delete(profileId) }),
    'profile:list': () => ok({ profiles: [...profiles.values()] }),
    'portfolio:list': () =>
      ok({
        entries: [...profiles.values()].map((p) => ({
          profileId: p.id,
          label: p.label,
          orgSlug: p.orgSlug,
          host: new URL(p.baseUrl).host,
          profileLevel: p.level,
          tokenKind: p.tokenKind ?? null,
          unfinished: p.orgSlug === 'org-not-chosen-yet',
          lastPackage: { state: 'none' as const },
          exceptions: { open: 0, expiringSoon: 0, expired: 0 },
          review: null,
        })),
      }),
    'profile:save': ({ profile }) => {
      const id = profile.id ?? `p${nextProfile++}`;
      const saved: Profile = { ...profile, id, level: profile.level, createdAt: profiles.get(id)?.createdAt ?? NOW.toISOString() } as Profile;
      profiles.set(id, saved);
      return ok({ profile: saved, tokenForgotten: false });
    },
    'profile:delete': ({ profileId }) => ok({ deleted: profiles.delete(profileId), tokenDeleted: tokens.delete(profileId) }),
    'profile:rename': ({ profileId, label }) => {
      const p = profiles.get(profileId);
      if (!p) return err('not_found', `No profile "${profileId}"`);
      if (label.trim() === '') return err('invalid_input', 'Enter a name for this organization.');
      const renamed = { ...p, label: label.trim() };
      profiles.set(profileId, renamed);
      return ok({ profile: renamed });
    },
    'connection:check': ({ baseUrl, token }) => {
      if (token.trim() === 'bad') return err('unauthorized', 'Sentry answered 401 to GET /api/0/');
      const pendingId = `pending-${pending.size + 1}`;
      pending.set(pendingId, baseUrl);
      return ok({
        pendingId,
        baseUrl,
        info: { kind: 'user', scopes: ['org:admin', 'member:admin', 'team:admin', 'project:admin'], user: { id: '1', email: 'ada@example.com', has2fa: true } },
        orgs: [ORG, { id: '43', slug: 'other', name: 'Other' }],
        scopeCheck: { checked: true, heldScopes: ['org:admin'], audit: scopeNeed(true), fix: scopeNeed(true), authPageUrl: null },
      });
    },
    'connection:save': ({ pendingId, fromProfileId, orgSlug, level }) => {
      const from = fromProfileId === undefined ? undefined : profiles.get(fromProfileId);
      const baseUrl = pendingId !== undefined ? pending.get(pendingId) : from && tokens.has(from.id) ? from.baseUrl : undefined;
      const org = [ORG, { id: '43', slug: 'other', name: 'Other' }].find((o) => o.slug === orgSlug);
      if (baseUrl === undefined) return err('not_found', 'This token check has expired or was already used: enter the token again.');
      if (!org) return err('not_found', `This token does not see an organization "${orgSlug}"`);
      if (pendingId !== undefined) pending.delete(pendingId);
      const existing = [...profiles.values()].find((p) => p.baseUrl === baseUrl && p.orgSlug === orgSlug);
      const id = existing?.id ?? `p${nextProfile++}`;
      const saved: Profile = existing ?? { id, label: `${org.name} (${new URL(baseUrl).host})`, baseUrl, orgSlug, level, tokenKind: 'user', createdAt: NOW.toISOString() };
      profiles.set(id, saved);
      tokens.add(id);
      return ok({ profile: saved });
    },
    'org:list': () => ok({ orgs: [ORG, { id: '43', slug: 'other', name: 'Other' }] }),
    'wizard:load': () => ok({ progress: null }),
    'wizard:save': ({ progress }) => ok({ progress }),
    'session:get': () => ok({ session: null, problem: null }),
    'settings:get': () => ok({ settings: { audit: {}, lastProfileId: null } }),
    'settings:save': () => ok({ settings: { audit: {}, lastProfileId: null } }),
    'register:get': () => ok({ registers }),
    'register:save': ({ registers: next }) => {
      registers = next as Registers;
      return ok({ registers });
    },
    'audit:run': ({ runId, baselineRunId }) => {
      runs += 1;
      const id = runId ?? `run-${runs}`;
      return ok(auditRun(id, baselineFindings(), baselineRunId ?? id));
    },
    'audit:get': () => err('not_found'),
    'audit:evidence': ({ sha256 }) =>
      ok({
        read: {
          sha256,
          method: 'GET',
          endpoint: '/api/0/organizations/acme/',
          query: {},
          pages: 1,
          items: 1,
          complete: true,
          fetchedAt: NOW.toISOString(),
          responses: [{ url: '/api/0/organizations/acme/', status: 200, sha256, items: 1, fetchedAt: NOW.toISOString() }],
        },
        firstPage: { url: '/api/0/organizations/acme/', status: 200, contentType: 'application/json', body: '{"slug":"acme"}', bytes: 15, truncated: false },
      }),
    'audit:cancel': () => ok({ cancelled: true }),
    'audit:findings': ({ runId, offset, limit, ...query }) => {
      if (!RUN_FINDINGS.has(runId)) return err('not_found');
      const run = RUN_FINDINGS.get(runId)!;
      const base = run.baselineRunId !== runId ? RUN_FINDINGS.get(run.baselineRunId) : undefined;
      // Main counts accepted risks and attestations with the registers as they are (judged at NOW, the runs' finish).
      const context = { ...(base ? { before: statusesOf(base.findings) } : {}), registers: { entries: registers, at: NOW } };
      return ok({ runId, groups: findingGroups(findingsOfRun(runId), { ...query, offset: offset ?? 0, limit }, context) });
    },
    'audit:changes': ({ runId, section, offset = 0, limit }) => {
      const run = RUN_FINDINGS.get(runId);
      if (!run) return err('not_found');
      const base = run.baselineRunId !== runId ? RUN_FINDINGS.get(run.baselineRunId) : undefined;
      const page = changeRows(base ? base.findings : null, run.findings, { ...(section !== undefined ? { section } : {}), offset, limit });
      return ok({ runId, baselineRunId: base ? run.baselineRunId : runId, offset, ...page });
    },
    'catalog:get': () =>
      ok({
        sections: [
          { id: '1', title: 'Authentication' },
          { id: '2', title: 'Access' },
        ],
        controls: [control('1.2', '1'), control('2.1', '2'), control('2.2', '2'), control('3.2', '3'), control('4.1', '4'), control('INT.1', 'INT')],
      }),
    'fix:plan': ({ runId }) =>
      ok({ planId: 'plan-1', runId, orgSlug: ORG.slug, level: 'L1', createdAt: NOW.toISOString(), steps: planSteps(), notes: [] }),
    'report:open': () => ok({ opened: true }),
    'fix:getPlan': ({ planId }) => err('not_found', `No plan "${planId}" in this session: plan the fixes again`),
    'fix:planPage': ({ planId, part, offset, limit }) =>
      ok({ planId, part, offset, total: part === 'steps' ? planSteps().length : 0, steps: part === 'steps' ? planSteps().slice(offset, offset + limit) : [], notes: [] }),
    'fix:apply': ({ planId, stepIds = [] }) =>
      ok({
        planId,
        applyId: 'apply-1',
        results: stepIds.map((stepId) => ({ stepId, status: 'applied' as const, outcome: 'applied' as const, message: 'done', observed: null, error: null })),
        counts: outcomeCounts(stepIds.length),
        fatal: null,
        recheck: auditRun('run-recheck', baselineFindings().filter((f) => f.control !== '2.2'), 'run-first'),
        recheckError: null,
      }),
    'fix:cancel': () => ok({ cancelled: true }),
    'fix:undoPlan': ({ applyId }) =>
      ok({ applyId, steps: planSteps().slice(0, 1).map((s) => ({ ...s, id: 'u1', undoes: s.id })), skipped: [] }),
    'fix:undo': ({ applyId, stepIds }) =>
      ok({
        applyId,
        undoId: 'undo-1',
        skipped: [],
        results: (stepIds ?? []).map((stepId) => ({ stepId, status: 'applied' as const, outcome: 'applied' as const, message: 'undone', observed: null, error: null })),
        counts: outcomeCounts(stepIds?.length ?? 0),
        fatal: null,
        recheck: auditRun('run-after-undo', baselineFindings(), 'run-first'),
        recheckError: null,
      }),
    'report:save': () => ok({ saved: true, path: '/tmp/out/package', zipPath: '/tmp/out/package.zip', fingerprint: 'SHA256:abc' }),
    'report:printPdf': () => ok({ saved: true, path: '/tmp/out/package.pdf' }),
    'export:terraform': () => ok({ saved: true, path: '/tmp/out/terraform-acme', resources: 12, files: ['README.md', 'access.tf', 'keys.tf', 'projects.tf', 'versions.tf'], gaps: [] }),
    'demo:status': () => ok({ active: true, profileId: 'demo', orgSlug: 'acme-demo', label: 'Acme Demo', baseUrl: 'http://127.0.0.1:9' }),
    'demo:reset': () => ok({ reset: true }),
  };
  // The demo profile exists from the start, with its token already held by "main".
  profiles.set('demo', { id: 'demo', label: 'Acme Demo', baseUrl: 'http://127.0.0.1:9', orgSlug: 'acme-demo', level: 'L1', createdAt: NOW.toISOString() });
  tokens.add('demo');

  const handlers = { ...defaults, ...overrides } as Record<ChannelName, (r: unknown) => Promise<Result<unknown>> | Result<unknown>>;

  const invoke = Object.fromEntries(
    CHANNEL_NAMES.map((channel) => [
      channel,
      async (request: unknown) => {
        calls.push({ channel, request });
        const parsed = channels[channel].request.safeParse(request);
        if (!parsed.success) throw new Error(`fake bridge: invalid request for ${channel}: ${parsed.error.message}`);
        const result = await handlers[channel](request);
        if (result.ok) {
          const checked = channels[channel].response.safeParse(result.value);
          if (!checked.success) throw new Error(`fake bridge: answer for ${channel} breaks the contract: ${checked.error.message}`);
        }
        return result;
      },
    ]),
  ) as unknown as SentryHardenBridge['invoke'];

  const on = Object.fromEntries(
    (['audit:progress', 'fix:progress'] as const).map((name) => [
      name,
      (listener: (p: unknown) => void) => {
        const set = listeners.get(name) ?? new Set();
        listeners.set(name, set);
        set.add(listener);
        return () => set.delete(listener);
      },
    ]),
  ) as unknown as SentryHardenBridge['on'];

  return {
    invoke,
    on,
    calls,
    callsOf: <C extends ChannelName>(channel: C) => calls.filter((c) => c.channel === channel).map((c) => c.request as RequestOf<C>),
    emit: (event, payload) => {
      for (const l of listeners.get(event) ?? []) l(payload);
    },
    listenerCount: (event) => listeners.get(event)?.size ?? 0,
    handle: (channel, handler) => {
      handlers[channel] = handler as (r: unknown) => Result<unknown>;
    },
  };
}

/** A promise you resolve from the test, to observe a `running` state. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
