import { redactResponseBody } from '../primitives/redact';
import { z } from 'zod';
import type { Evidence, EvidencePage, InvalidItem } from '../../shared/finding';
import { expandScopes } from '../../shared/scopes';
import type { SentryBaseUrl } from './base-url';
import { SAAS_CONTROL_URL, parseBaseUrl, trustedRegionUrl } from './base-url';
import { SentryApiError } from './errors';
import { parseItems } from './items';
import { parseLinkHeader } from './pagination';
import type { SchedulerStats } from './scheduler';
import { RequestScheduler } from './scheduler';
import type { HttpMethod, ResponseRecord, Transport, TransportResponse } from './transport';
import { RECORDED_HEADERS, createHttpTransport, sha256Hex } from './transport';
import type { AnswerContext } from './answer';
import { asApiError, interpretResponse } from './answer';
import { cleanText, evidencePage, stripEndpoint } from './response-text';
import { encodeQuery, flatQuery, isControlPath } from './routing';

import type { Query } from './routing';

export { apiPath, isControlPath } from './routing';
export type { Query, QueryValue } from './routing';

export type { HostChoice, SentryClientOptions, RequestOptions, Fetched, PageSpec, PaginateOptions, Paginated } from './client-types';
import type { HostChoice, SentryClientOptions, RequestOptions, Fetched, PageSpec, PaginateOptions, Paginated } from './client-types';

/** Resolves in the event loop's check phase, after the pending I/O callbacks of this turn. */
function afterIo(): Promise<void> {
  return new Promise((resolve) => {
    turns.push(resolve);
    if (!pumping) {
      pumping = true;
      setImmediate(nextTurn);
    }
  });
}

// Answers are processed one per event-loop turn: resolved together, the ten answers of a burst
// ran back to back (about 2 ms each at 1,000 projects) before the loop read the next answers off
// their sockets, so each of those freed its slot, and sent the next request, up to 20 ms late.
// An immediate queued while immediates run waits for the next turn, after the loop has polled.
const turns: (() => void)[] = [];
let turnHead = 0;
let pumping = false;
function nextTurn(): void {
  const resolve = turns[turnHead];
  turns[turnHead] = undefined as never;
  turnHead += 1;
  if (turnHead === turns.length) {
    turns.length = 0;
    turnHead = 0;
  }
  resolve?.();
  if (turnHead < turns.length) setImmediate(nextTurn);
  else pumping = false;
}

function startsWithBom(b: Buffer): boolean {
  return b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;
}

/** A chain longer than this is treated as broken (a server looping on cursors). */
const MAX_PAGES = 10_000;

interface Exchange {
  readonly res: TransportResponse;
  readonly record: ResponseRecord;
}

/**
 * The Sentry REST client: routes calls to the control or region host, schedules them within
 * rate limits, validates every answer with zod and turns every failure into a `SentryApiError`
 * whose message names the endpoint and never the token.
 */
export class SentryClient {
  /** What the user entered. */
  readonly base: SentryBaseUrl;
  readonly scheduler: RequestScheduler;
  private readonly transport: Transport;
  private readonly getToken: () => string;
  private readonly timeoutMs: number;
  private readonly onResponse: ((record: ResponseRecord, bytes: Buffer) => void) | undefined;
  private readonly signal: AbortSignal | undefined;
  private readonly clock: () => Date;
  private control: SentryBaseUrl;
  private region: SentryBaseUrl;
  private tokenScopes: ReadonlySet<string> | undefined;
  private orgAccess: ReadonlySet<string> | undefined;
  private readonly records = new WeakMap<TransportResponse, ResponseRecord>();
  /** The recorded body as redaction parsed it, when recording changed nothing: parsed once, not twice. */
  private readonly parsedBodies = new WeakMap<TransportResponse, { value: unknown }>();

