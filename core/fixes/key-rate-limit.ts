import { z } from 'zod';
import type { Finding } from '../../shared/finding';
import { projectRef } from '../controls/findings';
import { fieldPut, paramsWithPrefix } from './build';
import { keyLabel, keysWithProjects, SDK_ECHO, sdkEcho } from './keys';
import type { ChangeDraft, FixDefinition, FixProposal, OperationRule } from './types';
import { FixParamError } from './types';

const CHECK = '3.2.rate-limit';

export interface RateLimit {
  readonly count: number;
  readonly window: number;
}

/**
 * Proposed limits per minute, by platform: browser SDKs are the most exposed (the DSN ships in
 * page source) and send the least per user; mobile apps send bursts on reconnect; servers send the
 * most legitimate volume. Starting points to edit, not measurements.
 */
export function defaultRateLimit(platform: string | null | undefined): RateLimit {
  const p = (platform ?? '').toLowerCase();
  if (/^(javascript(?!-node)|browser)/.test(p) && !/node|deno|bun/.test(p)) return { count: 300, window: 60 };
  if (/^(apple|cocoa|android|react-native|flutter|dart|xamarin|unity|unreal|capacitor|cordova|ionic|kotlin-multiplatform)/.test(p)) return { count: 600, window: 60 };
  return { count: 1000, window: 60 };
}

/**
 * The longest window Sentry accepts: RateLimitSerializer caps it at 60 * 60 * 24 seconds
 * (src/sentry/api/serializers/rest_framework/project_key.py); a longer one is refused with 400.
 */
export const MAX_RATE_LIMIT_WINDOW_SECONDS = 86_400;
/** The same serializer sets no upper bound on the count (min_value=0 only); ours is the plan schema's. */
export const MAX_RATE_LIMIT_COUNT = 999_999_999;

/** `COUNT/WINDOW` (events per seconds), e.g. `500/60`. */
export function parseRateLimit(value: string, key: string): RateLimit {
  const m = /^\s*(\d{1,9})\s*\/\s*(\d{1,7})\s*$/.exec(value);
  const count = Number(m?.[1]);
  const window = Number(m?.[2]);
  if (!m || count < 1 || window < 1) throw new FixParamError(`"${value}" is not COUNT/WINDOW_SECONDS such as 500/60`, key);
  if (window > MAX_RATE_LIMIT_WINDOW_SECONDS) {
    throw new FixParamError(
      `a window of ${window} seconds is longer than Sentry accepts (at most ${MAX_RATE_LIMIT_WINDOW_SECONDS}, one day); ` +
        `express the limit per day or less, e.g. ${Math.max(1, Math.round((count * MAX_RATE_LIMIT_WINDOW_SECONDS) / window))}/${MAX_RATE_LIMIT_WINDOW_SECONDS}`,
      key,
    );
  }
  return { count, window };
}

const RULE: OperationRule = {
  op: 'key-fields',
  after: z.strictObject({ rateLimit: z.strictObject({ window: z.number().int().min(1).max(86_400 * 30), count: z.number().int().min(1).max(MAX_RATE_LIMIT_COUNT) }), ...SDK_ECHO }),
  risk: 'low',
  reversible: true,
};

/**
 * Sets a rate limit on every active key that has none (REFERENCE.md 6). Sentry stores it only
 * when the project's plan has rate limits; otherwise it answers 200 and keeps none, which the
 * verification reports as not effective.
 */
export const keyRateLimitFix: FixDefinition = {
  id: 'key-rate-limit',
  title: 'Rate-limit client keys',
  controls: ['3.2'],
  checks: [CHECK],
  params: [
    { key: 'rateLimit', pattern: /^rateLimit$/, description: 'COUNT/WINDOW for every key (overrides the per-platform default).' },
    { key: 'rateLimit.<key or project>', pattern: /^rateLimit\.[^.]+$/, description: 'COUNT/WINDOW for one key (public key) or every key of a project (slug).' },
  ],
  operations: [RULE],

  async plan(ctx, findings: readonly Finding[]): Promise<FixProposal> {
    const failing = findings.filter((f) => f.check === CHECK && f.status === 'fail' && f.resource.type === 'key');
    if (failing.length === 0) return { changes: [], notes: [] };
    const all = await keysWithProjects(ctx, 'key-rate-limit');
    const specific = paramsWithPrefix(ctx, 'rateLimit');
    const global = ctx.params.rateLimit === undefined ? undefined : parseRateLimit(ctx.params.rateLimit, 'rateLimit');
    const changes: ChangeDraft[] = [];
    const choices: FixProposal['notes'][number][] = [];
    const offered = new Set<string>();
    for (const f of failing) {
      const k = all.find((x) => x.key.public === f.resource.id);
      if (!k || !k.key.isActive || k.key.rateLimit !== null) continue;
      const paramKey = specific.has(k.key.public) ? k.key.public : specific.has(k.project.slug) ? k.project.slug : undefined;
      const limit = paramKey !== undefined ? parseRateLimit(specific.get(paramKey) as string, `rateLimit.${paramKey}`) : (global ?? defaultRateLimit(k.project.platform));
      const detail = await ctx.data.projectDetail(k.project.slug);
      const notes =
        detail.ok && detail.value.features !== undefined && !detail.value.features.includes('rate-limits')
          ? ['This project\'s plan does not list the rate-limits feature: Sentry may accept the limit and ignore it (verification will tell).']
          : [];
      changes.push(
        fieldPut(ctx, RULE, { project: k.project.slug, key: k.key.public }, { rateLimit: { before: null, after: { window: limit.window, count: limit.count } } }, {
          ref: `rate:${k.key.public}`,
          control: '3.2',
          check: CHECK,
          resource: f.resource,
          description: `Limit client key ${keyLabel(k)} to ${limit.count} events per ${limit.window} s${paramKey === undefined && global === undefined ? ` (the default for platform ${k.project.platform ?? 'unknown'}; another limit can be chosen)` : ''}.`,
          notes,
        }, { echo: sdkEcho(k) }),
      );
      // A default is a starting point: offer the choice once per project.
      if (paramKey === undefined && global === undefined && !offered.has(k.project.slug)) {
        offered.add(k.project.slug);
        choices.push({
          control: '3.2',
          check: CHECK,
          resource: projectRef(k.project),
          kind: 'info',
          message: `Client keys of ${k.project.slug} get the default for platform ${k.project.platform ?? 'unknown'}, ${limit.count} events per ${limit.window} seconds; choose another limit if it does not fit.`,
          param: {
            key: `rateLimit.${k.project.slug}`,
            kind: 'rate_limit',
            label: `Rate limit of the client keys of ${k.project.slug}`,
            min: 1,
            max: MAX_RATE_LIMIT_COUNT,
            maxWindow: MAX_RATE_LIMIT_WINDOW_SECONDS,
            suggested: `${limit.count}/${limit.window}`,
          },
        });
      }
    }
    return { changes, notes: choices };
  },
};
