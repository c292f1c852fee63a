import type { Organization, ProjectDetail } from '../sentry/schemas';

/**
 * Key names Sentry's default scrubbers redact (Relay's password rule, plus any key containing
 * "token"). Only in force when both the data scrubber and its defaults are effectively on.
 */
export const DEFAULT_SCRUBBER_KEY_PATTERN =
  /(password|secret|passwd|api[-_]key|apikey|auth|credentials|mysql_pwd|privatekey|private[-_]key|token)/i;

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
    return !(eff.scrubDefaults && DEFAULT_SCRUBBER_KEY_PATTERN.test(key));
  });
}