  constructor(options: SentryClientOptions) {
    this.base = typeof options.baseUrl === 'string' ? parseBaseUrl(options.baseUrl) : options.baseUrl;
    this.getToken = options.getToken;
    this.transport = options.transport ?? createHttpTransport({ getToken: options.getToken, caFile: options.caFile });
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.scheduler =
      options.scheduler instanceof RequestScheduler ? options.scheduler : new RequestScheduler(options.scheduler);
    this.onResponse = options.onResponse;
    this.signal = options.signal;
    this.clock = options.now ?? (() => new Date());
    // On sentry.io control endpoints live on sentry.io whichever region the user picked.
    this.control = this.base.deployment === 'saas' ? parseBaseUrl(SAAS_CONTROL_URL) : this.base;
    this.region = this.base;
  }

  get controlBase(): SentryBaseUrl {
    return this.control;
  }

  get regionBase(): SentryBaseUrl {
    return this.region;
  }

  /**
   * Sends org- and project-scoped calls to `regionUrl` (an org's `links.regionUrl`) when it is a
   * host we may send the token to (see `trustedRegionUrl`). Returns whether it was adopted.
   */
  useRegion(regionUrl: string): boolean {
    const trusted = trustedRegionUrl(this.base, regionUrl);
    if (!trusted) return false;
    this.region = trusted;
    return true;
  }

  /** The token's scopes (GET /api/0/) and its effective scopes in the org (organization `access`). */
  /** The token's scopes after expansion, once GET /api/0/ told them; null before. */
  scopesHeld(): ReadonlySet<string> | null {
    return this.tokenScopes ?? null;
  }

  setScopes(scopes: { readonly token?: readonly string[]; readonly orgAccess?: readonly string[] }): void {
    if (scopes.token) this.tokenScopes = expandScopes(scopes.token);
    if (scopes.orgAccess) this.orgAccess = new Set(scopes.orgAccess);
  }

  stats(): SchedulerStats {
    return this.scheduler.stats();
  }

  close(): void {
    this.transport.close?.();
  }

  /** One request; the value validated by `schema`. */
  request<T>(method: HttpMethod, path: string, options: RequestOptions<T> & { expectNoContent: true }): Promise<T | null>;
  request<T>(method: HttpMethod, path: string, options: RequestOptions<T> & { schema: z.ZodType<T> }): Promise<T>;
  async request<T>(method: HttpMethod, path: string, options: RequestOptions<T>): Promise<T | null> {
    const { value } = await this.fetchOne(method, path, options);
    return value;
  }

  /** A GET with the evidence behind it. */
  read<T>(path: string, schema: z.ZodType<T>, options: Omit<RequestOptions<T>, 'schema' | 'body'> & { expectNoContent: true }): Promise<Fetched<T | null>>;
  read<T>(path: string, schema: z.ZodType<T>, options?: Omit<RequestOptions<T>, 'schema' | 'body'>): Promise<Fetched<T>>;
  async read<T>(path: string, schema: z.ZodType<T>, options: Omit<RequestOptions<T>, 'schema' | 'body'> = {}): Promise<Fetched<T | null>> {
    return this.fetchOne('GET', path, { ...options, schema });
  }

  /**
   * An unpaginated list GET whose items are validated one by one (see `parseItems`): the value
   * holds those that validated, `evidence.invalid` names the others.
   */
  async readList<T>(path: string, item: z.ZodType<T>, options: Omit<RequestOptions<T>, 'schema' | 'body'> = {}): Promise<Fetched<T[]>> {
    const { value, evidence } = await this.fetchOne('GET', path, { ...options, schema: z.array(z.unknown()) });
    const raw = value ?? [];
    const parsed = parseItems(raw, item);
    return {
      value: parsed.items,
      evidence: {
        ...evidence,
        items: raw.length,
        responses: evidence.responses.map((p) => ({ ...p, items: raw.length })),
        ...(parsed.invalid.length > 0 ? { invalid: parsed.invalid } : {}),
      },
    };
  }

