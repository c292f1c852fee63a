/**
 * Fault injection per endpoint, for tests and benchmarks of the client's failure handling.
 * A fault matches a method (optional) and an API path (without the configured prefix): a
 * pattern with `:name` or `{name}` segments, or a RegExp.
 */

export type FaultKind =
  | 'latency'
  | 'rate_limited'
  | 'server_error'
  | 'hang'
  | 'reset'
  | 'malformed_json'
  | 'wrong_shape'
  | 'missing_field'
  | 'truncated_pagination'
  // Test-only (no Sentry behaviour): answer with `body` as given, e.g. an error page or proxy
  // that echoes the Authorization header escaped, to test what the client stores and shows.
  | 'raw_body';

export interface FaultSpec {
  method?: string;
  path: string | RegExp;
  kind: FaultKind;
  /** Requests it affects before it retires; unlimited when omitted. */
  times?: number;
  /** latency: added delay in ms. */
  latencyMs?: number;
  /** raw_body: the exact response text (sent as application/json) and its status (default 200). */
  body?: string;
  /** server_error (500/502/503), raw_body, and the failing later page of truncated_pagination (default 500). */
  status?: number;
  /** rate_limited: seconds until X-Sentry-Rate-Limit-Reset (default 1). */
  resetInSec?: number;
  /**
   * wrong_shape: set this field (on each element of a list body, or of the audit log's `rows`)
   * to `value`; missing_field: remove it from each element (or from an object body).
   */
  field?: string;
  value?: unknown;
  /** wrong_shape with `field`: only the element at this index of each page's list. */
  index?: number;
  /**
   * truncated_pagination: first pages always say results="true"; then a later page (one with a
   * cursor) either fails (`next_page_fails`, default) or comes without a Link header (`missing_link`).
   */
  mode?: 'next_page_fails' | 'missing_link';
}

export interface ActiveFault extends FaultSpec {
  readonly id: number;
  /** How many requests it has affected. */
  hits: number;
}

function compilePath(path: string | RegExp): RegExp {
  if (path instanceof RegExp) return path;
  const pattern = path
    .split('/')
    .map((seg) => (/^(:\w+|\{\w+\})$/.test(seg) ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${pattern}$`);
}

export class FaultRegistry {
  private faults: (ActiveFault & { regex: RegExp })[] = [];
  private nextId = 1;

  add(spec: FaultSpec): ActiveFault {
    const fault = { ...spec, id: this.nextId++, hits: 0, regex: compilePath(spec.path) };
    this.faults.push(fault);
    return fault;
  }

  remove(id: number): void {
    this.faults = this.faults.filter((f) => f.id !== id);
  }

  clear(): void {
    this.faults = [];
  }

  list(): readonly ActiveFault[] {
    return this.faults;
  }

  /** Active faults for a request, in the order they were added. */
  matching(method: string, apiPath: string): ActiveFault[] {
    return this.faults.filter(
      (f) =>
        (f.times === undefined || f.hits < f.times) &&
        (!f.method || f.method.toUpperCase() === method) &&
        f.regex.test(apiPath),
    );
  }

  /** Counts one affected request; a fault whose `times` are used up stops matching. */
  consume(fault: ActiveFault): void {
    fault.hits += 1;
  }
}
