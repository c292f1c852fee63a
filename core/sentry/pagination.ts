/** One entry of Sentry's `Link` header (REFERENCE.md 0.4). */
export interface LinkEntry {
  readonly url: string;
  readonly rel: string;
  readonly results: boolean;
  readonly cursor: string;
}

export interface PaginationLinks {
  readonly previous?: LinkEntry;
  readonly next?: LinkEntry;
}

// `<url>; rel="next"; results="true"; cursor="0:100:0"`; entries are joined by ", ". The URL is
// taken between angle brackets so commas inside it cannot split an entry.
const ENTRY = /<([^>]*)>((?:\s*;\s*[A-Za-z_-]+\s*=\s*"[^"]*")*)/g;
const PARAM = /;\s*([A-Za-z_-]+)\s*=\s*"([^"]*)"/g;

/**
 * Parses a Link header. Returns undefined when it is absent or has no well-formed `next` entry
 * (`results` must be "true" or "false"; a "true" needs a cursor).
 */
export function parseLinkHeader(header: string | undefined): PaginationLinks | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const links: { previous?: LinkEntry; next?: LinkEntry } = {};
  for (const m of header.matchAll(ENTRY)) {
    const params: Record<string, string> = {};
    for (const p of (m[2] ?? '').matchAll(PARAM)) params[(p[1] ?? '').toLowerCase()] = p[2] ?? '';
    const rel = params['rel'];
    const results = params['results'];
    if ((rel !== 'next' && rel !== 'previous') || (results !== 'true' && results !== 'false')) continue;
    links[rel] = { url: m[1] ?? '', rel, results: results === 'true', cursor: params['cursor'] ?? '' };
  }
  const next = links.next;
  if (!next) return undefined;
  if (next.results && !isPlausibleCursor(next.cursor)) return undefined;
  return links;
}

/**
 * Cursors look like `0:100:0` or `1714557600000:0:0`. Paginators differ in the first part, so we
 * only insist on a short token without spaces or header punctuation.
 */
export function isPlausibleCursor(cursor: string): boolean {
  return /^[^\s"<>,;\\]{1,200}$/.test(cursor) && cursor.includes(':');
}
