import type { SliceCreator } from '../../store/slice';
import type { WizardProgress } from '../../../shared/settings';
import type { AppInfo, DemoStatus, OrgSummary, PortfolioEntry, Profile, ScopeCheck, TokenInfo } from '../../store/dto';
import type { Status } from '../../store/status';
import { IDLE, call, done, failed, running, settle } from '../../store/status';
import type { HostKind } from './hosts';
import { HOST_PRESETS, baseUrlFor, isPlausibleUrl } from './hosts';

/**
 * Step 1: where Sentry is, the token, the organization. The token passes through `submitToken`
 * as an argument and goes straight to `auth:setToken`; it is never written to state. Before an
 * organization is chosen the profile carries a placeholder slug (a profile needs one, and
 * `org:list` needs the profile's token): choosing the organization replaces it.
 */

/** The slug a connection holds until the person picks its organization. */
export const UNCHOSEN_ORG_SLUG = 'org-not-chosen-yet';

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
      const { host, customUrl } = self();
      const baseUrl = baseUrlFor(host, customUrl);
      if (!isPlausibleUrl(baseUrl)) {
        set({ token: failed({ code: 'invalid_url', message: 'Enter the URL of your Sentry server first.', retryable: false }) });
        return false;
      }
      // Reuse this connection's profile, or one left unfinished for the same server.
      let existing = self().profile;
      set({ ...RESET, token: running(null) });
      if (!existing) {
        const listed = await call(() => bridge.invoke['profile:list']({}));
        existing = listed.ok ? (listed.value.profiles.find((p) => p.baseUrl === baseUrl && p.orgSlug === UNCHOSEN_ORG_SLUG) ?? null) : null;
      }
      const label = HOST_PRESETS.find((h) => h.kind === host)?.label ?? baseUrl;
      const saved = await call(() =>
        bridge.invoke['profile:save']({
          profile: {
            ...(existing ? { id: existing.id } : {}),
            label: `${label}: new connection`,
            baseUrl,
            orgSlug: UNCHOSEN_ORG_SLUG,
            level: get().level.level,
          },
        }),
      );
      if (!saved.ok) {
        set({ token: failed(saved.error) });
        return false;
      }
      const profile = saved.value.profile;
      set({ profile });
      const info = await call(() => bridge.invoke['auth:setToken']({ profileId: profile.id, token }));
      set({ token: settle(info) });
      if (!info.ok) return false;
      await loadTokenFacts(profile.id);
      return true;
    },

    async chooseOrg(slug) {
      const { profile, orgs } = self();
      if (!profile) return;
      const org = orgs.status === 'done' ? orgs.value.find((o) => o.slug === slug) : undefined;
      if (!org) return;
      set({ org: running(null) });
      const saved = await call(() =>
        bridge.invoke['profile:save']({
          profile: {
            id: profile.id,
            label: self().usingDemo ? profile.label : `${org.name} (${new URL(profile.baseUrl).host})`,
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
      await Promise.all([get().registers.load(), loadProgress(saved.value.profile.id)]);
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

    async resetDemo() {
      set({ demoReset: running(null) });
      const result = await call(() => bridge.invoke['demo:reset']({}));
      set({ demoReset: result.ok ? done(result.value.reset) : failed(result.error) });
      return result.ok && result.value.reset;
    },
  };
};

