import { DEMO_TOKENS } from '../../simulator';

export interface Got {
  status: number;
  headers: Headers;
  text: string;
  json: () => unknown;
}

/** One request to the simulator; `token: null` sends no Authorization header. */
export async function call(
  base: string,
  path: string,
  opts: { token?: string | null; method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Got> {
  const token = opts.token === undefined ? DEMO_TOKENS.admin : opts.token;
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${base}${path}`, {
    method: opts.method ?? 'GET',
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    redirect: 'manual',
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) as unknown };
}

export interface LinkEntry {
  url: string;
  rel: string;
  results: boolean;
  cursor: string;
}

export function parseLink(header: string | null): LinkEntry[] {
  if (!header) return [];
  const re = /<([^>]*)>; rel="([^"]+)"; results="(true|false)"; cursor="([^"]*)"/g;
  const out: LinkEntry[] = [];
  let m: RegExpExecArray | null;
  while ((m = re.exec(header)) !== null) {
    out.push({ url: m[1] as string, rel: m[2] as string, results: m[3] === 'true', cursor: m[4] as string });
  }
  return out;
}

/** Follows `next` by cursor (rebuilt on our base URL, as clients must) until results="false". */
export async function collectAll(base: string, path: string, token?: string): Promise<{ items: unknown[]; pages: number }> {
  const items: unknown[] = [];
  let pages = 0;
  let cursor: string | null = null;
  for (;;) {
    const sep = path.includes('?') ? '&' : '?';
    const res = await call(base, cursor ? `${path}${sep}cursor=${cursor}` : path, { token });
    if (res.status !== 200) throw new Error(`status ${res.status} on ${path}`);
    pages += 1;
    const body = res.json();
    items.push(...(Array.isArray(body) ? body : ((body as { rows: unknown[] }).rows ?? [])));
    const next = parseLink(res.headers.get('link')).find((l) => l.rel === 'next');
    if (!next || !next.results) return { items, pages };
    cursor = next.cursor;
    if (pages > 1000) throw new Error('runaway pagination');
  }
}
