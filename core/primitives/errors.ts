import type { ErrorCode } from '../../shared/errors';
import { CodedError } from '../../shared/errors';

/**
 * A failure of the evidence primitives that the caller can act on: a key that is not Ed25519, an
 * unsafe path in a zip, a folder that does not exist. Verification failures are not errors: they
 * are reported in the structured result of `verifyPackage`.
 */
export class EvidenceError extends CodedError {
  constructor(code: ErrorCode, message: string, cause?: unknown) {
    super(code, message, { cause });
    this.name = 'EvidenceError';
  }
}

export function isEvidenceError(e: unknown): e is EvidenceError {
  return e instanceof EvidenceError;
}
