import type { ErrorInfo, Result } from '../../shared/errors';

/**
 * Where an operation stands: a tagged union rather than booleans, so "running and failed at once"
 * cannot be written and every view handles each case.
 */
export type Status<T, P = null> =
  | { readonly status: 'idle' }
  | { readonly status: 'running'; readonly progress: P }
  | { readonly status: 'done'; readonly value: T }
  | { readonly status: 'failed'; readonly error: ErrorInfo };

export const IDLE = Object.freeze({ status: 'idle' }) as { readonly status: 'idle' };

export function running<P = null>(progress: P): { readonly status: 'running'; readonly progress: P } {
  return { status: 'running', progress };
}

export function done<T>(value: T): { readonly status: 'done'; readonly value: T } {
  return { status: 'done', value };
}

export function failed(error: ErrorInfo): { readonly status: 'failed'; readonly error: ErrorInfo } {
  return { status: 'failed', error };
}

/** A Result as a finished Status. */
export function settle<T>(result: Result<T>): Status<T, never> {
  return result.ok ? done(result.value) : failed(result.error);
}

export function valueOf<T, P>(s: Status<T, P>): T | null {
  return s.status === 'done' ? s.value : null;
}

export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unhandled ${what}: ${JSON.stringify(value)}`);
}

/** A bridge call that threw (a bug in a fake or a broken preload) still becomes data. */
export async function call<T>(run: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await run();
  } catch {
    return { ok: false, error: { code: 'internal', message: 'The app could not handle this request', retryable: false } };
  }
}