  /**
   * Every page of a paginated GET, following the `cursor` of the Link header on the host we
   * called (REFERENCE.md 0.4). A missing or garbled Link header, or a later page that fails, is
   * `incomplete_pagination` with the evidence of the pages read.
   */
  paginate<T>(path: string, item: z.ZodType<T>, options?: PaginateOptions): Promise<Paginated<T>>;
  paginate<P, T>(path: string, spec: PageSpec<P, T>, options?: PaginateOptions): Promise<Paginated<T>>;
  async paginate<P, T>(
    path: string,
    spec: z.ZodType<T> | PageSpec<P, T>,
    options: PaginateOptions = {},
  ): Promise<Paginated<T>> {
    // The page's shape is checked whole (an object where a list belongs is malformed), its items
    // one by one (one odd item is set aside, not the list).
    const pageSchema: z.ZodType<unknown> = 'pageSchema' in spec ? spec.pageSchema : z.array(z.unknown());
    const itemSchema: z.ZodType<T> = 'pageSchema' in spec ? spec.item : spec;
    const extract = (page: unknown): readonly unknown[] =>
      'pageSchema' in spec ? spec.extract(page as P) : (page as readonly unknown[]);
    const base = this.baseFor(path, options.host);
    const query: Query = { ...options.query, per_page: options.perPage ?? 100 };
    const endpoint = `GET ${path}`;
    const items: T[] = [];
    const invalid: InvalidItem[] = [];
    const pages: EvidencePage[] = [];
    const evidence = (complete: boolean): Evidence => ({
      method: 'GET',
      endpoint: path,
      query: flatQuery(query),
      pages: pages.length,
      items: items.length + invalid.length,
      complete,
      fetchedAt: pages[0]?.fetchedAt ?? this.clock().toISOString(),
      responses: [...pages],
      ...(invalid.length > 0 ? { invalid: [...invalid] } : {}),
    });
    const broken = (why: string): SentryApiError => {
      const good = pages.filter((p) => p.status < 300).length;
      return new SentryApiError({
        code: 'incomplete_pagination',
        endpoint,
        message: this.redact(`${endpoint}: ${why} Only ${items.length} items from ${good} page${good === 1 ? '' : 's'} were read.`),
        evidence: evidence(false),
      });
    };
    const seen = new Set<string>();
    let cursor: string | undefined;
    // The next page is asked for as soon as a page's headers name it, while that page is still
    // redacted and validated: a 500-page member list no longer waits on its own processing between
    // pages. One page ahead at most; one the loop then does not read (the page before it failed)
    // is cancelled when the loop ends.
    let prefetched: { cursor: string; exchange: Promise<Exchange> } | undefined;
    let loopPage = 1;
    const stopPrefetch = new AbortController();
    const prefetchSignal = options.signal ? AbortSignal.any([options.signal, stopPrefetch.signal]) : stopPrefetch.signal;
    const prefetchAfter = (pageNo: number) => (res: TransportResponse): void => {
      // A page that arrived before the loop reached it: the loop starts its successor (below).
      if (pageNo !== loopPage || prefetched !== undefined) return;
      if (res.status < 200 || res.status >= 300) return;
      const next = parseLinkHeader(res.headers['link'])?.next;
      if (!next?.results || seen.has(next.cursor) || pageNo >= MAX_PAGES) return;
      if (options.limitPages !== undefined && pageNo >= options.limitPages) return;
      const ahead = this.exchange('GET', path, { ...query, cursor: next.cursor }, undefined, base, prefetchSignal, true, prefetchAfter(pageNo + 1));
      ahead.catch(() => undefined); // awaited by the loop when it reads that page; ignored otherwise
      prefetched = { cursor: next.cursor, exchange: ahead };
    };
    try {
    for (let pageNo = 1; ; pageNo++) {
      let exchange: Exchange | undefined;
      let pageItems: readonly unknown[];
      try {
        loopPage = pageNo;
        const ahead = prefetched !== undefined && cursor !== undefined && prefetched.cursor === cursor ? prefetched.exchange : undefined;
        prefetched = undefined;
        exchange = await (ahead ?? this.exchange('GET', path, { ...query, cursor }, undefined, base, options.signal, cursor !== undefined, prefetchAfter(pageNo)));
        if (prefetched === undefined) prefetchAfter(pageNo)(exchange.res);
        pageItems = extract(this.interpret('GET', path, exchange.res, pageSchema, false));
      } catch (e) {
        // The failed response is evidence too (status, hash), with no items.
        if (exchange) pages.push(evidencePage(exchange.record, 0));
        const err = asApiError(e, endpoint, (text) => this.redact(text));
        if (pageNo === 1 || err.code === 'cancelled') throw err.withEvidence(evidence(false));
        throw broken(`page ${pageNo} failed (${err.code}: ${stripEndpoint(err.message, endpoint).replace(/\.$/, '')}).`);
      }
      const res = exchange.res;
      const parsed = parseItems(pageItems, itemSchema, items.length + invalid.length);
      items.push(...parsed.items);
      invalid.push(...parsed.invalid);
      pages.push(evidencePage(exchange.record, pageItems.length));
      const links = parseLinkHeader(res.headers['link']);
      if (!links?.next) {
        throw broken(
          res.headers['link'] === undefined
            ? `page ${pageNo} has no Link header, so we cannot tell whether more results exist.`
            : `page ${pageNo} has a Link header we cannot read (no well-formed "next" entry).`,
        );
      }
      if (!links.next.results) return { items, evidence: evidence(true) };
      if (options.limitPages !== undefined && pageNo >= options.limitPages) return { items, evidence: evidence(false) };
      if (pageNo >= MAX_PAGES) throw broken(`more than ${MAX_PAGES} pages.`);
      if (seen.has(links.next.cursor)) throw broken(`page ${pageNo} points back to a cursor already read.`);
      seen.add(links.next.cursor);
      cursor = links.next.cursor;
    }
    } finally {
      if (prefetched !== undefined) stopPrefetch.abort();
    }
  }

