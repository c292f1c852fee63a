import { badRequest } from './http-types';
import type { PageLinks, SimResponse } from './http-types';

/**
 * Sentry's cursor pagination (REFERENCE.md 0.4): `per_page` is validated, never clamped;
 * cursors are `value:offset:is_prev`; the Link header always carries `previous` and `next`.
 */

export interface Cursor {
  value: number;
  offset: number;
  isPrev: boolean;
}

export function parsePerPage(query: URLSearchParams, defaultPerPage = 100, max = 100): number {
  const raw = query.get('per_page');
  if (raw === null) return defaultPerPage;
  if (!/^-?\d+$/.test(raw.trim())) throw badRequest({ detail: 'Invalid per_page parameter.' });
  const n = Number.parseInt(raw, 10);
  if (n < 1 || n > max) throw badRequest({ detail: `Invalid per_page value. Must be between 1 and ${max}.` });
  return n;
}

export function parseCursor(query: URLSearchParams): Cursor | null {
  const raw = query.get('cursor');
  if (raw === null || raw === '') return null;
  const parts = raw.split(':');
  if (parts.length !== 3 || parts.some((p) => !/^-?\d+(\.\d+)?$/.test(p))) {
    throw badRequest({ detail: 'Invalid cursor parameter.' });
  }
  const [value, offset, isPrev] = parts.map(Number) as [number, number, number];
  if (!Number.isInteger(offset) || (isPrev !== 0 && isPrev !== 1)) {
    throw badRequest({ detail: 'Invalid cursor parameter.' });
  }
  return { value, offset, isPrev: isPrev === 1 };
}

export function formatCursor(value: number, offset: number, isPrev: boolean): string {
  return `${value}:${offset}:${isPrev ? 1 : 0}`;
}

/** OffsetPaginator-style page of an in-memory list (`0:<offset>:<is_prev>` cursors). */
export function paginateOffset<T>(
  items: readonly T[],
  query: URLSearchParams,
  opts: { defaultPerPage?: number; maxPerPage?: number } = {},
): { items: T[]; links: PageLinks; hits: number } {
  const perPage = parsePerPage(query, opts.defaultPerPage ?? 100, opts.maxPerPage ?? 100);
  const cursor = parseCursor(query);
  let start = 0;
  if (cursor) {
    start = cursor.isPrev ? cursor.offset - perPage : cursor.offset;
    start = Math.max(0, start);
  }
  const end = Math.min(items.length, start + perPage);
  return {
    items: items.slice(start, end),
    hits: items.length,
    links: {
      prevCursor: formatCursor(0, start, true),
      prevResults: start > 0,
      nextCursor: formatCursor(0, start + perPage, false),
      nextResults: end < items.length,
    },
  };
}

/**
 * DateTimePaginator-style page over rows sorted newest first: cursor value = epoch ms of a row's
 * date, offset = rows with that same date to skip (ties), as Sentry's BasePaginator does.
 */
export function paginateByDate<T>(
  rowsNewestFirst: readonly T[],
  dateMs: (row: T) => number,
  query: URLSearchParams,
  opts: { defaultPerPage?: number; maxPerPage?: number } = {},
): { items: T[]; links: PageLinks; hits: number } {
  const perPage = parsePerPage(query, opts.defaultPerPage ?? 100, opts.maxPerPage ?? 100);
  const cursor = parseCursor(query);
  const rows = rowsNewestFirst;
  // Index of the first row whose date is <= value (rows are descending).
  const firstAtOrBelow = (value: number): number => {
    const i = rows.findIndex((r) => dateMs(r) <= value);
    return i === -1 ? rows.length : i;
  };
  let start = 0;
  if (cursor) {
    const base = firstAtOrBelow(cursor.value) + cursor.offset;
    start = cursor.isPrev ? Math.max(0, base - perPage) : base;
  }
  start = Math.min(start, rows.length);
  const end = Math.min(rows.length, start + perPage);
  const page = rows.slice(start, end);
  const cursorFor = (index: number, isPrev: boolean): string => {
    if (index >= rows.length || index < 0) return formatCursor(0, 0, isPrev);
    const row = rows[index] as T;
    const ms = dateMs(row);
    return formatCursor(ms, index - firstAtOrBelow(ms), isPrev);
  };
  return {
    items: page,
    hits: rows.length,
    links: {
      prevCursor: cursorFor(start, true),
      prevResults: start > 0,
      nextCursor: end < rows.length ? cursorFor(end, false) : formatCursor(0, 0, false),
      nextResults: end < rows.length,
    },
  };
}

/** A paged JSON response with X-Hits (Sentry sends it when it counted). */
export function pageResponse<T>(page: { items: T[]; links: PageLinks; hits: number }, body?: unknown): SimResponse {
  return {
    status: 200,
    body: body ?? page.items,
    page: page.links,
    headers: { 'X-Hits': String(page.hits), 'X-Max-Hits': '1000' },
  };
}

/**
 * `<base?query-without-cursor&cursor=C>; rel="previous"; results="false"; cursor="C", <...>; rel="next"; ...`
 * With no other parameters the URL reads `?&cursor=` exactly like Sentry's.
 */
export function renderLinkHeader(baseUrl: string, query: URLSearchParams, links: PageLinks): string {
  const rest = new URLSearchParams(query);
  rest.delete('cursor');
  const qs = rest.toString();
  const one = (rel: 'previous' | 'next', cursor: string, results: boolean): string =>
    `<${baseUrl}?${qs}&cursor=${cursor}>; rel="${rel}"; results="${results ? 'true' : 'false'}"; cursor="${cursor}"`;
  return `${one('previous', links.prevCursor, links.prevResults)}, ${one('next', links.nextCursor, links.nextResults)}`;
}
