import { randomUUID } from 'node:crypto';
import type { TokenInfo } from '../controls/types';
import type { Keychain } from '../secrets/index';
import type { AppStore } from '../store/index';
import type { HandlerResponseOf, ParsedRequestOf, TokenInfoDto } from '../../shared/ipc/contract';
import type { Profile } from '../../shared/profile';
import { AppError } from './errors';
import type { HandlerContext, Handlers } from './router';
import { buildPortfolio } from '../portfolio/portfolio';
import { checkScopes } from './scope-check';
import { parseUrl } from './url-policy';
import { createConnections, normaliseBaseUrl } from './connections';
import { UNCHOSEN_ORG_SLUG } from '../../shared/profile';

/**
 * The handler table: one thin function per contract channel, shared by the desktop app (IPC)
 * and web mode (HTTP). Profiles, settings and registers come from the store; tokens from the
 * keychain, and only the keychain. Whatever talks to Sentry sits behind `EngineGateway`, which
 * receives a `getToken` closure, never a token field.
 */

/** A profile and the way to its token, handed to whatever calls Sentry. */
export interface ProfileSession {
  readonly profile: Profile;
  getToken(): string;
}

/** Where a token is checked before any profile holds it. */
export interface SentryTarget {
  readonly baseUrl: string;
  readonly caFile?: string | undefined;
}

export type OrgSummaryDto = HandlerResponseOf<'org:list'>['orgs'][number];

export interface AuditRequest {
  readonly level: Profile['level'];
  readonly controls?: readonly string[] | undefined;
  readonly runId?: string | undefined;
  readonly baselineRunId?: string | undefined;
}

/** Sentry-facing work, provided by the engine (core/app/engine.ts). */
export interface EngineGateway {
  /** GET /api/0/ with the token: what kind of token it is, its scopes and user. */
  verifyToken(target: SentryTarget, token: string): Promise<TokenInfo>;
  listOrganizations(target: SentryTarget, getToken: () => string): Promise<OrgSummaryDto[]>;
  runAudit(session: ProfileSession, request: AuditRequest, ctx: HandlerContext): Promise<HandlerResponseOf<'audit:run'>>;
  getRun(runId: string): Promise<HandlerResponseOf<'audit:get'>>;
  evidence(request: ParsedRequestOf<'audit:evidence'>): Promise<HandlerResponseOf<'audit:evidence'>>;
  /** One page of a run's rows per check (the run's findings stay here). */
  findings(request: ParsedRequestOf<'audit:findings'>): Promise<HandlerResponseOf<'audit:findings'>>;
  /** One page of what changed between a run's session baseline and the run. */
  changes(request: ParsedRequestOf<'audit:changes'>): Promise<HandlerResponseOf<'audit:changes'>>;
  cancelAudit(runId: string): Promise<boolean>;
  planFixes(session: ProfileSession, request: ParsedRequestOf<'fix:plan'>): Promise<HandlerResponseOf<'fix:plan'>>;
  /** A further page of a plan planFixes made (its steps, or a group of its notes). */
  planPage(request: ParsedRequestOf<'fix:planPage'>): Promise<HandlerResponseOf<'fix:planPage'>>;
  /** The first answer of a plan still kept (a reloaded window shows the plan it had). */
  getPlan(request: { readonly profileId: string; readonly planId: string }): Promise<HandlerResponseOf<'fix:plan'>>;
  applyFixes(session: ProfileSession, request: ParsedRequestOf<'fix:apply'>, ctx: HandlerContext): Promise<HandlerResponseOf<'fix:apply'>>;
  /** Stops a running apply or undo (by its progress id) before its next change; false when none runs. */
  cancelApply(planId: string): Promise<boolean>;
  undoPlan(session: ProfileSession, request: ParsedRequestOf<'fix:undoPlan'>): Promise<HandlerResponseOf<'fix:undoPlan'>>;
  undoFixes(session: ProfileSession, request: ParsedRequestOf<'fix:undo'>, ctx: HandlerContext): Promise<HandlerResponseOf<'fix:undo'>>;
  catalog(): Promise<HandlerResponseOf<'catalog:get'>>;
  saveReport(request: ParsedRequestOf<'report:save'>, ctx: HandlerContext): Promise<HandlerResponseOf<'report:save'>>;
  /** Web mode: a package saved in this window, its report.html printed to PDF beside it. */
  printReport(reportId: string, ctx?: HandlerContext): Promise<HandlerResponseOf<'report:printPdf'>>;
  /** Desktop app: a package saved in this window, its report.html opened with the system's viewer. */
  openReport(reportId: string): Promise<HandlerResponseOf<'report:open'>>;
  /** Terraform configuration of the organization as read, into a folder the person chooses. */
  exportTerraform(session: ProfileSession, ctx: HandlerContext): Promise<HandlerResponseOf<'export:terraform'>>;
  /** The profile's saved session (core/app/session-store.ts), for the window to restore. */
  getSession(profileId: string): Promise<HandlerResponseOf<'session:get'>>;
  /** Where the person stands in the session (the step and the steps done). */
  saveProgress(profileId: string, progress: { readonly step: string; readonly completed: readonly string[] }): void;
  /** Drops what the engine keeps for a profile (runs, plans, its saved session) when it is deleted or reset. */
  forgetProfile(profileId: string): void;
}

