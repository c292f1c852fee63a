import type { SliceCreator } from '../../store/slice';
import type { WizardProgress } from '../../../shared/settings';
import type { AppInfo, DemoStatus, OrgSummary, PortfolioEntry, Profile, ScopeCheck, TokenInfo } from '../../store/dto';
import type { Status } from '../../store/status';
import { IDLE, call, done, failed, running, settle } from '../../store/status';
import { UNCHOSEN_ORG_SLUG } from '../../../shared/profile';
import type { HostKind } from './hosts';
import { HOST_PRESETS, baseUrlFor, checkTypedUrl } from './hosts';

/**
 * Step 1: where Sentry is, the token, the organization. The token passes through `submitToken`
 * as an argument and goes straight to main (`connection:check` for a new connection,
 * `auth:setToken` for a saved one); it is never written to state. A new connection is saved only
 * when its organization is chosen (`connection:save`): a refused token, an unreachable server or
 * a keychain that does not answer leave nothing behind.
 */

export { UNCHOSEN_ORG_SLUG };

/** What the list of saved organizations is doing, and to which one. */
export interface ListAction {
  readonly profileId: string;
  readonly action: 'rename' | 'forget';
}

export interface ConnectSlice {
  readonly host: HostKind;
  readonly customUrl: string;
  readonly app: Status<AppInfo>;
  readonly demo: Status<DemoStatus>;
  /** True when the connection is the built-in demo organization. */
  readonly usingDemo: boolean;
  /** The connection profile being set up (never holds a token). */
  readonly profile: Profile | null;
  /** What Sentry said about the token just entered (or the demo's). */
  readonly token: Status<TokenInfo>;
  readonly scopeCheck: Status<ScopeCheck>;
  readonly orgs: Status<readonly OrgSummary[]>;
  /** Saving the chosen organization into the profile. */
  readonly org: Status<Profile>;
  readonly forget: Status<boolean>;
  /** Where this connection's last session stopped (`wizard:load`), once it is known. */
  readonly resume: Status<WizardProgress | null>;
  readonly demoReset: Status<boolean>;
  /** Every saved organization with its posture (the portfolio), for switching between them. */
  readonly portfolio: Status<readonly PortfolioEntry[]>;
  /** The handle main keeps a checked token under until its organization is chosen (not a secret). */
  readonly pendingId: string | null;
  /** Renaming or forgetting a saved organization (by profile id). */
  readonly listAction: Status<ListAction, ListAction>;

  init(): Promise<void>;
  loadPortfolio(): Promise<void>;
  /** Opens a saved organization: its token from the keychain (checked with Sentry), registers and progress. */
  openProfile(profileId: string): Promise<void>;
  chooseHost(host: HostKind): void;
  setCustomUrl(url: string): void;
  /** Sends the token once, to be checked and kept by main; resolves true when Sentry accepted it. */
  submitToken(token: string): Promise<boolean>;
  chooseOrg(slug: string): Promise<void>;
  useDemo(): Promise<void>;
  /** Deletes the token of this connection from the keychain and starts over. */
  forgetToken(): Promise<void>;
  /** Demo only: puts the demo organization back as it was at launch. */
  resetDemo(): Promise<boolean>;
  /** A new display name for a saved organization. */
  renameProfile(profileId: string, label: string): Promise<boolean>;
  /** Forgets a saved organization: its profile, registers, progress and keychain entry. */
  forgetProfile(profileId: string): Promise<boolean>;
}

const RESET = {
  profile: null,
  token: IDLE,
  scopeCheck: IDLE,
  orgs: IDLE,
  org: IDLE,
  forget: IDLE,
  resume: IDLE,
  usingDemo: false,
  pendingId: null,
} as const;

