import type { Organization, ProjectDetail } from '../sentry/schemas';

/**
 * The Relay release whose default scrubbing this model follows. Sentry turns the legacy settings
 * (data scrubber + defaults) into Relay's `@common:filter` rules (relay-pii/src/convert.rs
 * `to_pii_config`), whose `@password` rule applies the two key patterns below
 * (relay-pii/src/regexes.rs `get_regex_for_rule_type`). sentry.io runs Relay's newest release;
 * a self-hosted install runs the Relay of its own release, so older installs may differ (before
 * 26.4.2 any key containing "token" matched PASSWORD_KEY_REGEX itself; the effect on keys is the same).
 */
export const RELAY_MODEL = {
  version: '26.4.2',
  sources: ['getsentry/relay relay-pii/src/regexes.rs @ 0e8be5e', 'getsentry/relay relay-pii/src/convert.rs @ 06e9b6c'],
} as const;

/** Relay's PASSWORD_KEY_REGEX, verbatim (a key-and-value pattern: it matches the key name here). */
export const RELAY_PASSWORD_KEY_REGEX =
  /(password|secret|passwd|api[-_]key|apikey|auth|credentials|mysql_pwd|privatekey|private[-_]key|token[^\s]*[:=]|^otp$|^two[-_]factor$)/i;

/** Relay's TOKEN_KEY_REGEX, verbatim: any key containing "token" (matched on keys only). */
export const RELAY_TOKEN_KEY_REGEX = /(token)/i;

/**
 * Cookie names the defaults always filter (convert.rs SENSITIVE_COOKIES: `*.cookies.<name>`).
 * Any other cookie is scrubbed only if its own name matches a key rule or a sensitive field.
 */
export const RELAY_SENSITIVE_COOKIES: readonly string[] = [
  'sentrysid', 'sudo', 'su', 'session', '__session', 'sessionid', 'user_session', 'symfony', 'phpsessid',
  'fasthttpsessionid', 'mysession', 'irissessionid', '_vercel_jwt',
  'csrf', 'xsrf', '_xsrf', '_csrf', 'csrf-token', 'csrf_token', 'xsrf-token', 'xsrf_token', 'fastcsrf', '_iris_csrf',
];

/** Whether the default scrubbers (when on) redact the value of a key with this name. */
export function defaultsCoverKey(key: string): boolean {
  return RELAY_PASSWORD_KEY_REGEX.test(key) || RELAY_TOKEN_KEY_REGEX.test(key);
}

/** Whether the default scrubbers (when on) filter a cookie of this name, by name alone. */
export function defaultsCoverCookie(name: string): boolean {
  return RELAY_SENSITIVE_COOKIES.includes(name) || defaultsCoverKey(name);
}

/** What Sentry applies to a project's events: org requirement OR project value, lists merged. */
export interface EffectiveScrubbing {
  readonly scrubData: boolean;
  readonly scrubDefaults: boolean;
  readonly scrubIp: boolean;
  readonly sensitiveFields: readonly string[];
  readonly safeFields: readonly string[];
}

type ScrubSettings = Pick<Organization, 'dataScrubber' | 'dataScrubberDefaults' | 'scrubIPAddresses' | 'sensitiveFields' | 'safeFields'>;

function normalizedUnion(a: readonly string[], b: readonly string[]): string[] {
  const out = new Set<string>();
  for (const f of [...a, ...b]) {
    const t = f.trim().toLowerCase();
    if (t) out.add(t);
  }
  return [...out];
}

export function effectiveScrubbing(org: ScrubSettings, project: Pick<ProjectDetail, keyof ScrubSettings>): EffectiveScrubbing {
  return {
    scrubData: org.dataScrubber || project.dataScrubber,
    scrubDefaults: org.dataScrubberDefaults || project.dataScrubberDefaults,
    scrubIp: org.scrubIPAddresses || project.scrubIPAddresses,
    sensitiveFields: normalizedUnion(org.sensitiveFields, project.sensitiveFields),
    safeFields: normalizedUnion(org.safeFields, project.safeFields),
  };
}

/**
 * Baseline names a key of that very name would not be redacted under. Sensitive fields match as
 * case-insensitive substrings of the key; nothing is redacted while the scrubber is off; a name
 * listed as a safe field is treated as uncovered whatever else applies (safe fields win).
 */
export function uncoveredFields(eff: EffectiveScrubbing, baseline: readonly string[]): string[] {
  const safe = new Set(eff.safeFields);
  return baseline.filter((field) => {
    const key = field.trim().toLowerCase();
    if (!eff.scrubData || safe.has(key)) return true;
    if (eff.sensitiveFields.some((s) => key.includes(s))) return false;
    return !(eff.scrubDefaults && defaultsCoverKey(key));
  });
}
