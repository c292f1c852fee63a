import { describe } from 'vitest';
import { SERVER_PROFILE_NAMES, SERVER_PROFILES, createDemoState, startSimulator } from '../../simulator/index';
import type { RunningSimulator, ServerProfile, ServerProfileName, SimState } from '../../simulator/index';

/**
 * Runs a describe block once per server profile (simulator/profiles.ts), so a flow proven on
 * sentry.io is proven on self-hosted and on the legacy era too. New profiles join automatically.
 */
export function describeEachProfile(title: string, body: (profile: ServerProfileName) => void): void {
  for (const name of SERVER_PROFILE_NAMES) describe(`${title} [${name}]`, () => body(name));
}

/** The demo organization on one profile, optionally tweaked (state and profile switches). */
export function startProfileSim(
  profile: ServerProfileName | ServerProfile,
  opts: { tweak?: (state: SimState) => void; now?: () => Date } = {},
): Promise<RunningSimulator> {
  const state = createDemoState();
  // Team roles came with getsentry/sentry PR #35391 (2022): a legacy org has none to keep.
  const switches = typeof profile === 'string' ? SERVER_PROFILES[profile] : profile;
  if (switches.memberRoleFields === 'legacy-role') {
    for (const org of state.organizations) for (const m of org.members) m.teams = m.teams.map((t) => ({ ...t, role: null }));
  }
  opts.tweak?.(state);
  return startSimulator({ state, profile, asyncTaskDelayMs: 10, ...(opts.now ? { now: opts.now } : {}) });
}

/** A profile with some switches changed (e.g. an era in between two named ones). */
export function variant(name: ServerProfileName, switches: Partial<Omit<ServerProfile, 'name'>>): ServerProfile {
  return { ...SERVER_PROFILES[name], ...switches };
}

/** The member-based checks: each must be evaluated (no `error`) on every profile. */
export const MEMBER_CHECKS = [
  '1.2.member-2fa',
  '1.2.pending-invites',
  '2.1.members-without-team',
  '2.3.owner-count',
  '2.3.privileged-2fa',
  '2.3.stale-invites',
] as const;