export const createConnectSlice: SliceCreator<'connect'> = ({ set, get, bridge }) => {
  const self = () => get().connect;

  /** Scope check and organizations of the current profile's token. */
  async function loadTokenFacts(profileId: string): Promise<void> {
    set({ scopeCheck: running(null), orgs: running(null) });
    const [scopes, orgs] = await Promise.all([
      call(() => bridge.invoke['auth:scopeCheck']({ profileId })),
      call(() => bridge.invoke['org:list']({ profileId })),
    ]);
    if (self().profile?.id !== profileId) return;
    set({ scopeCheck: settle(scopes), orgs: orgs.ok ? done(orgs.value.orgs) : failed(orgs.error) });
  }

  /** What the connection's last session left: offered as "resume" on the Connect step. */
  async function loadProgress(profileId: string): Promise<void> {
    set({ resume: running(null) });
    const result = await call(() => bridge.invoke['wizard:load']({ profileId }));
    if (self().profile?.id !== profileId) return;
    set({ resume: result.ok ? done(result.value.progress) : failed(result.error) });
  }

  return {
    host: 'sentry',
    customUrl: '',
    app: IDLE,
    demo: IDLE,
    demoReset: IDLE,
    portfolio: IDLE,
    listAction: IDLE,
    ...RESET,

    async init() {
      set({ app: running(null), demo: running(null) });
      const [app, demo] = await Promise.all([
        call(() => bridge.invoke['app:info']({})),
        call(() => bridge.invoke['demo:status']({})),
        self().loadPortfolio(),
      ]);
      set({ app: settle(app), demo: settle(demo) });
    },

    async loadPortfolio() {
      set({ portfolio: running(null) });
      const result = await call(() => bridge.invoke['portfolio:list']({}));
      set({ portfolio: result.ok ? done(result.value.entries) : failed(result.error) });
    },

    async openProfile(profileId) {
      const demo = self().demo;
      if (demo.status === 'done' && demo.value.active && demo.value.profileId === profileId) {
        await self().useDemo();
        return;
      }
      set({ ...RESET, token: running(null) });
      const listed = await call(() => bridge.invoke['profile:list']({}));
      const profile = listed.ok ? listed.value.profiles.find((p) => p.id === profileId) : undefined;
      if (!profile) {
        set({ token: failed(listed.ok ? { code: 'not_found', message: 'This saved organization no longer exists; reload the list.', retryable: false } : listed.error) });
        return;
      }
      const host = HOST_PRESETS.find((h) => h.kind !== 'self-hosted' && baseUrlFor(h.kind as HostKind, '') === profile.baseUrl)?.kind ?? 'self-hosted';
      set({ profile, host: host as HostKind, customUrl: host === 'self-hosted' ? profile.baseUrl : '' });
      const status = await call(() => bridge.invoke['auth:status']({ profileId, verify: true }));
      if (self().profile?.id !== profileId) return;
      if (!status.ok) {
        set({ token: failed(status.error) });
        return;
      }
      if (!status.value.hasToken || !status.value.info) {
        set({ token: failed({ code: 'unauthorized', message: 'No token is saved for this organization: enter one below.', retryable: false }) });
        return;
      }
      set({ token: done(status.value.info), ...(profile.orgSlug !== UNCHOSEN_ORG_SLUG ? { org: done(profile) } : {}) });
      await Promise.all([get().registers.load(), loadProgress(profileId), loadTokenFacts(profileId)]);
    },

    chooseHost(host) {
      if (host === self().host && !self().usingDemo) return;
      set({ host, ...RESET });
    },

    setCustomUrl(customUrl) {
      // Another server: whatever was checked belongs to the previous URL.
      set({ customUrl, ...(self().profile ? RESET : {}) });
    },

    async submitToken(token) {
      const { host, customUrl, profile: current, usingDemo } = self();
      // A saved organization whose token is missing or refused: a new token for that profile.
      if (current && !usingDemo && current.orgSlug !== UNCHOSEN_ORG_SLUG) {
        set({ token: running(null), forget: IDLE });
        const info = await call(() => bridge.invoke['auth:setToken']({ profileId: current.id, token }));
        if (self().profile?.id !== current.id) return false;
        set({ token: settle(info) });
        if (!info.ok) return false;
        set({ org: done(current) });
        await Promise.all([get().registers.load(), loadProgress(current.id), loadTokenFacts(current.id), self().loadPortfolio()]);
        return true;
      }
      const url = checkTypedUrl(host, customUrl);
      if (!url.ok) {
        set({ token: failed(url.error) });
        return false;
      }
      set({ ...RESET, token: running(null) });
      const checked = await call(() => bridge.invoke['connection:check']({ baseUrl: url.value, token }));
      if (!checked.ok) {
        set({ token: failed(checked.error) });
        return false;
      }
      const { pendingId, info, orgs, scopeCheck } = checked.value;
      set({ pendingId, token: done(info), scopeCheck: done(scopeCheck), orgs: done(orgs) });
      return true;
    },

    async chooseOrg(slug) {
      const { profile, orgs, pendingId } = self();
      const org = orgs.status === 'done' ? orgs.value.find((o) => o.slug === slug) : undefined;
      if (!org) return;
      set({ org: running(null) });
      // A new connection (saved now, with its token, or not at all), or another organization the
      // token of a saved one sees: a connection of its own, never a change of the saved one.
      if (pendingId || (profile && !self().usingDemo)) {
        const source = pendingId ? { pendingId } : { fromProfileId: (profile as Profile).id };
        const created = await call(() => bridge.invoke['connection:save']({ ...source, orgSlug: org.slug, level: get().level.level }));
        if (self().pendingId !== pendingId || self().profile?.id !== profile?.id) return;
        if (!created.ok) {
          set({ org: failed(created.error) });
          return;
        }
        const saved = created.value.profile;
        set({ profile: saved, org: done(saved), pendingId: null });
        await Promise.all([get().registers.load(), loadProgress(saved.id), self().loadPortfolio()]);
        return;
      }
      if (!profile) return;
      const saved = await call(() =>
        bridge.invoke['profile:save']({
          profile: {
            id: profile.id,
            label: profile.label,
            baseUrl: profile.baseUrl,
            orgSlug: org.slug,
            level: get().level.level,
            ...(profile.caFile ? { caFile: profile.caFile } : {}),
          },
        }),
      );
      if (!saved.ok) {
        set({ org: failed(saved.error) });
        return;
      }
      set({ profile: saved.value.profile, org: done(saved.value.profile) });
      await Promise.all([get().registers.load(), loadProgress(saved.value.profile.id), self().loadPortfolio()]);
    },

    async useDemo() {
      const demo = self().demo;
      if (demo.status !== 'done' || !demo.value.active || !demo.value.profileId) return;
      const profileId = demo.value.profileId;
      set({ ...RESET, usingDemo: true, token: running(null) });
      const profiles = await call(() => bridge.invoke['profile:list']({}));
      const profile = profiles.ok ? profiles.value.profiles.find((p) => p.id === profileId) : undefined;
      if (!profile) {
        set({
          token: failed(profiles.ok ? { code: 'not_found', message: 'The demo connection is missing: restart `sentry-harden ui --demo`.', retryable: false } : profiles.error),
        });
        return;
      }
      set({ profile });
      const status = await call(() => bridge.invoke['auth:status']({ profileId, verify: true }));
      if (!status.ok) {
        set({ token: failed(status.error) });
        return;
      }
      if (!status.value.info) {
        set({ token: failed({ code: 'unauthorized', message: 'The demo connection has no token.', retryable: false }) });
        return;
      }
      set({ token: done(status.value.info), org: done(profile) });
      await Promise.all([get().registers.load(), loadProgress(profileId), loadTokenFacts(profileId)]);
    },

    async forgetToken() {
      const profile = self().profile;
      if (!profile) return;
      set({ forget: running(null) });
      const result = await call(() => bridge.invoke['auth:forget']({ profileId: profile.id }));
      if (!result.ok) {
        set({ forget: failed(result.error) });
        return;
      }
      set({ ...RESET, forget: done(result.value.deleted) });
    },

    async renameProfile(profileId, label) {
      set({ listAction: running({ profileId, action: 'rename' }) });
      const result = await call(() => bridge.invoke['profile:rename']({ profileId, label }));
      if (!result.ok) {
        set({ listAction: failed(result.error) });
        return false;
      }
      set({ listAction: done({ profileId, action: 'rename' }) });
      if (self().profile?.id === profileId) {
        set({ profile: result.value.profile, ...(self().org.status === 'done' ? { org: done(result.value.profile) } : {}) });
      }
      await self().loadPortfolio();
      return true;
    },

    async forgetProfile(profileId) {
      set({ listAction: running({ profileId, action: 'forget' }) });
      const result = await call(() => bridge.invoke['profile:delete']({ profileId }));
      if (!result.ok) {
        set({ listAction: failed(result.error) });
        return false;
      }
      set({ listAction: done({ profileId, action: 'forget' }) });
      if (self().profile?.id === profileId) set({ ...RESET });
      await self().loadPortfolio();
      return true;
    },

    async resetDemo() {
      set({ demoReset: running(null) });
      const result = await call(() => bridge.invoke['demo:reset']({}));
      set({ demoReset: result.ok ? done(result.value.reset) : failed(result.error) });
      return result.ok && result.value.reset;
    },
  };
};

