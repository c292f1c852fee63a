import { randomBytes } from 'node:crypto';
import { checkBaseUrl } from '../../shared/base-url';
import type { HandlerResponseOf, ParsedRequestOf, TokenInfoDto } from '../../shared/ipc/contract';
import type { Profile } from '../../shared/profile';
import type { Keychain } from '../secrets/index';
import type { AppStore } from '../store/index';
import { AppError } from './errors';
import type { EngineGateway, OrgSummaryDto } from './handlers';
import { toTokenInfoDto } from './handlers';
import { checkScopes } from './scope-check';

/**
 * A new connection in two calls, and nothing saved until both succeed: `check` verifies the URL
 * and the token with Sentry and lists the organizations (the token waits in this process's memory,
 * never in the window, for a few minutes); `save` takes one of those organizations and only then
 * writes the keychain entry and the profile, both or neither. A refused token, an unreachable
 * host, an organization the token does not see, a keychain that does not answer: no profile and
 * no keychain entry are left behind.
 */

/** How long a checked token waits for its organization to be chosen. */
export const PENDING_TTL_MS = 15 * 60_000;
/** Checked tokens kept at once; the oldest goes first (one person, one window or two). */
const MAX_PENDING = 8;

interface Pending {
  readonly baseUrl: string;
  readonly caFile: string | undefined;
  readonly token: string;
  readonly info: TokenInfoDto;
  readonly orgs: readonly OrgSummaryDto[];
  readonly expiresAt: number;
}

export interface ConnectionDeps {
  readonly store: AppStore;
  readonly keychain: Keychain;
  readonly engine: EngineGateway;
  readonly now: () => Date;
  readonly newId: () => string;
  /** The demo's profile is never reused for a connection typed in (its token lives in memory). */
  readonly isDemoProfile: (profileId: string) => boolean;
  /** Told the token kind Sentry reported for a profile once its token is saved. */
  readonly remember: (profileId: string, info: TokenInfoDto) => void;
}

/** The base URL as saved, or an AppError with the policy's message (`invalid_url`, `insecure_url`). */
export function normaliseBaseUrl(raw: string): string {
  const checked = checkBaseUrl(raw);
  if (!checked.ok) throw new AppError(checked.error.code, checked.error.message);
  return checked.value.url;
}

function hostOf(baseUrl: string): string {
  return new URL(baseUrl).host;
}

export function createConnections(deps: ConnectionDeps) {
  const { store, keychain, engine } = deps;
  const pending = new Map<string, Pending>();

  /** A saved profile's token, checked again with Sentry, as if it had just been typed. */
  async function fromProfile(profileId: string): Promise<Pending | null> {
    const source = store.getProfile(profileId);
    if (!source || deps.isDemoProfile(profileId)) return null;
    const token = await keychain.getSecret(profileId);
    if (token === null) throw new AppError('unauthorized', `No token is saved for "${source.label}": enter one first.`);
    const target = { baseUrl: source.baseUrl, caFile: source.caFile };
    const info = toTokenInfoDto(await engine.verifyToken(target, token));
    const orgs = await engine.listOrganizations(target, () => token);
    return { baseUrl: source.baseUrl, caFile: source.caFile, token, info, orgs, expiresAt: Number.POSITIVE_INFINITY };
  }

  function sweep(at: number): void {
    for (const [id, p] of pending) if (p.expiresAt <= at) pending.delete(id);
  }

  return {
    async check(request: ParsedRequestOf<'connection:check'>): Promise<HandlerResponseOf<'connection:check'>> {
      const baseUrl = normaliseBaseUrl(request.baseUrl);
      const target = { baseUrl, caFile: request.caFile };
      const token = request.token;
      const info = toTokenInfoDto(await engine.verifyToken(target, token));
      const orgs = await engine.listOrganizations(target, () => token);
      const at = deps.now().getTime();
      sweep(at);
      while (pending.size >= MAX_PENDING) pending.delete(pending.keys().next().value as string);
      const pendingId = randomBytes(18).toString('base64url');
      pending.set(pendingId, { baseUrl, caFile: request.caFile, token, info, orgs, expiresAt: at + PENDING_TTL_MS });
      return { pendingId, baseUrl, info, orgs, scopeCheck: checkScopes(info.scopes, baseUrl) };
    },

    async save(request: ParsedRequestOf<'connection:save'>): Promise<HandlerResponseOf<'connection:save'>> {
      sweep(deps.now().getTime());
      if ((request.pendingId === undefined) === (request.fromProfileId === undefined)) {
        throw new AppError('invalid_input', 'Give either a checked token or a saved organization to connect from, not both.');
      }
      const p = request.pendingId !== undefined ? pending.get(request.pendingId) : await fromProfile(request.fromProfileId as string);
      if (!p) throw new AppError('not_found', 'This token check has expired or was already used: enter the token again.');
      const org = p.orgs.find((o) => o.slug === request.orgSlug);
      if (!org) {
        throw new AppError('not_found', `This token does not see an organization "${request.orgSlug}": choose one of the organizations it lists.`);
      }
      // The same organization on the same server is one connection: its token is replaced.
      const existing = store.listProfiles().find((x) => x.baseUrl === p.baseUrl && x.orgSlug === org.slug && !deps.isDemoProfile(x.id)) ?? null;
      const label = request.label?.trim() || existing?.label || `${org.name} (${hostOf(p.baseUrl)})`;
      const profile: Profile = {
        id: existing?.id ?? deps.newId(),
        label,
        baseUrl: p.baseUrl,
        orgSlug: org.slug,
        level: request.level,
        ...(p.caFile ? { caFile: p.caFile } : existing?.caFile ? { caFile: existing.caFile } : {}),
        tokenKind: p.info.kind,
        createdAt: existing?.createdAt ?? deps.now().toISOString(),
      };
      // The keychain first: if it does not answer, nothing was written.
      const previous = existing ? await keychain.getSecret(existing.id) : null;
      await keychain.setSecret(profile.id, p.token);
      let saved: Profile;
      try {
        saved = store.saveProfile(profile);
      } catch (error) {
        // Back to how it was: the previous token of a reused profile, else no entry at all.
        await (previous !== null ? keychain.setSecret(profile.id, previous) : keychain.deleteSecret(profile.id)).catch(() => undefined);
        throw error;
      }
      if (request.pendingId !== undefined) pending.delete(request.pendingId);
      deps.remember(saved.id, p.info);
      return { profile: saved };
    },

    /** Drops the checked tokens (tests, and a window that starts over). */
    clear(): void {
      pending.clear();
    },
  };
}