  // --- internals -------------------------------------------------------------------------------

  private async fetchOne<T>(method: HttpMethod, path: string, options: RequestOptions<T>): Promise<Fetched<T | null>> {
    const endpoint = `${method} ${path}`;
    const base = this.baseFor(path, options.host);
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    let exchange: Exchange | undefined;
    const evidence = (complete: boolean, items: number): Evidence => ({
      method,
      endpoint: path,
      query: flatQuery(options.query),
      pages: exchange ? 1 : 0,
      items,
      complete,
      fetchedAt: exchange?.record.fetchedAt ?? this.clock().toISOString(),
      responses: exchange ? [evidencePage(exchange.record, items)] : [],
    });
    try {
      exchange = await this.exchange(method, path, options.query, body, base, options.signal);
      const value = this.interpret(method, path, exchange.res, options.schema, options.expectNoContent ?? false) as T | null;
      return { value, evidence: evidence(true, value === null ? 0 : 1) };
    } catch (e) {
      throw asApiError(e, endpoint, (text) => this.redact(text)).withEvidence(evidence(false, 0));
    }
  }

  private baseFor(path: string, host: HostChoice | undefined): SentryBaseUrl {
    if (host === undefined || host === 'auto') return isControlPath(path) ? this.control : this.region;
    if (host === 'control') return this.control;
    if (host === 'region') return this.region;
    // An explicit base must be one we would trust as a region.
    const trusted = trustedRegionUrl(this.base, host.url);
    if (!trusted) {
      throw new SentryApiError({ code: 'invalid_url', message: `Refusing to send the token to ${host.origin}: not a host of this Sentry.` });
    }
    return trusted;
  }

