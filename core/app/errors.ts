import type { ErrorCode } from '../../shared/errors';
import { CodedError } from '../../shared/errors';

/** An expected failure raised by main itself, with a code the window can switch on. */
export class AppError extends CodedError {
  constructor(code: ErrorCode, message: string, options?: { retryable?: boolean; cause?: unknown }) {
    super(code, message, options);
    this.name = 'AppError';
  }
}
