import type { z } from 'zod';
import { acceptedScopes } from './endpoint-scopes';
import { SentryApiError } from './errors';
import { cleanText, detailOf, fieldErrorsOf, notFoundText, parseJsonSafe, zodProblem } from './response-text';
import { NOT_AUTHENTICATED, SESSION_ONLY_PATHS } from './routing';
import type { HttpMethod, TransportResponse } from './transport';

/**
 * What one answer of Sentry means: the validated value of a 2xx, or the SentryApiError of
 * everything else (moved, session-only, 401, missing scope or plain 403, 404, 429, 5xx, 400 with
 * its field messages). Every text an error carries may come from the server: all of it is redacted.
 */

/** What the client knows when it reads an answer. */
export interface AnswerContext {
  /** The body as recorded (redacted), when the response was recorded. */
  readonly recordedBody: string | undefined;
  /** `recordedBody` parsed, when redaction already parsed it (saves a second JSON.parse a response). */
  readonly recordedValue?: { readonly value: unknown } | undefined;
  /** Removes the token from any text (the last line of defence). */
  readonly redact: (text: string) => string;
  readonly tokenScopes: ReadonlySet<string> | undefined;
  readonly orgAccess: ReadonlySet<string> | undefined;
}

export function interpretResponse(ctx: AnswerContext, method: HttpMethod, path: string, res: TransportResponse, schema: z.ZodType<unknown> | undefined, expectNoContent: boolean): unknown {
  const endpoint = `${method} ${path}`;
  const status = res.status;
  // Judged on the body as recorded (redacted): a token a server echoes into a name never
  // reaches a finding, and verdicts rest on what raw/ holds, as verify recomputes them.
  const text = ctx.recordedBody ?? res.body.toString('utf8');
  if (status >= 200 && status < 300) {
    if (status === 204 || text.trim() === '') {
      if (expectNoContent) return null;
      throw redactedError(ctx.redact, { code: 'malformed_response', endpoint, status, message: `${endpoint}: expected a JSON body, got ${status} with an empty body.` });
    }
    let json: unknown;
    try {
      json = ctx.recordedValue ? ctx.recordedValue.value : JSON.parse(text);
    } catch {
      throw redactedError(ctx.redact, { code: 'malformed_response', endpoint, status, message: `${endpoint}: the response body is not valid JSON.` });
    }
    if (!schema) return expectNoContent ? null : json;
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw redactedError(ctx.redact, {
        code: 'malformed_response',
        endpoint,
        status,
        message: `${endpoint}: the response does not have the expected shape (${zodProblem(parsed.error)}).`,
      });
    }
    return parsed.data;
  }
  // Errors: 429 bodies come as text/html, so the body is parsed whatever the content type.
  // Redacted before anything is cut short, so no fragment of an echoed token survives.
  const safeText = ctx.redact(text);
  const body = safeText.trim() === '' ? undefined : (parseJsonSafe(safeText) ?? safeText);
  const detail = detailOf(body);
  const said = detail ? ` Sentry said: "${detail}"` : '';
  if (status >= 300 && status < 400) return moved(ctx, endpoint, status, res, body);
  if (status === 401 && SESSION_ONLY_PATHS.some((re) => re.test(path))) {
    throw redactedError(ctx.redact, {
      code: 'session_only',
      endpoint,
      status,
      message: `${endpoint}: Sentry serves this endpoint to signed-in browser sessions only; an API token cannot use it. Check it in Sentry's web UI.`,
    });
  }
  if (status === 401) {
    throw redactedError(ctx.redact, {
      code: 'unauthorized',
      endpoint,
      status,
      message: `${endpoint}: Sentry rejected the token (401): it is invalid, expired or revoked.${said}`,
    });
  }
  if (status === 403) throw forbidden(ctx, method, path, res, detail);
  if (status === 404) {
    throw redactedError(ctx.redact, { code: 'not_found', endpoint, status, message: `${endpoint}: ${notFoundText(path)}${said}` });
  }
  if (status === 429) {
    throw redactedError(ctx.redact, {
      code: 'rate_limited',
      endpoint,
      status,
      retryable: true,
      message: `${endpoint}: Sentry's rate limit was still exceeded after our retries (429).${said}`,
    });
  }
  if (status >= 500) {
    throw redactedError(ctx.redact, {
      code: 'server_error',
      endpoint,
      status,
      retryable: true,
      message: `${endpoint}: Sentry answered ${status} (server error)${method === 'GET' || method === 'HEAD' ? ' after our retries' : ''}.${said}`,
    });
  }
  if (status === 400 && body === undefined) {
    const userBound = /^PUT \/api\/0\/(projects\/[^/]+\/[^/]+\/|organizations\/[^/]+\/members\/[^/]+\/)$/.test(endpoint);
    throw redactedError(ctx.redact, {
      code: 'bad_request',
      endpoint,
      status,
      message: userBound
        ? `${endpoint}: Sentry answered 400 with an empty body: this change needs a token that belongs to a user (org auth tokens have no user).`
        : `${endpoint}: Sentry answered 400 with an empty body. The token may not be bound to a user.`,
    });
  }
  const fieldErrors = fieldErrorsOf(body);
  const fields = fieldErrors
    ? ' ' + Object.entries(fieldErrors).map(([f, msgs]) => `${f}: ${msgs.join(' ')}`).join('; ')
    : '';
  throw redactedError(ctx.redact, {
    code: 'bad_request',
    endpoint,
    status,
    fieldErrors,
    message: `${endpoint}: Sentry refused the request (${status}).${fields || said}`,
  });
}

