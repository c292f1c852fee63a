import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { ErrorInfo } from '../../shared/errors';
import type { FindingStatus } from '../../shared/finding';
import { FINDING_STATUSES } from '../../shared/finding';
import type { HandlerResponseOf } from '../../shared/ipc/contract';
import { EVIDENCE_BODY_LIMIT } from '../../shared/ipc/contract';
import type { Change, OutcomeStatus, Plan, PlanNote } from '../../shared/plan';
import { REPORT_SECTIONS as SECTIONS } from '../../shared/sections';
import type { AuditSettingsOverrides, Registers } from '../../shared/settings';
import { CONTROLS, DEFAULT_AUDIT_SETTINGS } from '../controls/index';
import type { AuditSettings, ControlDefinition, TokenInfo } from '../controls/types';
import type { ApplyEvent, ApplyResult, ChangeResult } from '../engine/apply';
import { applyChanges, checkTarget, connectForTarget } from '../engine/apply';
import { auditOrganization } from '../engine/audit-session';
import { JournalError, newRunId, readJournal } from '../engine/journal';
import { makePlan, PlanError } from '../engine/plan';
import { RebuildError } from '../engine/rebuild';
import { reconcileUnfinished } from '../engine/reconcile';
import { acquireRunLock, isRunLockError, type RunLock } from '../engine/run-lock';
import { classifyToken, tokenPrefix, toTokenInfo } from '../engine/token-kind';
import { planUndo } from '../engine/undo';
import { FIXES } from '../fixes/index';
import type { FixDefinition } from '../fixes/types';
import { FixParamError } from '../fixes/types';
import { tryParseBaseUrl } from '../sentry/base-url';
import { SentryClient } from '../sentry/client';
import { listOrganizations } from '../sentry/connect';
import { ApiIndexSchema } from '../sentry/schemas';
import { AppError } from './errors';
import type { AuditRequest, EngineGateway, ProfileSession, SentryTarget } from './handlers';
import type { PackageWriter, ReportDestination, StoredAudit } from './report-output';
import { saveSessionReport } from './report-save';
import type { HandlerContext } from './router';

/**
 * The real EngineGateway: the audit, fix and undo engine of core/engine behind the contract.
 * Runs, plans and applies live in memory for this app session (by id); only journals reach the
 * disk (the app's data folder), and neither holds a token: every Sentry call reads it through
 * the session's `getToken` at send time.
 */

export interface EngineDeps {
  /** Where apply and undo journals go (the app's data folder). */
  readonly journalDir: string;
  /** The registers of a profile (integration register for INT.4/INT.5, exceptions, attestations). */
  readonly registers: (profileId: string) => Registers;
  /** The person's threshold overrides (settings). */
  readonly auditSettings: () => AuditSettingsOverrides;
  readonly reportDestination: ReportDestination;
  /** The evidence package writer; null in builds without it. */
  readonly writePackage: PackageWriter | null;
  /** The profile's token, only for the package writer's last look (no file may contain it). */
  readonly secretOf?: (profileId: string) => Promise<string | null>;
  /** Per request; default 30 s. */
  readonly timeoutMs?: number;
  /** Characters of a page body `audit:evidence` returns (default EVIDENCE_BODY_LIMIT). */
  readonly evidenceBodyLimit?: number;
  /** Runs kept in memory, each with its response bodies (the oldest that no session needs go first). Default 20. */
  readonly maxRuns?: number;
  /** Test seams. */
  readonly controls?: readonly ControlDefinition[];
  readonly fixes?: readonly FixDefinition[];
}

type AuditRunDto = HandlerResponseOf<'audit:run'>;
type FixStepDto = HandlerResponseOf<'fix:plan'>['steps'][number];
type StepResultDto = HandlerResponseOf<'fix:apply'>['results'][number];

interface RunRecord {
  readonly dto: AuditRunDto;
  readonly audit: StoredAudit;
  /** The controls asked for (null: all at the level). */
  readonly controls: readonly string[] | null;
}

