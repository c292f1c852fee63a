import { randomUUID } from 'node:crypto';
import type { Keychain } from '../core/secrets/index';
import type { AppStore } from '../core/store/index';
import type { TokenInfo } from '../core/controls/types';
import type { ParsedRequestOf, HandlerResponseOf, TokenInfoDto } from '../shared/ipc/contract';
import type { Profile } from '../shared/profile';
import { AppError } from './errors';
import type { HandlerContext, Handlers } from './router';
import { parseUrl } from './url-policy';

/**
 * The handler table: one thin function per contract channel. Profiles, settings and registers
 * come from the store; tokens from the keychain, and only the keychain. Whatever talks to Sentry
 * sits behind `EngineGateway`, which receives a `getToken` closure, never a token field.
 */

/** A profile and the way to its token, handed to whatever calls Sentry. */
export interface ProfileSession {
  readonly profile: Profile;
  getToken(): string;
}

export type OrgSummaryDto = HandlerResponseOf<'org:list'>['orgs'][number];

/** Sentry-facing work, provided by the engine (core) when it is wired in. */
export interface EngineGateway {
  /** GET /api/0/ with the token: what kind of token it is, its scopes and user. */
  verifyToken(profile: Profile, token: string): Promise<TokenInfo>;
  listOrganizations(session: ProfileSession): Promise<OrgSummaryDto[]>;
  runAudit(
    session: ProfileSession,
    request: { readonly level: Profile['level'] },
    ctx: HandlerContext,
  ): Promise<HandlerResponseOf<'audit:run'>>;
  cancelAudit(runId: string): Promise<boolean>;
  planFixes(session: ProfileSession, request: ParsedRequestOf<'fix:plan'>): Promise<HandlerResponseOf<'fix:plan'>>;
  applyFixes(
    session: ProfileSession,
    request: ParsedRequestOf<'fix:apply'>,
    ctx: HandlerContext,
  ): Promise<HandlerResponseOf<'fix:apply'>>;
  saveReport(request: ParsedRequestOf<'report:save'>, ctx: HandlerContext): Promise<HandlerResponseOf<'report:save'>>;
}

export interface AppInfo {
  readonly version: string;
  readonly platform: string;
  readonly packaged: boolean;
}

export interface HandlerDeps {
  readonly store: AppStore;
  readonly keychain: Keychain;
  readonly engine: EngineGateway;
  readonly app: AppInfo;
  /** Opens a link in the OS browser if the allow-list permits; false when refused. */
  readonly openExternal: (url: string) => Promise<boolean>;
  readonly now?: () => Date;
  readonly newId?: () => string;
}

// The DTO and the engine's TokenInfo must describe the same thing (the engine's is readonly).
type Assert<T extends true> = T;
type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? U[] : T[K] };
export type _TokenInfoMatches = Assert<
  TokenInfoDto extends TokenInfo ? (Mutable<TokenInfo> extends TokenInfoDto ? true : false) : false
>;

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

/** Until core's engine is wired in: every Sentry-facing call fails with a clear message. */
export function createUnwiredEngine(): EngineGateway {
  return {
    verifyToken: async () => notWired('Checking a token with Sentry'),
    listOrganizations: async () => notWired('Listing organizations'),
    runAudit: async () => notWired('Running an audit'),
    cancelAudit: async () => notWired('Cancelling an audit'),
    planFixes: async () => notWired('Planning fixes'),
    applyFixes: async () => notWired('Applying fixes'),
    saveReport: async () => notWired('Saving a report'),
  };
}

function originOf(baseUrl: string): string {
  const url = parseUrl(baseUrl);
  return url ? `${url.protocol}//${url.host}` : baseUrl;
}

export function createHandlers(deps: HandlerDeps): Handlers {
  const { store, keychain, engine } = deps;
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

  return {
    'app:info': async () => {
      const probe = await keychain.probe();
      return {
        ...deps.app,
        keychain: probe.available
          ? { available: true, backend: probe.backend, message: null }
          : { available: false, backend: probe.backend, message: probe.error.message },
      };
    },

    'app:openExternal': async ({ url }) => ({ opened: await deps.openExternal(url) }),

    'auth:setToken': async ({ profileId, token }) => {
      const profile = requireProfile(profileId);
      // Checked with Sentry first: a token that does not work is not kept.
      const info = toTokenInfoDto(await engine.verifyToken(profile, token));
      await keychain.setSecret(profile.id, token);
      tokenInfo.set(profile.id, info);
      return info;
    },

    'auth:status': async ({ profileId, verify }) => {
      const profile = requireProfile(profileId);
      const token = await keychain.getSecret(profile.id);
      if (token === null) {
        tokenInfo.delete(profile.id);
        return { hasToken: false, info: null };
      }
      if (verify) {
        const info = toTokenInfoDto(await engine.verifyToken(profile, token));
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

    'profile:save': async ({ profile: draft }) => {
      const existing = draft.id === undefined ? null : store.getProfile(draft.id);
      if (draft.id !== undefined && !existing) {
        throw new AppError('not_found', `No profile "${draft.id}" to update`);
      }
      const profile: Profile = {
        ...draft,
        id: existing?.id ?? newId(),
        createdAt: existing?.createdAt ?? now().toISOString(),
      };
      // A token belongs to the host it was saved for: moving the profile forgets it first.
      let tokenForgotten = false;
      if (existing && originOf(existing.baseUrl) !== originOf(profile.baseUrl)) {
        tokenForgotten = await keychain.deleteSecret(existing.id);
        tokenInfo.delete(existing.id);
      }
      return { profile: store.saveProfile(profile), tokenForgotten };
    },

    'profile:delete': async ({ profileId }) => {
      // The token goes first: if the keychain refuses, the profile stays so the person can retry.
      const tokenDeleted = await keychain.deleteSecret(profileId);
      tokenInfo.delete(profileId);
      return { deleted: store.deleteProfile(profileId), tokenDeleted };
    },

    'org:list': async ({ profileId }) => ({ orgs: await engine.listOrganizations(await sessionFor(profileId)) }),

    'wizard:load': async ({ profileId }) => {
      requireProfile(profileId);
      return { progress: store.getWizardProgress(profileId) };
    },

    'wizard:save': async ({ profileId, progress }) => ({ progress: store.saveWizardProgress(profileId, progress) }),

    'settings:get': async () => ({ settings: store.getSettings() }),

    'settings:save': async ({ settings }) => ({ settings: store.saveSettings(settings) }),

    'register:get': async ({ profileId }) => {
      requireProfile(profileId);
      return { registers: store.getRegisters(profileId) };
    },

    'register:save': async ({ profileId, registers }) => ({ registers: store.saveRegisters(profileId, registers) }),

    'audit:run': async ({ profileId, level }, ctx) => {
      const session = await sessionFor(profileId);
      return engine.runAudit(session, { level: level ?? session.profile.level }, ctx);
    },

    'audit:cancel': async ({ runId }) => ({ cancelled: await engine.cancelAudit(runId) }),

    'fix:plan': async (request) => engine.planFixes(await sessionFor(request.profileId), request),

    'fix:apply': async (request, ctx) => engine.applyFixes(await sessionFor(request.profileId), request, ctx),

    'report:save': async (request, ctx) => engine.saveReport(request, ctx),
  };
}
