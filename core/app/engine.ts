import { setMaxListeners } from 'node:events';
import type { ErrorInfo } from '../../shared/errors';
import { EVIDENCE_BODY_LIMIT } from '../../shared/ipc/contract';
import type { Plan } from '../../shared/plan';
import type { AuditSettingsOverrides, Registers } from '../../shared/settings';
import { CONTROLS } from '../controls/index';
import type { ControlDefinition, TokenInfo } from '../controls/types';
import { mergeAuditSettings } from '../evidence/session-package';
import { exportTerraform, TerraformExportError } from '../exports/terraform/export';
import { auditOrganization } from '../engine/audit-session';
import { newRunId } from '../engine/journal';
import { classifyToken, tokenPrefix, toTokenInfo } from '../engine/token-kind';
import { FIXES } from '../fixes/index';
import type { FixDefinition } from '../fixes/types';
import { SentryClient } from '../sentry/client';
import { listOrganizations } from '../sentry/connect';
import { ApiIndexSchema } from '../sentry/schemas';
import { createChangeGateway } from './engine-changes';
import { fullCounts, type AuditRunDto, type RecheckDto } from './engine-dto';
import { createPlanGateway } from './engine-plans';
import { appError, mapEngineError } from './engine-errors';
import { checkSummaries, createFindingReader } from './finding-pages';
import { AppError } from './errors';
import type { AuditRequest, EngineGateway, ProfileSession, SentryTarget } from './handlers';
import type { PackageWriter, ReportDestination } from './report-output';
import { openSavedReport, printSavedReport, saveSessionReport } from './report-save';
import type { HandlerContext } from './router';
import { createRunRegistry } from './run-registry';
import { createSessionKeeper } from './engine-session';
import { createSessionStore } from './session-store';
import { catalogDto } from './engine-catalog';

export { coarseStatus, needsSlug, noteDto, toFixStep } from './engine-dto';
export { mergeAuditSettings } from '../evidence/session-package';

/**
 * The real EngineGateway: the audit, fix and undo engine of core/engine behind the contract.
 * Runs, plans and applies live in memory (by id); journals, and with `sessionDir` each profile's
 * session (its audits, change log, level and step: core/app/session-store.ts), reach the disk,
 * so a restart finds them again. None holds a token: every Sentry call reads it through the
 * session's `getToken` at send time.
 */

export interface EngineDeps {
  /** Where apply and undo journals go (the app's data folder). */
  readonly journalDir: string;
  /** Where each profile's session is kept (the app's data folder); absent: memory only. */
  readonly sessionDir?: string;
  /** The registers of a profile (integration register for INT.4/INT.5, exceptions, attestations). */
  readonly registers: (profileId: string) => Registers;
  /** The person's threshold overrides (settings). */
  readonly auditSettings: () => AuditSettingsOverrides;
  readonly reportDestination: ReportDestination;
  /** The evidence package writer; null in builds without it. */
  readonly writePackage: PackageWriter;
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


/** An audit under way (core/app/engine.ts `running`). */
interface LiveAudit {
  readonly controller: AbortController;
  readonly runId: string;
  readonly profileId: string;
  readonly level: AuditRunDto['level'];
  readonly baselineRunId: string;
  readonly startedAt: string;
  completed: number;
  total: number;
  /** Settles with the run's answer (or its error) when it ends. */
  readonly done: Promise<AuditRunDto>;
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
  const registry = createRunRegistry(maxRuns);
  const { runs, requireRun, evict } = registry;
  const keeper = createSessionKeeper(deps.sessionDir ? createSessionStore(deps.sessionDir) : null, registry);
  registry.setFallback({ run: (id, profileId) => keeper.findRun(id, profileId), apply: (id, profileId) => keeper.findApply(id, profileId) });
  // Audits under way, by run id: a reloaded window finds them (session:get) and waits for them (audit:get).
  const running = new Map<string, LiveAudit>();