interface PlanRecord {
  readonly planId: string;
  readonly profileId: string;
  readonly runId: string;
  readonly baselineRunId: string;
  readonly controls: readonly string[] | null;
  readonly plan: Plan;
}

interface ApplyRecord {
  readonly applyId: string;
  readonly profileId: string;
  readonly kind: 'apply' | 'undo';
  readonly baselineRunId: string;
  readonly level: Plan['level'];
  readonly controls: readonly string[] | null;
  readonly journalFile: string;
  /** Ids of this apply's steps that were undone since (so they are not undone twice). */
  readonly undone: Set<string>;
}


function appError(code: ErrorInfo['code'], message: string): AppError {
  return new AppError(code, message);
}

/** Engine errors that are the person's to fix become `invalid_input`; Sentry's keep their code. */
function mapEngineError(e: unknown): unknown {
  if (e instanceof FixParamError || e instanceof PlanError || e instanceof RebuildError) return appError('invalid_input', e.message);
  if (e instanceof JournalError) return appError('internal', e.message);
  return e;
}

export function mergeAuditSettings(overrides: AuditSettingsOverrides): AuditSettings {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  return { ...DEFAULT_AUDIT_SETTINGS, ...defined } as AuditSettings;
}

/** `applied`, `failed` or `skipped`, for people who do not need the engine's precise outcome. */
export function coarseStatus(outcome: OutcomeStatus): StepResultDto['status'] {
  switch (outcome) {
    case 'applied':
    case 'already_applied':
      return 'applied';
    case 'failed':
    case 'not_effective':
    case 'uncertain':
      return 'failed';
    default:
      return 'skipped';
  }
}

function errorCodeFor(result: ChangeResult): ErrorInfo['code'] {
  const status = result.response?.status ?? null;
  if (status === null) return 'unreachable';
  if (status === 400) return 'bad_request';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server_error';
  return 'internal';
}

function toStepResult(result: ChangeResult, stepId: string): StepResultDto {
  const status = coarseStatus(result.status);
  return {
    stepId,
    status,
    outcome: result.status,
    message: result.message,
    observed: result.observed ?? null,
    error: result.status === 'failed' ? { code: errorCodeFor(result), message: result.message, retryable: false } : null,
  };
}

/** A plan change as the wizard previews it. */
export function toFixStep(change: Change, fixTitle: string): FixStepDto {
  const fields = [...new Set([...Object.keys(change.before), ...Object.keys(change.after)])];
  return {
    id: change.id,
    control: change.control,
    check: change.check,
    resource: change.resource,
    title: fixTitle,
    description: change.description,
    changes: fields.map((field) => ({ field, before: change.before[field] ?? null, after: change.after[field] ?? null })),
    reversible: change.reversible,
    requiredScopes: [...requiredScopesFor(change)],
    fix: change.fix,
    field: change.field,
    before: change.before,
    after: change.after,
    request: { ...change.request },
    risk: change.risk,
    confirmSlug: needsSlug(change),
    verify: change.verify,
    undoNote: change.undoNote ?? null,
    dependsOn: [...change.dependsOn],
    notes: [...change.notes],
  };
}

/** High-risk steps, and those the fix marks, are confirmed by typing the organization slug. */
export function needsSlug(change: Pick<Change, 'risk' | 'confirmSlug'>): boolean {
  return change.risk === 'high' || change.confirmSlug;
}