/** The built-in demo organization, when the app runs with one. */
export interface DemoController {
  status(): HandlerResponseOf<'demo:status'>;
  /** Puts the demo organization back as it was at launch. */
  reset(): Promise<void>;
}

export interface AppInfo {
  readonly version: string;
  readonly platform: string;
  readonly packaged: boolean;
  readonly mode: 'desktop' | 'web';
}

export interface HandlerDeps {
  readonly store: AppStore;
  readonly keychain: Keychain;
  readonly engine: EngineGateway;
  readonly app: AppInfo;
  /** Opens a link in the OS browser if the allow-list permits; false when refused. */
  readonly openExternal: (url: string) => Promise<boolean>;
  /** Absent: no demo (demo:status says so, demo:reset is refused). */
  readonly demo?: DemoController | null;
  readonly now?: () => Date;
  readonly newId?: () => string;
}

/** Copies the engine's TokenInfo into the contract's shape. */
export function toTokenInfoDto(info: TokenInfo): TokenInfoDto {
  return {
    kind: info.kind,
    scopes: [...info.scopes],
    user: info.user ? { id: info.user.id, email: info.user.email, has2fa: info.user.has2fa } : null,
  };
}

function notWired(what: string): never {
  throw new AppError('internal', `${what} is not available in this build yet`);
}

/** For tests of the non-Sentry channels: every Sentry-facing call fails with a clear message. */
export function createUnwiredEngine(): EngineGateway {
  return {
    verifyToken: async () => notWired('Checking a token with Sentry'),
    listOrganizations: async () => notWired('Listing organizations'),
    runAudit: async () => notWired('Running an audit'),
    getRun: async () => notWired('Reading an audit'),
    evidence: async () => notWired('Reading evidence'),
    findings: async () => notWired('Reading findings'),
    changes: async () => notWired('Reading changes'),
    cancelAudit: async () => notWired('Cancelling an audit'),
    planFixes: async () => notWired('Planning fixes'),
    planPage: async () => notWired('Reading a plan'),
    getPlan: async () => notWired('Reading a plan'),
    applyFixes: async () => notWired('Applying fixes'),
    cancelApply: async () => notWired('Cancelling fixes'),
    undoPlan: async () => notWired('Planning an undo'),
    undoFixes: async () => notWired('Undoing fixes'),
    catalog: async () => notWired('Reading the control catalog'),
    saveReport: async () => notWired('Saving a report'),
    printReport: async () => notWired('Printing a report'),
    openReport: async () => notWired('Opening a report'),
    exportTerraform: async () => notWired('Exporting Terraform'),
    getSession: async () => ({ session: null, problem: null }),
    saveProgress: () => undefined,
    forgetProfile: () => undefined,
  };
}

function originOf(baseUrl: string): string {
  const url = parseUrl(baseUrl);
  return url ? `${url.protocol}//${url.host}` : baseUrl;
}

