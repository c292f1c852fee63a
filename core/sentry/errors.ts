import type { ErrorCode } from '../../shared/errors';
import { CodedError } from '../../shared/errors';
import type { Evidence } from '../../shared/finding';

/**
 * What went wrong below HTTP. `refused` and `dns` mean the request never reached the server, so
 * even a write may be retried; after `reset` or `timeout` the server may have processed it.
 */
export type NetworkCause = 'refused' | 'dns' | 'reset' | 'timeout' | 'tls' | 'other';

export interface SentryApiErrorInit {
  code: ErrorCode;
  message: string;
  /** `METHOD /api/0/...` path of the request, never with the host's credentials. */
  endpoint?: string;
  status?: number;
  retryable?: boolean;
  /** For `missing_scope`: the scopes of which the endpoint needs any one. */
  requiredScopes?: readonly string[];
  /** For `bad_request`: Sentry's field messages. */
  fieldErrors?: Record<string, string[]>;
  /** For `moved`: the new slug and URL Sentry points to. */
  movedTo?: { slug: string; url: string };
  /** For `unreachable`, `timeout`, `tls`: the network failure behind it. */
  networkCause?: NetworkCause;
  /** The responses read before the failure (e.g. the pages of a broken pagination chain). */
  evidence?: Evidence;
  cause?: unknown;
}

/**
 * Every failure of the Sentry client is one of these: a code a program can switch on and a
 * message that names the cause (and the endpoint) for a person. Messages never contain the token.
 */
export class SentryApiError extends CodedError {
  readonly endpoint: string | undefined;
  readonly status: number | undefined;
  readonly requiredScopes: readonly string[] | undefined;
  readonly fieldErrors: Record<string, string[]> | undefined;
  readonly movedTo: { slug: string; url: string } | undefined;
  readonly networkCause: NetworkCause | undefined;
  readonly evidence: Evidence | undefined;

  constructor(init: SentryApiErrorInit) {
    super(init.code, init.message, { retryable: init.retryable, cause: init.cause });
    this.name = 'SentryApiError';
    this.endpoint = init.endpoint;
    this.status = init.status;
    this.requiredScopes = init.requiredScopes;
    this.fieldErrors = init.fieldErrors;
    this.movedTo = init.movedTo;
    this.networkCause = init.networkCause;
    this.evidence = init.evidence;
  }

  /** The same error with the evidence gathered before it happened. */
  withEvidence(evidence: Evidence): SentryApiError {
    const copy = new SentryApiError({
      code: this.code,
      message: this.message,
      endpoint: this.endpoint,
      status: this.status,
      retryable: this.retryable,
      requiredScopes: this.requiredScopes,
      fieldErrors: this.fieldErrors,
      movedTo: this.movedTo,
      networkCause: this.networkCause,
      evidence,
      cause: this.cause,
    });
    copy.stack = this.stack;
    return copy;
  }
}

export function isSentryApiError(e: unknown): e is SentryApiError {
  return e instanceof SentryApiError;
}