/** The admin scope of the family a write touches (REFERENCE.md 10). */
function requiredScopesFor(change: Change): string[] {
  const p = change.request.path;
  if (/^\/api\/0\/projects\//.test(p)) return ['project:admin'];
  if (/^\/api\/0\/teams\//.test(p)) return ['team:admin'];
  if (/\/members\//.test(p)) return /\/teams\//.test(p) ? ['team:admin', 'member:admin'] : ['member:admin'];
  return ['org:admin'];
}

/** A note as the wizard gets it: the choice it needs comes from the plan's data, never from its words. */
export function noteDto(note: PlanNote, fixes: readonly FixDefinition[]): HandlerResponseOf<'fix:plan'>['notes'][number] {
  const p = note.kind === 'needs_parameter' ? note.param : undefined;
  const doc = p ? (fixes.find((f) => f.id === note.fix)?.params ?? []).find((d) => d.pattern.test(p.key)) : undefined;
  return {
    fix: note.fix,
    control: note.control,
    check: note.check ?? null,
    resource: note.resource ?? null,
    kind: note.kind,
    message: note.message,
    param: p
      ? {
          key: p.key,
          kind: p.kind,
          label: p.label,
          description: doc?.description ?? p.label,
          choices: [...(p.choices ?? [])],
          multiple: p.multiple ?? false,
          min: p.min ?? null,
          max: p.max ?? null,
          pattern: p.pattern ?? null,
        }
      : null,
    items: [...(note.items ?? [])],
  };
}

/** Every status, zero where the report has none. */
function fullCounts(counts: Partial<Record<FindingStatus, number>>): Record<FindingStatus, number> {
  const out: Record<FindingStatus, number> = { pass: 0, fail: 0, error: 0, manual: 0, not_applicable: 0 };
  for (const s of FINDING_STATUSES) out[s] = counts[s] ?? 0;
  return out;
}

function runIdOk(id: string): boolean {
  return /^[A-Za-z0-9_-]{6,64}$/.test(id);
}

export function createEngine(deps: EngineDeps): EngineGateway {
  const controlsAll = deps.controls ?? CONTROLS;
  const fixesAll = deps.fixes ?? FIXES;
  const timeoutMs = deps.timeoutMs ?? 30_000;
  const maxRuns = deps.maxRuns ?? 20;
  const bodyLimit = deps.evidenceBodyLimit ?? EVIDENCE_BODY_LIMIT;
  const runs = new Map<string, RunRecord>();
  const running = new Map<string, AbortController>();
  const plans = new Map<string, PlanRecord>();
  const applies = new Map<string, ApplyRecord>();
  // One change run at a time per profile: two concurrent applies would race on the same resources.
  const busy = new Set<string>();
  // Running applies and undos by their progress id (the plan, or the apply undone), for fix:cancel.
  const applying = new Map<string, AbortController>();

  const fixTitle = (id: string): string => fixesAll.find((f) => f.id === id)?.title ?? id;
  const newId = (prefix: string): string => `${prefix}${randomBytes(9).toString('base64url')}`;

  function requireRun(runId: string, profileId?: string): RunRecord {
    const run = runs.get(runId);
    if (!run || (profileId !== undefined && run.dto.profileId !== profileId)) {
      throw appError('not_found', `No audit run "${runId}" in this session: run the audit again`);
    }
    return run;
  }

  function requirePlan(planId: string, profileId: string): PlanRecord {
    const plan = plans.get(planId);
    if (!plan || plan.profileId !== profileId) throw appError('not_found', `No plan "${planId}" in this session: plan the fixes again`);
    return plan;
  }

  function requireApply(applyId: string, profileId: string): ApplyRecord {
    const rec = applies.get(applyId);
    if (!rec || rec.profileId !== profileId) throw appError('not_found', `No applied run "${applyId}" in this session`);
    return rec;
  }

  /** Evicts the oldest runs beyond the cap, but never a baseline a later run still refers to. */
  function evict(): void {
    if (runs.size <= maxRuns) return;
    const needed = new Set([...runs.values()].map((r) => r.dto.baselineRunId));
    for (const id of runs.keys()) {
      if (runs.size <= maxRuns) break;
      if (!needed.has(id) || runs.get(id)?.dto.baselineRunId !== id) runs.delete(id);
    }
  }

  function selectControls(ids: readonly string[] | null | undefined): readonly ControlDefinition[] {
    if (!ids || ids.length === 0) return controlsAll;
    const known = new Set(controlsAll.map((c) => c.id));
    const unknown = ids.filter((id) => !known.has(id));
    if (unknown.length > 0) throw appError('invalid_input', `No control ${unknown.join(', ')} (controls: ${[...known].join(', ')})`);
    const wanted = new Set(ids);
    return controlsAll.filter((c) => wanted.has(c.id));
  }

  async function audit(
    session: ProfileSession,
    request: AuditRequest,
    ctx: HandlerContext,
  ): Promise<AuditRunDto> {
    const { profile } = session;
    const runId = request.runId ?? newRunId();
    if (!runIdOk(runId)) throw appError('invalid_input', 'A run id is 6-64 letters, digits, "-" or "_"');
    if (runs.has(runId) || running.has(runId)) throw appError('invalid_input', `Run id "${runId}" is already in use`);
    let baselineRunId = runId;
    if (request.baselineRunId !== undefined && request.baselineRunId !== runId) {
      baselineRunId = requireRun(request.baselineRunId, profile.id).dto.baselineRunId;
    }
    const controls = selectControls(request.controls);
    const controller = new AbortController();
    // Every request of the audit listens to this signal: more than the default ten at once.
    setMaxListeners(0, controller.signal);
    running.set(runId, controller);
    let completed = 0;
    let started = false;
    try {
      const outcome = await auditOrganization({
        baseUrl: profile.baseUrl,
        orgSlug: profile.orgSlug,
        ...(profile.caFile ? { caFile: profile.caFile } : {}),
        getToken: session.getToken,
        tokenPrefix: tokenPrefix(session.getToken()),
        timeoutMs,
        level: request.level,
        settings: mergeAuditSettings(deps.auditSettings()),
        controls,
        integrationRegister: deps.registers(profile.id).integrationRegister,
        signal: controller.signal,
        onProgress: (event) => {
          // One event when the first control starts (the total is known), then one per control done.
          if (event.kind === 'control-start' && started) return;
          started = true;
          if (event.kind === 'control-done') completed += 1;
          ctx.emit('audit:progress', {
            runId,
            completed,
            total: event.total,
            control: event.kind === 'control-done' ? event.control : null,
          });
        },
      });
      // Controls turn a cancelled read into an `error` finding: a cancelled run is not kept.
      if (controller.signal.aborted) throw appError('cancelled', 'The audit was cancelled; nothing was changed');
      const report = outcome.report;
      const dto: AuditRunDto = {
        runId,
        profileId: profile.id,
        orgSlug: report.target.org.slug,
        level: report.level,
        startedAt: report.startedAt,
        finishedAt: report.finishedAt,
        findings: report.findings,
        counts: fullCounts(report.summary.counts),
        controls: report.controls.map((c) => ({
          id: c.id,
          title: c.title,
          section: c.section,
          level: c.level,
          counts: fullCounts(c.counts),
        })),
        baselineRunId,
        requests: report.summary.requests,
        rateLimited: report.summary.rateLimited,
      };
      runs.set(runId, { dto, audit: outcome, controls: request.controls && request.controls.length > 0 ? [...request.controls] : null });
      evict();
      return dto;
    } catch (e) {
      if (controller.signal.aborted) throw appError('cancelled', 'The audit was cancelled; nothing was changed');
      throw mapEngineError(e);
    } finally {
      running.delete(runId);
    }
  }

  /** The re-check after a change run: same level and controls; its failure is reported, not thrown. */
  async function recheck(
    session: ProfileSession,
    level: Plan['level'],
    controls: readonly string[] | null,
    baselineRunId: string,
    ctx: HandlerContext,
  ): Promise<{ recheck: AuditRunDto | null; recheckError: ErrorInfo | null }> {
    try {
      const dto = await audit(session, { level, controls: controls ?? undefined, baselineRunId: runs.has(baselineRunId) ? baselineRunId : undefined }, ctx);
      return { recheck: dto, recheckError: null };
    } catch (e) {
      const err = e as { code?: unknown; message?: unknown };
      const code = typeof err.code === 'string' ? (err.code as ErrorInfo['code']) : 'internal';
      return { recheck: null, recheckError: { code, message: typeof err.message === 'string' ? err.message : 'The re-check failed', retryable: true } };
    }
  }

  /** Connects to the plan's target, reconciles interrupted runs, applies, returns the result. */
  async function execute(
    session: ProfileSession,
    run: { kind: 'apply' | 'undo'; source: string; plan: { readonly target: Plan['target']; readonly writeHosts: readonly string[] }; changes: readonly Change[]; stepIdOf: (c: Change) => string; progressId: string },
    ctx: HandlerContext,
  ): Promise<ApplyResult> {
    const { profile } = session;
    if (busy.has(profile.id)) throw appError('invalid_input', 'Another apply or undo of this profile is running: wait for it to finish');
    // Another process (the CLI, a second window) may be changing this organization with the same data.
    let lock: RunLock;
    try {
      lock = acquireRunLock(deps.journalDir, run.plan.target, run.kind);
    } catch (e) {
      if (isRunLockError(e)) throw appError('invalid_input', e.message);
      throw e;
    }
    busy.add(profile.id);
    const controller = new AbortController();
    applying.set(run.progressId, controller);
    try {
      const connection = await connectForTarget(run.plan.target, {
        getToken: session.getToken,
        timeoutMs,
        ...(profile.caFile ? { caFile: profile.caFile } : {}),
      });
      try {
        checkTarget(connection, run.plan.target, run.plan.writeHosts, []);
        await reconcileUnfinished({ client: connection.client, journalDir: deps.journalDir, target: run.plan.target });
        checkTarget(connection, run.plan.target, run.plan.writeHosts, run.changes);
        const onEvent = (event: ApplyEvent): void => {
          if (event.kind === 'start') {
            ctx.emit('fix:progress', { planId: run.progressId, stepId: run.stepIdOf(event.change), status: 'running', kind: run.kind, outcome: null, index: event.index, total: event.total });
          } else {
            const index = run.changes.findIndex((c) => c.id === event.result.change.id) + 1;
            ctx.emit('fix:progress', {
              planId: run.progressId,
              stepId: run.stepIdOf(event.result.change),
              status: coarseStatus(event.result.status),
              kind: run.kind,
              outcome: event.result.status,
              index,
              total: run.changes.length,
            });
          }
        };
        return await applyChanges({
          client: connection.client,
          kind: run.kind,
          source: run.source,
          target: run.plan.target,
          writeHosts: run.plan.writeHosts,
          changes: run.changes,
          journalDir: deps.journalDir,
          lastWriteStatus: connection.lastWriteStatus,
          // Consent was given for exactly these steps (and the slug checked) before we got here.
          confirm: async () => true,
          onEvent,
          signal: controller.signal,
        });
      } finally {
        connection.client.close();
      }
    } catch (e) {
      throw mapEngineError(e);
    } finally {
      lock.release();
      busy.delete(profile.id);
      applying.delete(run.progressId);
    }
  }

  async function forbiddenFor(profileId: string): Promise<string[]> {
    const token = deps.secretOf ? await deps.secretOf(profileId).catch(() => null) : null;
    return token ? [token] : [];
  }

  function checkConsent(changes: readonly Change[], orgSlug: string, confirmOrg: string | undefined, stepIdOf: (c: Change) => string): void {
    if (confirmOrg !== undefined && confirmOrg !== orgSlug) {
      throw appError('invalid_input', `The organization typed ("${confirmOrg.slice(0, 64)}") is not ${orgSlug}: nothing was changed`);
    }
    const high = changes.filter(needsSlug);
    if (high.length > 0 && confirmOrg !== orgSlug) {
      throw appError(
        'invalid_input',
        `${high.map(stepIdOf).join(', ')} ${high.length === 1 ? 'is a high-risk step' : 'are high-risk steps'}: type the organization slug (${orgSlug}) to confirm; nothing was changed`,
      );
    }
  }

  /**
   * The profile must still point where the plan was made: its token is for that Sentry only (a
   * profile moved to another host got a new token, which must never go to the old host).
   */
  function checkProfileTarget(session: ProfileSession, plan: Pick<Plan, 'target'>): void {
    const base = tryParseBaseUrl(session.profile.baseUrl);
    if (!base.ok || base.value.url !== plan.target.url || session.profile.orgSlug !== plan.target.org.slug) {
      throw appError(
        'invalid_input',
        `The profile now points at ${session.profile.orgSlug} on ${session.profile.baseUrl}, but this was planned for ${plan.target.org.slug} on ${plan.target.url}: plan again`,
      );
    }
  }

  function outcomeCounts(result: ApplyResult): Record<OutcomeStatus, number> {
    return { ...result.counts };
  }

  return {
    async verifyToken(target: SentryTarget, token: string): Promise<TokenInfo> {
      const client = new SentryClient({ baseUrl: target.baseUrl, getToken: () => token, timeoutMs, ...(target.caFile ? { caFile: target.caFile } : {}) });
      try {
        const index = await client.read('/api/0/', ApiIndexSchema);
        if (index.value.auth === null) {
          throw appError('unauthorized', 'GET /api/0/: Sentry did not recognise the token (no authentication). Check that it was pasted completely.');
        }
        return toTokenInfo(classifyToken(tokenPrefix(token), index.value, null), index.value);
      } finally {
        client.close();
      }
    },

    async listOrganizations(target: SentryTarget, getToken: () => string) {
      const client = new SentryClient({ baseUrl: target.baseUrl, getToken, timeoutMs, ...(target.caFile ? { caFile: target.caFile } : {}) });
      try {
        const orgs = await listOrganizations(client);
        return orgs.map((o) => ({ id: o.id, slug: o.slug, name: o.name }));
      } finally {
        client.close();
      }
    },

    runAudit: (session, request, ctx) => audit(session, request, ctx),

    async getRun(runId) {
      return requireRun(runId).dto;
    },

    async evidence({ runId, sha256 }) {
      const run = requireRun(runId);
      const read = run.audit.report.reads.find((r) => r.sha256 === sha256);
      if (!read) throw appError('not_found', `Run ${runId} has no read ${sha256.slice(0, 12)}…`);
      const first = read.responses[0];
      const record = first ? run.audit.responses.find((r) => r.sha256 === first.sha256) : undefined;
      return {
        read: {
          sha256: read.sha256,
          method: read.method,
          endpoint: read.endpoint,
          query: { ...read.query },
          pages: read.pages,
          items: read.items,
          complete: read.complete,
          fetchedAt: read.fetchedAt,
          responses: read.responses.map((p) => ({ url: p.url, status: p.status, sha256: p.sha256, items: p.items, fetchedAt: p.fetchedAt })),
        },
        firstPage: record
          ? {
              url: record.url,
              status: record.status,
              contentType: record.headers['content-type'] ?? null,
              body: record.body.slice(0, bodyLimit),
              bytes: Buffer.byteLength(record.body, 'utf8'),
              truncated: record.body.length > bodyLimit,
            }
          : null,
      };
    },

    async cancelAudit(runId) {
      const controller = running.get(runId);
      if (!controller) return false;
      controller.abort();
      return true;
    },

    async catalog() {
      return {
        sections: SECTIONS.map((s) => ({ ...s })),
        controls: controlsAll.map((c) => ({
          id: c.id,
          title: c.title,
          section: c.section,
          level: c.level,
          rationale: c.rationale,
          manualSteps: [...c.manualSteps],
          requiredScopes: c.requiredScopes.map((g) => [...g]),
          mappings: { cis: [...c.mappings.cis], nist: [...c.mappings.nist], soc2: [...c.mappings.soc2] },
          checks: c.checks.map((k) => ({ id: k.id, title: k.title, level: k.level })),
          fixes: fixesAll
            .filter((f) => f.controls.includes(c.id))
            .map((f) => ({ id: f.id, title: f.title, params: f.params.map((p) => ({ key: p.key, description: p.description })) })),
        })),
      };
    },

    async planFixes(session, request) {
      const run = requireRun(request.runId, session.profile.id);
      const only = request.controls && request.controls.length > 0 ? request.controls : run.controls;
      if (only) selectControls(only);
      let outcome;
      try {
        outcome = await makePlan({
          baseUrl: session.profile.baseUrl,
          orgSlug: session.profile.orgSlug,
          ...(session.profile.caFile ? { caFile: session.profile.caFile } : {}),
          getToken: session.getToken,
          timeoutMs,
          level: run.dto.level,
          only,
          params: request.params ?? {},
          tokenPrefix: tokenPrefix(session.getToken()),
          settings: mergeAuditSettings(deps.auditSettings()),
          controls: controlsAll,
          fixes: fixesAll,
        });
      } catch (e) {
        throw mapEngineError(e);
      }
      const planId = newId('plan_');
      plans.set(planId, { planId, profileId: session.profile.id, runId: run.dto.runId, baselineRunId: run.dto.baselineRunId, controls: run.controls, plan: outcome.plan });
      return {
        planId,
        runId: run.dto.runId,
        orgSlug: outcome.plan.target.org.slug,
        level: outcome.plan.level,
        createdAt: outcome.plan.createdAt,
        steps: outcome.plan.changes.map((c) => toFixStep(c, fixTitle(c.fix))),
        notes: outcome.plan.notes.map((n) => noteDto(n, fixesAll)),
      };
    },

    async applyFixes(session, request, ctx) {
      const rec = requirePlan(request.planId, session.profile.id);
      const { plan } = rec;
      checkProfileTarget(session, plan);
      const wanted = new Set(request.stepIds);
      const unknown = [...wanted].filter((id) => !plan.changes.some((c) => c.id === id));
      if (unknown.length > 0) throw appError('invalid_input', `The plan has no step ${unknown.join(', ')}`);
      const changes = plan.changes.filter((c) => wanted.has(c.id));
      checkConsent(changes, plan.target.org.slug, request.confirmOrg, (c) => c.id);
      const result = await execute(
        session,
        { kind: 'apply', source: `plan ${plan.digest}`, plan, changes, stepIdOf: (c) => c.id, progressId: rec.planId },
        ctx,
      );
      const applyId = result.runId;
      applies.set(applyId, {
        applyId,
        profileId: session.profile.id,
        kind: 'apply',
        baselineRunId: rec.baselineRunId,
        level: plan.level,
        controls: rec.controls,
        journalFile: result.journalFile,
        undone: new Set(),
      });
      const after = await recheck(session, plan.level, rec.controls, rec.baselineRunId, ctx);
      return {
        planId: rec.planId,
        applyId,
        results: result.results.map((r) => toStepResult(r, r.change.id)),
        counts: outcomeCounts(result),
        fatal: result.fatal ?? null,
        ...after,
      };
    },

    async cancelApply(planId) {
      const controller = applying.get(planId);
      if (!controller) return false;
      controller.abort();
      return true;
    },

    async undoPlan(session, { applyId }) {
      const rec = requireApply(applyId, session.profile.id);
      const { steps, skipped } = undoSteps(rec);
      return { applyId, steps: steps.map(({ change, undoes }) => ({ ...toFixStep(change, fixTitle(change.fix)), undoes })), skipped };
    },

    async undoFixes(session, request, ctx) {
      const rec = requireApply(request.applyId, session.profile.id);
      const { steps, skipped, undo } = undoSteps(rec);
      checkProfileTarget(session, undo);
      const wanted = request.stepIds ? new Set(request.stepIds) : null;
      if (wanted) {
        const known = new Set([...steps.map((s) => s.undoes), ...skipped.map((s) => s.stepId)]);
        const unknown = [...wanted].filter((id) => !known.has(id));
        if (unknown.length > 0) throw appError('invalid_input', `Apply ${rec.applyId} has no applied step ${unknown.join(', ')}`);
      }
      const chosen = steps.filter((s) => !wanted || wanted.has(s.undoes));
      if (chosen.length === 0) throw appError('invalid_input', 'Nothing to undo: no chosen step can be undone (see `skipped`)');
      const undoesOf = new Map(chosen.map((s) => [s.change.id, s.undoes]));
      const stepIdOf = (c: Change): string => undoesOf.get(c.id) ?? c.id;
      checkConsent(chosen.map((s) => s.change), undo.target.org.slug, request.confirmOrg, stepIdOf);
      const result = await execute(
        session,
        { kind: 'undo', source: undo.source, plan: undo, changes: chosen.map((s) => s.change), stepIdOf, progressId: rec.applyId },
        ctx,
      );
      for (const r of result.results) {
        if (r.status === 'applied' || r.status === 'already_applied') rec.undone.add(stepIdOf(r.change));
      }
      applies.set(result.runId, {
        applyId: result.runId,
        profileId: session.profile.id,
        kind: 'undo',
        baselineRunId: rec.baselineRunId,
        level: rec.level,
        controls: rec.controls,
        journalFile: result.journalFile,
        undone: new Set(),
      });
      const after = await recheck(session, rec.level, rec.controls, rec.baselineRunId, ctx);
      return {
        applyId: rec.applyId,
        undoId: result.runId,
        skipped: wanted ? skipped.filter((s) => wanted.has(s.stepId)) : skipped,
        results: result.results.map((r) => toStepResult(r, stepIdOf(r.change))),
        counts: outcomeCounts(result),
        fatal: result.fatal ?? null,
        ...after,
      };
    },

    async saveReport(request, ctx) {
      const run = requireRun(request.runId);
      const profileId = run.dto.profileId;
      const baseline = run.dto.baselineRunId !== run.dto.runId ? runs.get(run.dto.baselineRunId) : undefined;
      const journals = [...applies.values()]
        .filter((a) => a.profileId === profileId && a.baselineRunId === run.dto.baselineRunId)
        .map((a) => a.journalFile);
      return saveSessionReport(
        {
          profileId,
          orgSlug: run.dto.orgSlug,
          format: request.format,
          session: {
            profileId,
            before: baseline ? baseline.audit : null,
            after: run.audit,
            journals,
            registers: deps.registers(profileId),
            settings: mergeAuditSettings(deps.auditSettings()),
            settingsOverrides: deps.auditSettings(),
            forbidden: await forbiddenFor(profileId),
          },
        },
        { destination: deps.reportDestination, writePackage: deps.writePackage },
        ctx,
      );
    },

    forgetProfile(profileId) {
      for (const [id, r] of runs) if (r.dto.profileId === profileId) runs.delete(id);
      for (const [id, p] of plans) if (p.profileId === profileId) plans.delete(id);
      for (const [id, a] of applies) if (a.profileId === profileId) applies.delete(id);
    },
  };

  /** The inverse steps of an apply, minus those already undone, each with the id of the step it undoes. */
  function undoSteps(rec: ApplyRecord): {
    undo: ReturnType<typeof planUndo>;
    steps: { change: Change; undoes: string }[];
    skipped: { stepId: string; description: string; reason: string }[];
  } {
    let undo;
    try {
      undo = planUndo(readJournal(rec.journalFile));
    } catch (e) {
      throw mapEngineError(e);
    }
    const skipped = undo.skipped.map((s) => ({ stepId: s.changeId, description: s.description, reason: s.reason }));
    const steps: { change: Change; undoes: string }[] = [];
    const dropped = new Set<string>();
    for (const change of undo.changes) {
      const undoes = change.undoes;
      if (undoes === undefined) throw appError('internal', `Undo step ${change.id} does not name the step it undoes`);
      if (rec.undone.has(undoes)) {
        dropped.add(change.id);
        skipped.push({ stepId: undoes, description: change.description, reason: 'Already undone in this session.' });
        continue;
      }
      steps.push({ change, undoes });
    }
    // An inverse that already ran no longer has to run first.
    for (const s of steps) s.change = { ...s.change, dependsOn: s.change.dependsOn.filter((d) => !dropped.has(d)) };
    return { undo, steps, skipped };
  }
}