function moved(ctx: AnswerContext, endpoint: string, status: number, res: TransportResponse, body: unknown): never {
  const b = (typeof body === 'object' && body !== null ? body : {}) as {
    slug?: unknown;
    detail?: { extra?: { slug?: unknown; url?: unknown } };
  };
  const slug = typeof b.slug === 'string' ? b.slug : typeof b.detail?.extra?.slug === 'string' ? b.detail.extra.slug : '';
  const url = typeof b.detail?.extra?.url === 'string' ? b.detail.extra.url : ctx.redact(res.headers['location'] ?? '');
  throw redactedError(ctx.redact, {
    code: 'moved',
    endpoint,
    status,
    movedTo: { slug, url },
    message: slug
      ? `${endpoint}: the project was renamed; its slug is now "${cleanText(slug)}".`
      : `${endpoint}: Sentry redirected (${status}) instead of answering; check the Sentry URL.`,
  });
}

function forbidden(ctx: AnswerContext, method: HttpMethod, path: string, res: TransportResponse, detail: string | undefined): SentryApiError {
  const endpoint = `${method} ${path}`;
  const status = 403;
  const said = detail ? ` Sentry said: "${detail}"` : '';
  if (SESSION_ONLY_PATHS.some((re) => re.test(path)) || detail === NOT_AUTHENTICATED) {
    return redactedError(ctx.redact, {
      code: 'session_only',
      endpoint,
      status,
      message: `${endpoint}: Sentry serves this endpoint to signed-in browser sessions only; an API token cannot use it. Check it in Sentry's web UI.`,
    });
  }
  const accepted = acceptedScopes(method, path);
  const challenge = res.headers['www-authenticate'] === undefined ? undefined : ctx.redact(res.headers['www-authenticate']);
  if (challenge !== undefined && /error="insufficient_scope"/i.test(challenge)) {
    const fromHeader = /scope="([^"]*)"/i.exec(challenge)?.[1]?.split(/\s+/).filter((s) => s !== '');
    const scopes = fromHeader && fromHeader.length > 0 ? fromHeader : (accepted ?? []);
    return missingScope(ctx, endpoint, scopes, 'the token');
  }
  if (accepted) {
    if (ctx.tokenScopes && !accepted.some((s) => ctx.tokenScopes?.has(s))) {
      return missingScope(ctx, endpoint, accepted, 'the token');
    }
    if (ctx.orgAccess && !accepted.some((s) => ctx.orgAccess?.has(s))) {
      return missingScope(ctx, endpoint, accepted, "your role in the organization (the token's effective scopes)");
    }
  }
  const why = !accepted
    ? ''
    : ctx.tokenScopes
      ? `; the token has a scope this endpoint accepts (any of: ${accepted.join(', ')}), so the user may lack access to this object or organization`
      : `; this endpoint accepts any of: ${accepted.join(', ')}. The token may lack them, or the user may lack access to this object`;
  return redactedError(ctx.redact, {
    code: 'forbidden',
    endpoint,
    status,
    requiredScopes: accepted,
    message: `${endpoint}: Sentry refused access (403)${why}.${said}`,
  });
}

function missingScope(ctx: AnswerContext, endpoint: string, scopes: readonly string[], holder: string): SentryApiError {
  return redactedError(ctx.redact, {
    code: 'missing_scope',
    endpoint,
    status: 403,
    requiredScopes: scopes,
    message: `${endpoint}: ${holder} lacks the scope this endpoint needs (any of: ${scopes.join(', ') || 'unknown'}).`,
  });
}

/** Every text an error carries may come from the server: all of it is redacted. */
export function redactedError(redact: (text: string) => string, init: ConstructorParameters<typeof SentryApiError>[0]): SentryApiError {
  const r = redact;
  return new SentryApiError({
    ...init,
    message: r(init.message),
    requiredScopes: init.requiredScopes?.map(r),
    fieldErrors: init.fieldErrors
      ? Object.fromEntries(Object.entries(init.fieldErrors).map(([f, msgs]) => [r(f), msgs.map(r)]))
      : undefined,
    movedTo: init.movedTo ? { slug: r(init.movedTo.slug), url: r(init.movedTo.url) } : undefined,
  });
}

/** Anything thrown below us, as a SentryApiError whose text cannot hold the token. */
export function asApiError(e: unknown, endpoint: string, redact: (text: string) => string): SentryApiError {
  if (e instanceof SentryApiError) {
    const message = redact(e.message);
    if (message === e.message) return e;
    return new SentryApiError({
      code: e.code,
      endpoint: e.endpoint,
      status: e.status,
      retryable: e.retryable,
      requiredScopes: e.requiredScopes,
      fieldErrors: e.fieldErrors,
      movedTo: e.movedTo,
      networkCause: e.networkCause,
      evidence: e.evidence,
      message,
    });
  }
  // Unknown errors are not forwarded (we cannot know what they hold); only their class name.
  const kind = e instanceof Error ? ` (${e.name})` : '';
  return new SentryApiError({ code: 'internal', endpoint, message: `${endpoint}: unexpected failure in the client${kind}.` });
}