  private async exchange(
    method: HttpMethod,
    path: string,
    query: Query | undefined,
    body: string | undefined,
    base: SentryBaseUrl,
    signal: AbortSignal | undefined,
    urgent = false,
    onAnswer?: (res: TransportResponse) => void,
  ): Promise<Exchange> {
    if (!/^\/api\/0\/([^/?#\s]+\/)*$/.test(path) || path.split('/').some((s) => s === '..' || s === '.')) {
      throw new SentryApiError({ code: 'internal', message: `Not an API path: ${cleanText(path)}` });
    }
    const pathAndQuery = path + encodeQuery(query);
    const endpoint = `${method} ${path}`;
    const combined = this.combineSignals(signal);
    // Responses are recorded (redacted, hashed) after the scheduler frees the request's slot,
    // so that CPU work never holds back the next request; retried attempts are recorded too.
    const attempts: TransportResponse[] = [];
    let res: TransportResponse;
    try {
      res = await this.scheduler.run({ method, endpoint, signal: combined, urgent }, async () => {
        const r = await this.transport.send({ method, base: base.url, pathAndQuery, body, timeoutMs: this.timeoutMs, signal: combined });
        attempts.push(r);
        return r;
      });
      // Before this answer is processed: a list's next page is asked for from the headers alone.
      onAnswer?.(res);
    } finally {
      // Answers arrive in bursts (ten requests sent together come back together). Yielding to the
      // event loop first lets every answer of the burst free its slot and send the next request
      // before any body is redacted and validated: processing one answer no longer delays the
      // next request of the other nine (wall time, issue 10).
      await afterIo();
      for (const r of attempts) this.record(method, base, pathAndQuery, r);
    }
    const record = this.records.get(res);
    if (!record) throw new SentryApiError({ code: 'internal', endpoint, message: `${endpoint}: response was not recorded.` });
    return { res, record };
  }

  private combineSignals(signal: AbortSignal | undefined): AbortSignal | undefined {
    if (!signal) return this.signal;
    if (!this.signal) return signal;
    return AbortSignal.any([signal, this.signal]);
  }

  private record(method: HttpMethod, base: SentryBaseUrl, pathAndQuery: string, res: TransportResponse): void {
    const headers: Record<string, string> = {};
    for (const name of RECORDED_HEADERS) {
      const v = res.headers[name];
      if (v !== undefined) headers[name] = this.redact(v);
    }
    let body: string;
    let bytes: Buffer;
    let sha256: string;
    let unchanged: boolean;
    let parsed: unknown;
    if (res.stored) {
      // A replayed evidence body: stored redacted, its hash checked by the replay transport.
      body = this.redact(res.stored.text);
      unchanged = body === res.stored.text;
      bytes = unchanged ? res.body : Buffer.from(body, 'utf8');
      sha256 = unchanged ? res.stored.sha256 : sha256Hex(bytes);
    } else {
      // What is recorded is what an evidence package may store: DSN secrets, tokens and other
      // credentials redacted, and our own token too. `sha256` names those stored bytes, so anyone
      // holding the package can check a finding's evidence against its raw/ file.
      // The token is passed by value so it is found in any encoding (JSON-escaped, URL-encoded, base64).
      const redacted = redactResponseBody(res.body, { secrets: this.secrets() });
      body = this.redact(redacted.text);
      unchanged = redacted.redactions === 0 && body === redacted.text;
      // An unchanged JSON body was decoded from these very bytes as UTF-8: they are what is stored,
      // and are hashed as they are, not encoded again (a leading BOM is the one thing decoding drops).
      bytes = unchanged && redacted.mode === 'json' && !startsWithBom(res.body) ? res.body : Buffer.from(body, 'utf8');
      sha256 = sha256Hex(bytes);
      parsed = unchanged ? redacted.parsed : undefined;
    }
    const record: ResponseRecord = {
      method,
      origin: base.url,
      url: pathAndQuery,
      status: res.status,
      fetchedAt: res.fetchedAt ?? this.clock().toISOString(),
      sha256,
      body,
      headers,
    };
    if (!unchanged) (record as { bodyRedacted?: boolean }).bodyRedacted = true;
    this.records.set(res, record);
    if (parsed !== undefined) this.parsedBodies.set(res, { value: parsed });
    this.onResponse?.(record, bytes);
  }

  /** Maps a final response to a value or a typed error. */
  private interpret(method: HttpMethod, path: string, res: TransportResponse, schema: z.ZodType<unknown> | undefined, expectNoContent: boolean): unknown {
    const ctx: AnswerContext = {
      recordedBody: this.records.get(res)?.body,
      recordedValue: this.parsedBodies.get(res),
      redact: (text) => this.redact(text),
      tokenScopes: this.tokenScopes,
      orgAccess: this.orgAccess,
    };
    return interpretResponse(ctx, method, path, res, schema, expectNoContent);
  }

  private secrets(): string[] {
    try {
      return [this.getToken()];
    } catch {
      return [];
    }
  }

  /** Last line of defence: no message or record ever carries the token, whatever a server echoes. */
  private redact(text: string): string {
    let token = '';
    try {
      token = this.getToken();
    } catch {
      return text;
    }
    return token.length >= 8 && text.includes(token) ? text.split(token).join('[redacted]') : text;
  }
}
