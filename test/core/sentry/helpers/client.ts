import { SentryClient } from '../../../../core/sentry/client';
import type { SentryClientOptions } from '../../../../core/sentry/client';
import type { SchedulerOptions } from '../../../../core/sentry/scheduler';
import type { ResponseRecord } from '../../../../core/sentry/transport';
import type { FakeSentry } from './fake-sentry';
import { TOKEN } from './fake-sentry';

/** Retries without real waiting, so fault tests stay fast. */
export const FAST_RETRIES: SchedulerOptions = { backoffBaseMs: 1, backoffMaxMs: 5, jitterMs: 0 };

export function makeClient(
  server: FakeSentry,
  options: Partial<SentryClientOptions> & { records?: ResponseRecord[] } = {},
): SentryClient {
  const { records, ...rest } = options;
  return new SentryClient({
    baseUrl: server.url,
    getToken: () => TOKEN,
    timeoutMs: 2000,
    scheduler: FAST_RETRIES,
    onResponse: records ? (r) => records.push(r) : undefined,
    ...rest,
  });
}
