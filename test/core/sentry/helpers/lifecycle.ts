import { afterEach } from 'vitest';
import { SentryApiError } from '../../../../core/sentry/errors';
import type { FakeHandler, FakeSentry } from './fake-sentry';
import { startFakeSentry } from './fake-sentry';

/** Starts fake Sentry servers for one test file and closes them after each test. */
export function serverPool(): (handler: FakeHandler) => Promise<FakeSentry> {
  const servers: FakeSentry[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  return async (handler) => {
    const s = await startFakeSentry(handler);
    servers.push(s);
    return s;
  };
}

/** The SentryApiError a promise rejects with; fails the test if it resolves or throws another. */
export async function rejection(p: Promise<unknown>): Promise<SentryApiError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof SentryApiError) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}
