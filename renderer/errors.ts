import type { ErrorCode, ErrorInfo } from '../shared/errors';
import { assertNever } from './store/status';

/** What a person reads when an operation fails: what went wrong and what to do next. */
export interface ErrorAdvice {
  readonly title: string;
  readonly next: string;
}

/** Every error code of shared/errors.ts, handled exhaustively (the compiler checks). */
export function adviceFor(code: ErrorCode): ErrorAdvice {
  switch (code) {
    case 'invalid_url':
      return { title: 'The Sentry URL is not valid', next: 'Enter the address you open Sentry at, e.g. https://sentry.example.com.' };
    case 'insecure_url':
      return { title: 'The Sentry URL is not encrypted', next: 'Use https:// (plain http is accepted only for a Sentry on this machine).' };
    case 'unreachable':
      return { title: 'Sentry could not be reached', next: 'Check the URL, your network or VPN, then try again.' };
    case 'timeout':
      return { title: 'Sentry did not answer in time', next: 'Try again; if it keeps happening, check the server load or your network.' };
    case 'tls':
      return { title: 'The certificate of this Sentry is not trusted', next: 'For a self-hosted Sentry behind a private CA, add the CA bundle to the connection.' };
    case 'unauthorized':
      return { title: 'Sentry refused the token', next: 'The token is invalid, expired or revoked: create a new one and enter it again.' };
    case 'missing_scope':
      return { title: 'The token lacks a scope this needs', next: 'Create a token with the scopes listed on the Connect step and enter it again.' };
    case 'forbidden':
      return { title: 'Access was refused', next: 'Your user may not be a member of the organization or may lack the role: ask an owner.' };
    case 'session_only':
      return { title: 'Sentry serves this only to browser sessions', next: 'Check it by hand in Sentry; this item stays manual.' };
    case 'not_found':
      return { title: 'Not found', next: 'Check the organization slug and that the resource still exists, then run the checks again.' };
    case 'bad_request':
      return { title: 'Sentry refused the request', next: 'Read the message below, adjust the values and try again.' };
    case 'rate_limited':
      return { title: 'Sentry is rate limiting this token', next: 'Wait a minute and try again.' };
    case 'server_error':
      return { title: 'Sentry had an internal error', next: 'Try again later; nothing was marked as passing.' };
    case 'malformed_response':
      return { title: 'Sentry answered in an unexpected format', next: 'Your Sentry version may differ; the affected checks stay errors. Report it if it persists.' };
    case 'incomplete_pagination':
      return { title: 'A list could not be read to the end', next: 'Run the checks again; nothing was marked as passing on a partial list.' };
    case 'moved':
      return { title: 'The project was renamed', next: 'Run the checks again to pick up the new name.' };
    case 'keychain_unavailable':
      return { title: 'The OS keychain is not available', next: 'Unlock or install a keychain (Secret Service on Linux). The token is never kept in plain text.' };
    case 'cancelled':
      return { title: 'Cancelled', next: 'Start again when you are ready.' };
    case 'invalid_input':
      return { title: 'Some values are not valid', next: 'Correct the fields named below and try again.' };
    case 'internal':
      return { title: 'Something went wrong inside sentry-harden', next: 'Try again; if it persists, restart the app and report it.' };
    default:
      return assertNever(code, 'error code');
  }
}

export function describeError(error: ErrorInfo): ErrorAdvice & { readonly message: string; readonly retryable: boolean } {
  return { ...adviceFor(error.code), message: error.message, retryable: error.retryable };
}
