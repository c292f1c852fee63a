import type { ErrorCode } from '../../shared/errors';
import { CodedError } from '../../shared/errors';

export type SecretsErrorCode = Extract<ErrorCode, 'keychain_unavailable' | 'invalid_input' | 'internal'>;

/**
 * A failure to keep or find a token. Messages name the cause and never contain the token: the
 * keychain library's own messages are passed through `redact` before they are kept.
 */
export class SecretsError extends CodedError {
  declare readonly code: SecretsErrorCode;
  /** For `keychain_unavailable`: what is missing, in one sentence of its own (no word of tokens). */
  readonly unavailableBecause: string | null;

  constructor(code: SecretsErrorCode, message: string, options?: { cause?: unknown; retryable?: boolean; unavailableBecause?: string }) {
    super(code, message, options);
    this.name = 'SecretsError';
    this.unavailableBecause = options?.unavailableBecause ?? null;
  }
}

export function isSecretsError(e: unknown): e is SecretsError {
  return e instanceof SecretsError;
}

/** Removes every occurrence of `secret` from `text` (library messages could echo their input). */
export function redact(text: string, secret: string | undefined): string {
  if (!secret) return text;
  return text.split(secret).join('[redacted]');
}
