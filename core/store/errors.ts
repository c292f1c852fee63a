import type { ErrorCode, ErrorInfo } from '../../shared/errors';

export type StoreErrorCode = Extract<ErrorCode, 'invalid_input' | 'not_found' | 'internal'>;

/** A refused write (bad or secret-looking data), a missing profile, or an unreadable settings file. */
export class StoreError extends Error {
  readonly code: StoreErrorCode;
  readonly retryable = false;

  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StoreError';
    this.code = code;
  }

  toInfo(): ErrorInfo {
    return { code: this.code, message: this.message, retryable: this.retryable };
  }
}

export function isStoreError(e: unknown): e is StoreError {
  return e instanceof StoreError;
}
