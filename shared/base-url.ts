import type { ErrorInfo, Result } from './errors';

/**
 * The one policy for "where is your Sentry": what a person may type as the Sentry URL and what
 * a token may be sent to. Pure, so the Connect form checks it as it is typed (renderer), the
 * handlers check it before a profile is saved, and the Sentry client before a request is sent
 * (core/sentry/base-url.ts throws with it). Messages are for people and never echo the input:
 * people sometimes paste the token into the URL field.
 */

/** Where the Sentry API lives: sentry.io (and its regions) or a self-hosted instance. */
export type SentryDeployment = 'saas' | 'self_hosted';

export interface SentryBaseUrl {
  /** Origin plus path prefix, no trailing slash: `https://sentry.example.com/sentry`. */
  readonly url: string;
  /** `https://host[:port]` */
  readonly origin: string;
  /** `''` or a prefix such as `/sentry` (self-hosted behind a path). */
  readonly pathPrefix: string;
  readonly hostname: string;
  readonly deployment: SentryDeployment;
  /** 127.0.0.0/8, ::1 or localhost: plain http is allowed there (simulator, tests). */
  readonly loopback: boolean;
}

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/\.$/, '');
  if (h === 'localhost' || h === '[::1]' || h === '::1') return true;
  const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  return m !== null && m.slice(1).every((n) => Number(n) <= 255);
}

/** sentry.io and its subdomains (regions `us.`/`de.`, customer domains `acme.sentry.io`). */
export function isSaasHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/\.$/, '');
  return h === 'sentry.io' || h.endsWith('.sentry.io');
}

const EXAMPLE = 'like https://sentry.example.com';

/** The parts of a WHATWG URL read here; shared/ has no DOM or Node types, both runtimes have URL. */
interface UrlParts {
  readonly protocol: string;
  readonly username: string;
  readonly password: string;
  readonly hostname: string;
  readonly pathname: string;
  readonly search: string;
  readonly hash: string;
  readonly origin: string;
}
const WhatwgUrl = (globalThis as unknown as { readonly URL: new (input: string) => UrlParts }).URL;

function invalid(message: string): Result<never> {
  const error: ErrorInfo = { code: 'invalid_url', message, retryable: false };
  return { ok: false, error };
}

/**
 * What a person typed as the Sentry URL, checked and normalised: a bare host gets https://,
 * trailing slashes and a pasted `/api/0` go, an international host name becomes its ASCII form.
 * Refused (`invalid_url`, `insecure_url`) with a message naming the cause and what to type.
 */
export function checkBaseUrl(input: string): Result<SentryBaseUrl> {
  const text = input.trim();
  if (text === '') return invalid(`Enter the address of your Sentry server, ${EXAMPLE}.`);
  if (/\s/.test(text)) return invalid(`The address contains spaces: enter it without them, ${EXAMPLE}.`);
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
  // "ht!tp://host" is a mistyped scheme, not a host name to prefix with https://.
  if (!hasScheme && text.includes('://')) return invalid(`The address does not start with https://: enter it ${EXAMPLE}.`);
  // Checked on the text as typed: browsers and Node escape different characters in a path.
  const afterScheme = hasScheme ? text.slice(text.indexOf('://') + 3) : text;
  const pathStart = afterScheme.search(/[/?#\\]/);
  const typedPath = pathStart === -1 ? '' : afterScheme.slice(pathStart);
  if (!/^[A-Za-z0-9\-._~!$&'()*+,;=:@/%?#]*$/.test(typedPath)) {
    return invalid(`The path of the address contains characters an address cannot have: enter it ${EXAMPLE}.`);
  }
  let u: UrlParts;
  try {
    u = new WhatwgUrl(hasScheme ? text : `https://${text}`);
  } catch {
    return invalid(`This is not a web address: enter the address of your Sentry server, ${EXAMPLE}.`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') {
    return invalid(`The address must start with https:// (not ${u.protocol}//), ${EXAMPLE}.`);
  }
  if (u.username !== '' || u.password !== '') {
    return invalid('Remove the user name and password from the address; the token is entered separately.');
  }
  if (u.hostname === '') return invalid(`The address has no server name: enter it ${EXAMPLE}.`);
  if (!/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)$/i.test(u.hostname)) {
    return invalid(`The server name contains characters a server name cannot have: enter it ${EXAMPLE}.`);
  }
  if (u.search !== '' || u.hash !== '') {
    return invalid('Enter the address of the Sentry server only, without a query (?...) or a fragment (#...).');
  }
  const loopback = isLoopbackHost(u.hostname);
  if (u.protocol === 'http:' && !loopback) {
    return {
      ok: false,
      error: {
        code: 'insecure_url',
        message: `http:// would send the token unencrypted to ${u.hostname}: use https:// (plain http is accepted only for a Sentry on this computer).`,
        retryable: false,
      },
    };
  }
  let path = u.pathname.replace(/\/+$/, '');
  path = path.replace(/\/api\/0$/, '');
  if (/\/api\/0(\/|$)/.test(path)) {
    return invalid('Enter the address you open Sentry at (for example https://sentry.example.com), not the address of an API endpoint.');
  }
  if (path.split('/').some((seg: string) => seg === '..' || seg === '.')) {
    return invalid('The path of the address must not contain "." or ".." parts.');
  }
  // A path with characters a URL cannot hold as they are would be stored escaped: refuse instead.
  if (/%(?![0-9a-f]{2})/i.test(path) || !/^[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*$/.test(path)) {
    return invalid(`The path of the address contains characters an address cannot have: enter it ${EXAMPLE}.`);
  }
  const origin = u.origin;
  return {
    ok: true,
    value: {
      url: origin + path,
      origin,
      pathPrefix: path,
      hostname: u.hostname,
      deployment: isSaasHost(u.hostname) ? 'saas' : 'self_hosted',
      loopback,
    },
  };
}