export function createHandlers(deps: HandlerDeps): Handlers {
  const { store, keychain, engine } = deps;
  const demo = deps.demo ?? null;
  const now = deps.now ?? (() => new Date());
  const newId = deps.newId ?? randomUUID;
  // What Sentry last said about each profile's token; memory only, dropped with the token.
  const tokenInfo = new Map<string, TokenInfoDto>();

  function requireProfile(profileId: string): Profile {
    const profile = store.getProfile(profileId);
    if (!profile) throw new AppError('not_found', `No profile "${profileId}"`);
    return profile;
  }

  async function sessionFor(profileId: string): Promise<ProfileSession> {
    const profile = requireProfile(profileId);
    const token = await keychain.getSecret(profile.id);
    if (token === null) {
      throw new AppError('unauthorized', `No token is saved for profile "${profile.label}": add one first`);
    }
    return Object.freeze({ profile, getToken: () => token });
  }

  const targetOf = (profile: Profile): SentryTarget => ({ baseUrl: profile.baseUrl, caFile: profile.caFile });
  const isDemoProfile = (profileId: string): boolean => demo !== null && demo.status().profileId === profileId;
  const connections = createConnections({ store, keychain, engine, now, newId, isDemoProfile, remember: (id, info) => tokenInfo.set(id, info) });

  return {
    'app:info': async () => {
      const probe = await keychain.probe();
      return {
        ...deps.app,
        keychain: probe.available
          ? { available: true, backend: probe.backend, message: null }
          : { available: false, backend: probe.backend, message: probe.error.message, steps: [...(probe.steps ?? [])] },
      };
    },

    'app:openExternal': async ({ url }) => ({ opened: await deps.openExternal(url) }),

    'auth:setToken': async ({ profileId, token }) => {
      const profile = requireProfile(profileId);
      // Checked with Sentry first: a token that does not work, or does not see this
      // organization, is not kept.
      const info = toTokenInfoDto(await engine.verifyToken(targetOf(profile), token));
      if (profile.orgSlug !== UNCHOSEN_ORG_SLUG && !isDemoProfile(profile.id)) {
        const orgs = await engine.listOrganizations(targetOf(profile), () => token);
        if (!orgs.some((o) => o.slug === profile.orgSlug)) {
          throw new AppError('not_found', `This token does not see the organization "${profile.orgSlug}": enter a token of a member of it.`);
        }
      }
      await keychain.setSecret(profile.id, token);
      tokenInfo.set(profile.id, info);
      if (profile.tokenKind !== info.kind && !isDemoProfile(profile.id)) store.saveProfile({ ...profile, tokenKind: info.kind });
      return info;
    },

    'auth:verify': async ({ baseUrl: typed, caFile, token }) => {
      const baseUrl = normaliseBaseUrl(typed);
      const target = { baseUrl, caFile };
      const info = toTokenInfoDto(await engine.verifyToken(target, token));
      const orgs = await engine.listOrganizations(target, () => token);
      return { info, orgs, scopeCheck: checkScopes(info.scopes, baseUrl) };
    },

    'auth:scopeCheck': async ({ profileId }) => {
      const profile = requireProfile(profileId);
      let info = tokenInfo.get(profile.id) ?? null;
      if (info === null) {
        const token = await keychain.getSecret(profile.id);
        if (token !== null) {
          info = toTokenInfoDto(await engine.verifyToken(targetOf(profile), token));
          tokenInfo.set(profile.id, info);
        }
      }
      return checkScopes(info ? info.scopes : null, profile.baseUrl);
    },

    'auth:status': async ({ profileId, verify }) => {
      const profile = requireProfile(profileId);
      const token = await keychain.getSecret(profile.id);
      if (token === null) {
        tokenInfo.delete(profile.id);
        return { hasToken: false, info: null };
      }
      if (verify) {
        const info = toTokenInfoDto(await engine.verifyToken(targetOf(profile), token));
        tokenInfo.set(profile.id, info);
        return { hasToken: true, info };
      }
      return { hasToken: true, info: tokenInfo.get(profile.id) ?? null };
    },

    'auth:forget': async ({ profileId }) => {
      const deleted = await keychain.deleteSecret(profileId);
      tokenInfo.delete(profileId);
      return { deleted };
    },

    'profile:list': async () => ({ profiles: store.listProfiles() }),
    'portfolio:list': async () => ({ entries: await buildPortfolio(store, new Date()) }),

    'profile:save': async ({ profile: draft }) => {
      const existing = draft.id === undefined ? null : store.getProfile(draft.id);
      if (draft.id !== undefined && !existing) {
        throw new AppError('not_found', `No profile "${draft.id}" to update`);
      }
      const baseUrl = normaliseBaseUrl(draft.baseUrl);
      const moved = existing !== null && originOf(existing.baseUrl) !== originOf(baseUrl);
      const profile: Profile = {
        ...draft,
        baseUrl,
        id: existing?.id ?? newId(),
        ...(existing?.tokenKind && !moved ? { tokenKind: existing.tokenKind } : {}),
        createdAt: existing?.createdAt ?? now().toISOString(),
      };
      // A token belongs to the host it was saved for: moving the profile forgets it first.
      let tokenForgotten = false;
      if (existing && moved) {
        tokenForgotten = await keychain.deleteSecret(existing.id);
        tokenInfo.delete(existing.id);
      }
      return { profile: store.saveProfile(profile), tokenForgotten };
    },

    'profile:rename': async ({ profileId, label }) => {
      const profile = requireProfile(profileId);
      const name = label.trim();
      if (name === '') throw new AppError('invalid_input', 'Enter a name for this organization.');
      return { profile: store.saveProfile({ ...profile, label: name }) };
    },

    'connection:check': async (request) => connections.check(request),

    'connection:save': async (request) => connections.save(request),

    'profile:delete': async ({ profileId }) => {
      if (isDemoProfile(profileId)) throw new AppError('invalid_input', 'The demo organization cannot be forgotten: reset it instead.');
      // The token goes first: if the keychain refuses, the profile stays so the person can retry.
      const tokenDeleted = await keychain.deleteSecret(profileId);
      tokenInfo.delete(profileId);
      engine.forgetProfile(profileId);
      return { deleted: store.deleteProfile(profileId), tokenDeleted };
    },

    'org:list': async ({ profileId }) => {
      const session = await sessionFor(profileId);
      return { orgs: await engine.listOrganizations(targetOf(session.profile), session.getToken) };
    },

    'wizard:load': async ({ profileId }) => {
      requireProfile(profileId);
      return { progress: store.getWizardProgress(profileId) };
    },

    'wizard:save': async ({ profileId, progress }) => {
      const saved = store.saveWizardProgress(profileId, progress);
      engine.saveProgress(profileId, saved);
      // The profile a reloaded window resumes.
      if (saved.step !== 'connect' && store.getSettings().lastProfileId !== profileId) store.saveSettings({ lastProfileId: profileId });
      return { progress: saved };
    },

    'session:get': async ({ profileId }) => {
      requireProfile(profileId);
      return engine.getSession(profileId);
    },

    'settings:get': async () => ({ settings: store.getSettings() }),

    'settings:save': async ({ settings }) => ({ settings: store.saveSettings(settings) }),

    'register:get': async ({ profileId }) => {
      requireProfile(profileId);
      return { registers: store.getRegisters(profileId) };
    },

    'register:save': async ({ profileId, registers }) => ({ registers: store.saveRegisters(profileId, registers) }),

    'audit:run': async ({ profileId, level, controls, runId, baselineRunId }, ctx) => {
      const session = await sessionFor(profileId);
      return engine.runAudit(session, { level: level ?? session.profile.level, controls, runId, baselineRunId }, ctx);
    },

    'audit:get': async ({ runId }) => engine.getRun(runId),

    'audit:findings': async (request) => engine.findings(request),

    'audit:changes': async (request) => engine.changes(request),

    'audit:evidence': async (request) => engine.evidence(request),

    'audit:cancel': async ({ runId }) => ({ cancelled: await engine.cancelAudit(runId) }),

    'catalog:get': async () => engine.catalog(),

    'fix:plan': async (request) => engine.planFixes(await sessionFor(request.profileId), request),
    'fix:getPlan': async (request) => {
      requireProfile(request.profileId);
      return engine.getPlan(request);
    },
    'fix:planPage': async (request) => {
      requireProfile(request.profileId);
      return engine.planPage(request);
    },

    'fix:apply': async (request, ctx) => engine.applyFixes(await sessionFor(request.profileId), request, ctx),

    'fix:cancel': async ({ planId }) => ({ cancelled: await engine.cancelApply(planId) }),

    'fix:undoPlan': async (request) => engine.undoPlan(await sessionFor(request.profileId), request),

    'fix:undo': async (request, ctx) => engine.undoFixes(await sessionFor(request.profileId), request, ctx),
    'export:terraform': async ({ profileId }, ctx) => engine.exportTerraform(await sessionFor(profileId), ctx),

    'report:save': async (request, ctx) => engine.saveReport(request, ctx),

    'report:printPdf': async ({ reportId }, ctx) => engine.printReport(reportId, ctx),
    'report:open': async ({ reportId }) => engine.openReport(reportId),

    'demo:status': async () =>
      demo?.status() ?? { active: false, profileId: null, orgSlug: null, label: null, baseUrl: null },

    'demo:reset': async () => {
      if (!demo) throw new AppError('invalid_input', 'There is no demo organization in this session (start with `sentry-harden ui --demo`)');
      await demo.reset();
      const id = demo.status().profileId;
      if (id !== null) engine.forgetProfile(id);
      return { reset: true };
    },
  };
}
