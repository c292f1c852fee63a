import { holdsSecretValue } from './redact-names';

/**
 * The value patterns of redaction (redact.ts): secrets recognisable wherever they occur, in a
 * JSON string or a text body. Each rule runs only where its anchor occurs.
 */
export const REDACTED = '[redacted]';

/** Values that are facts, not secrets: empty, already redacted, or masked by Sentry (`*****`). */
export function isMasked(value: string): boolean {
  return value === '' || value === REDACTED || /^\*+$/.test(value);
}

// Every pattern below needs one of these; most strings have none, and skip the regexes.
export const PATTERN_TRIGGER = /-----BEGIN|sntry[a-z]_|bearer|basic|:\/\/|=|hooks/i;

// Webhook URLs whose path is the secret (Slack, Discord, Microsoft Teams, and any `hooks` URL
// with an opaque segment): the host and the first fixed segment stay, the rest goes.
const WEBHOOK_PATH =
  /\b(https?:\/\/(?:hooks\.slack\.com\/(?:services|workflows|triggers)|(?:[a-z0-9-]+\.)*discord(?:app)?\.com\/api\/webhooks|[a-z0-9.-]*webhook\.office\.com\/webhookb2)\/)([^\s"'<>?#]+)/gi;
const HOOK_SEGMENT = /\b(https?:\/\/[^\s"'<>/?#]*hook[^\s"'<>?#]*?\/)([A-Za-z0-9_-]{24,})(?=[/?#\s"'<>]|$)/gi;

const PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z0-9 ]*PRIVATE KEY-----/;
const SENTRY_TOKEN = /sntry[a-z]_[A-Za-z0-9_+/=.-]+/;
const AUTH_SCHEME = /\b(Bearer|Basic)(\s+)[A-Za-z0-9._~+/=-]{6,}/i;
const USERINFO_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:@/?#"']*):([^\s@/?#"']+)@/gi;
const NAME_VALUE = /([A-Za-z][A-Za-z0-9_.-]*)=([^&#\s,;"']+)/g;

/**
 * Whether `applyPatterns(text)` would change `text`, without building the result: each rule
 * tested on the text as it is (a rule that changes nothing leaves the next rule the same text),
 * with the same regular expressions and the same exceptions. Redaction asks this of nearly every
 * string of every page; only the few that change are rewritten by `applyPatterns`.
 */
export function patternsChange(text: string): boolean {
  if (text.includes('-----BEGIN') && PRIVATE_KEY.test(text)) return true;
  if (text.includes('sntry') && SENTRY_TOKEN.test(text)) return true;
  if (AUTH_SCHEME.test(text)) return true;
  if (text.includes('://')) {
    if (text.includes('@') && anyMatch(USERINFO_PASSWORD, text, (m) => m[3] !== REDACTED)) return true;
    if (/hook/i.test(text)) {
      if (anyMatch(WEBHOOK_PATH, text, (m) => m[2] !== REDACTED)) return true;
      if (anyMatch(HOOK_SEGMENT, text, () => true)) return true;
    }
  }
  return text.includes('=') && anyMatch(NAME_VALUE, text, (m) => holdsSecretValue(m[1] ?? '', m[2] ?? '') && !isMasked(m[2] ?? ''));
}

function anyMatch(re: RegExp, text: string, changes: (m: RegExpExecArray) => boolean): boolean {
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (changes(m)) {
      re.lastIndex = 0;
      return true;
    }
    if (m[0] === '') re.lastIndex += 1;
  }
  return false;
}

/** The value patterns on one string that PATTERN_TRIGGER let through; `onHit` once per replacement. */
export function applyPatterns(text: string, onHit: () => void): string {
  const hit = (replacement: string): string => {
    onHit();
    return replacement;
  };
  // Each rule runs only where its anchor occurs: most strings that get here are plain URLs.
  let out = text;
  if (out.includes('-----BEGIN')) {
    out = out.replace(/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z0-9 ]*PRIVATE KEY-----/g, () => hit(REDACTED));
  }
  // Sentry user (sntryu_) and org (sntrys_) auth tokens, and any later sntry?_ kind.
  if (out.includes('sntry')) out = out.replace(/sntry[a-z]_[A-Za-z0-9_+/=.-]+/g, () => hit(REDACTED));
  if (/bearer|basic/i.test(out)) {
    out = out.replace(/\b(Bearer|Basic)(\s+)[A-Za-z0-9._~+/=-]{6,}/gi, (_m, scheme: string, sp: string) => hit(`${scheme}${sp}${REDACTED}`));
  }
  if (out.includes('://')) {
    // The password of URL userinfo: the DSN secret in https://<public>:<secret>@host/1. The
    // public part before the colon is an identifier and stays.
    if (out.includes('@')) {
      out = out.replace(
        /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:@/?#"']*):([^\s@/?#"']+)@/gi,
        (m, scheme: string, user: string, pass: string) => (pass === REDACTED ? m : hit(`${scheme}${user}:${REDACTED}@`)),
      );
    }
    if (/hook/i.test(out)) {
      out = out
        .replace(WEBHOOK_PATH, (m, head: string, rest: string) => (rest === REDACTED ? m : hit(`${head}${REDACTED}`)))
        .replace(HOOK_SEGMENT, (_m, head: string) => hit(`${head}${REDACTED}`));
    }
  }
  // name=value pairs (query strings, X-Sentry-Auth's sentry_secret=..., a webhook's ?code= or
  // &sig=) whose name is secret-ish.
  if (out.includes('=')) {
    out = out.replace(/([A-Za-z][A-Za-z0-9_.-]*)=([^&#\s,;"']+)/g, (m, name: string, value: string) =>
      holdsSecretValue(name, value) && !isMasked(value) ? hit(`${name}=${REDACTED}`) : m,
    );
  }
  return out;
}