  const fixTitle = (id: string): string => fixesAll.find((f) => f.id === id)?.title ?? id;

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
    let settle: { resolve: (dto: AuditRunDto) => void; reject: (e: unknown) => void } = { resolve: () => undefined, reject: () => undefined };
    const done = new Promise<AuditRunDto>((resolve, reject) => {
      settle = { resolve, reject };
    });
    // Nobody may be waiting: a failure is the caller's to report, not an unhandled rejection.
    done.catch(() => undefined);
    const live: LiveAudit = { controller, runId, profileId: profile.id, level: request.level, baselineRunId, startedAt: new Date().toISOString(), completed: 0, total: 0, done };
    running.set(runId, live);
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
          live.completed = completed;
          live.total = event.total;
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
        counts: fullCounts(report.summary.counts),
        controls: report.controls.map((c) => ({
          id: c.id,
          title: c.title,
          section: c.section,
          level: c.level,
          counts: fullCounts(c.counts),
        })),
        checks: checkSummaries(report.findings),
        baselineRunId,
        requests: report.summary.requests,
        rateLimited: report.summary.rateLimited,
      };
      const record = { dto, audit: outcome, controls: request.controls && request.controls.length > 0 ? [...request.controls] : null };
      runs.set(runId, record);
      evict();
      keeper.recordAudit(record, [session.getToken()]);
      settle.resolve(dto);
      return dto;
    } catch (e) {
      const error = controller.signal.aborted ? appError('cancelled', 'The audit was cancelled; nothing was changed') : mapEngineError(e);
      settle.reject(error);
      throw error;
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
  ): Promise<RecheckDto> {
    try {
      const known = (() => {
        try {
          return keeper.findRun(baselineRunId, session.profile.id) !== null;
        } catch {
          return false;
        }
      })();
      const dto = await audit(session, { level, controls: controls ?? undefined, baselineRunId: known ? baselineRunId : undefined }, ctx);
      return { recheck: dto, recheckError: null };
    } catch (e) {
      const err = e as { code?: unknown; message?: unknown };
      const code = typeof err.code === 'string' ? (err.code as ErrorInfo['code']) : 'internal';
      return { recheck: null, recheckError: { code, message: typeof err.message === 'string' ? err.message : 'The re-check failed', retryable: true } };
    }
  }


  async function forbiddenFor(profileId: string): Promise<string[]> {
    const token = deps.secretOf ? await deps.secretOf(profileId).catch(() => null) : null;
    return token ? [token] : [];
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
      // A run under way is answered when it ends (a reloaded window waits for the audit it started).
      const live = running.get(runId);
      if (live && !runs.has(runId)) return live.done;
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
      const controller = running.get(runId)?.controller;
      if (!controller) return false;
      controller.abort();
      return true;
    },

    catalog: async () => catalogDto(controlsAll, fixesAll),

    async saveReport(request, ctx) {
      const run = requireRun(request.runId);
      const profileId = run.dto.profileId;
      const baseline = keeper.beforeOf(run);
      const journals = keeper.journalsOf(profileId, run.dto.baselineRunId);
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

    printReport: (reportId, ctx) => printSavedReport(reportId, deps.reportDestination, ctx),
    openReport: (reportId) => openSavedReport(reportId, deps.reportDestination),

    async exportTerraform(session, ctx) {
      const { profile } = session;
      const target = await deps.reportDestination.choose({ format: 'terraform', suggestedName: `terraform-${profile.orgSlug}` }, ctx);
      if (target === null) return { saved: false, path: null, resources: 0, files: [], gaps: [] };
      try {
        const result = await exportTerraform(target, {
          baseUrl: profile.baseUrl,
          orgSlug: profile.orgSlug,
          ...(profile.caFile ? { caFile: profile.caFile } : {}),
          getToken: session.getToken,
          tokenPrefix: tokenPrefix(session.getToken()),
          timeoutMs,
        });
        return { saved: true, path: result.dir, resources: Object.values(result.counts).reduce((a, b) => a + b, 0), files: [...result.files], gaps: [...result.gaps] };
      } catch (e) {
        if (e instanceof TerraformExportError) throw new AppError('invalid_input', e.message, { cause: e });
        throw mapEngineError(e);
      }
    },

    async getSession(profileId) {
      // The newest audit of the profile still running, so a reloaded window shows its progress.
      const live = [...running.values()].filter((r) => r.profileId === profileId).at(-1);
      const under = live
        ? { runId: live.runId, level: live.level, baselineRunId: live.baselineRunId, startedAt: live.startedAt, completed: live.completed, total: live.total }
        : null;
      // Plans still kept, newest first: a reloaded window shows the plan it had (fix:getPlan).
      const kept = [...registry.plans.values()].filter((p) => p.profileId === profileId).sort((a, b) => b.at - a.at).slice(0, 10);
      const plans = kept.map((p) => ({ planId: p.planId, runId: p.runId, controls: p.asked.controls ? [...p.asked.controls] : null, params: { ...p.asked.params } }));
      return { ...keeper.session(profileId), running: under, plans };
    },

    ...createFindingReader(registry, (profileId) => deps.registers(profileId)),

    saveProgress: (profileId, progress) => keeper.saveProgress(profileId, progress),

    forgetProfile: (profileId) => {
      registry.forgetProfile(profileId);
      keeper.forget(profileId);
    },

    ...createPlanGateway({ registry, timeoutMs, auditSettings: deps.auditSettings, controls: controlsAll, fixes: fixesAll, fixTitle, selectControls }),

    ...createChangeGateway({
      journalDir: deps.journalDir,
      timeoutMs,
      registry,
      fixTitle,
      recheck,
      record: (change, undone, token) => keeper.recordChange(change, undone, [token]),
    }),
  };
}
