/**
 * Canonical API paths. A path is checked on what a server would see after decoding, never on its
 * spelling: `%2e%2e`, `%2E%2e`, `%252e%252e` (decoded twice by a proxy) are all `..`. Every check of
 * a write path (does it belong to the organization, does it match the operation's template) runs
 * on the decoded segments this returns.
 */

import { CodedError } from '../../shared/errors';

export class ApiPathError extends CodedError {
  constructor(message: string) {
    super('invalid_input', message);
    this.name = 'ApiPathError';
  }
}

/** Rounds of percent-decoding: enough for any real double encoding, bounded against loops. */
const MAX_DECODE_ROUNDS = 4;

/** Decodes a segment until it no longer changes; throws on malformed escapes. */
export function decodeSegment(segment: string): string {
  let cur = segment;
  for (let i = 0; i < MAX_DECODE_ROUNDS; i++) {
    let next: string;
    try {
      next = decodeURIComponent(cur);
    } catch {
      throw new ApiPathError(`the path segment "${segment}" has a malformed percent escape`);
    }
    if (next === cur) return cur;
    cur = next;
  }
  if (/%[0-9a-f]{2}/i.test(cur)) throw new ApiPathError(`the path segment "${segment}" is encoded more than ${MAX_DECODE_ROUNDS} times`);
  return cur;
}

/**
 * The decoded segments of `/api/0/a/b/`: refuses a path that is not slash-terminated under
 * `/api/0/`, has a query or fragment, an empty segment, a `.` or `..` segment in any spelling, or
 * a segment that decodes to a slash, backslash or control character (a segment that becomes two).
 */
export function canonicalSegments(path: string): string[] {
  if (!path.startsWith('/api/0/') || !path.endsWith('/')) throw new ApiPathError(`"${path}" is not an API path like /api/0/organizations/{org}/`);
  if (/[?#]/.test(path)) throw new ApiPathError(`"${path}" has a query or fragment`);
  const raw = path.slice('/api/0/'.length, -1);
  if (raw === '') return [];
  return raw.split('/').map((s) => {
    if (s === '') throw new ApiPathError(`"${path}" has an empty segment`);
    const d = decodeSegment(s);
    if (d === '.' || d === '..') throw new ApiPathError(`"${path}" has a dot segment ("${s}")`);
    if (/[/\\\u0000-\u001f\u007f]/.test(d)) throw new ApiPathError(`"${path}" has a segment that decodes to a separator or control character ("${s}")`);
    return d;
  });
}

/** The one spelling of a path: its decoded segments, each encoded once. */
export function canonicalApiPath(path: string): string {
  return `/api/0/${canonicalSegments(path).map((s) => `${encodeURIComponent(s)}/`).join('')}`;
}

/** Whether a path is already in its one spelling (what a write must be before it is sent). */
export function isCanonicalApiPath(path: string): boolean {
  try {
    return canonicalApiPath(path) === path;
  } catch {
    return false;
  }
}

/** Paths of an organization's own endpoints: `/organizations/{org}/`, `/projects/{org}/`, `/teams/{org}/`, on decoded segments. */
export function belongsToOrg(path: string, orgSlug: string): boolean {
  let segs: string[];
  try {
    segs = canonicalSegments(path);
  } catch {
    return false;
  }
  return ['organizations', 'projects', 'teams'].includes(segs[0] ?? '') && segs[1] === orgSlug;
}

/**
 * Whether a path fills a template such as `projects/{org}/{project}/keys/{key}` exactly (same
 * number of segments, literals equal, each placeholder equal to its argument), on decoded segments.
 */
export function matchesTemplate(path: string, template: readonly string[], args: Readonly<Record<string, string | undefined>>): boolean {
  let segs: string[];
  try {
    segs = canonicalSegments(path);
  } catch {
    return false;
  }
  if (segs.length !== template.length) return false;
  return template.every((t, i) => {
    const m = /^\{(\w+)\}$/.exec(t);
    return m ? args[m[1] as string] !== undefined && segs[i] === args[m[1] as string] : segs[i] === t;
  });
}
