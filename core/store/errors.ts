import type { ErrorCode } from '../../shared/errors';
import { CodedError } from '../../shared/errors';

export type StoreErrorCode = Extract<ErrorCode, 'invalid_input' | 'not_found' | 'internal'>;

/** A refused write (bad or secret-looking data), a missing profile, or an unreadable settings file. */
export class StoreError extends CodedError {
  declare readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, { cause: options?.cause });
    this.name = 'StoreError';
  }
}

export function isStoreError(e: unknown): e is StoreError {
  return e instanceof StoreError;
}
