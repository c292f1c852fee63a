import { z } from 'zod';

/**
 * Error codes shared by the engine, the CLI and the UI. Each names a cause a person can act on.
 * Electron forwards only an error's message across IPC, so codes travel explicitly.
 */
export const ErrorCodeSchema = z.enum([
  'invalid_url', // the base URL is malformed
  'insecure_url', // http:// to a host that is not loopback
  'unreachable', // DNS, refused connection, reset
  'timeout', // no answer within the per-request timeout
  'tls', // certificate verification failed
  'unauthorized', // 401: invalid, expired or missing token
  'missing_scope', // 403 where the token lacks a scope the endpoint needs
  'forbidden', // 403 for another reason (not a member, no access to the object)
  'session_only', // endpoint that Sentry serves to browser sessions only
  'not_found', // 404: wrong org, project, key...
  'bad_request', // 400 with field messages
  'rate_limited', // 429 after the retries we allow ourselves
  'server_error', // 5xx after retries
  'malformed_response', // body is not JSON or does not match the expected shape
  'incomplete_pagination', // a page chain ended early or broke
  'moved', // 302: project renamed
  'keychain_unavailable',
  'cancelled',
  'invalid_input',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

export const ErrorInfoSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  retryable: z.boolean(),
});
export type ErrorInfo = z.infer<typeof ErrorInfoSchema>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

/**
 * The base of every expected failure of ours (core, cli): a code a program switches on, a message
 * written for people, whether trying again may help. Callers tell failures apart with
 * `instanceof` (the subclass) or `code`, never by `name`.
 */
export class CodedError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options?: { readonly retryable?: boolean; readonly cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CodedError';
    this.code = code;
    this.retryable = options?.retryable ?? false;
  }

  toInfo(): ErrorInfo {
    return { code: this.code, message: this.message, retryable: this.retryable };
  }
}
