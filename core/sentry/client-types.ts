import type { z } from 'zod';
import type { Evidence } from '../../shared/finding';
import type { SentryBaseUrl } from './base-url';
import type { RequestScheduler, SchedulerOptions } from './scheduler';
import type { ResponseRecord, Transport } from './transport';
import type { Query } from './routing';

/** The options and results of SentryClient (core/sentry/client.ts), apart so the class file stays readable. */

/** Which host a call goes to: chosen from the path (`auto`), forced, or an explicit region base. */
export type HostChoice = 'auto' | 'control' | 'region' | SentryBaseUrl;

export interface SentryClientOptions {
  /** What the user entered, or an already parsed base. */
  readonly baseUrl: string | SentryBaseUrl;
  /** Read at send time; the client never stores the token. */
  readonly getToken: () => string;
  /** Defaults to the node:http(s) transport (http-transport.ts); a replay transport plugs in here. */
  readonly transport?: Transport;
  /** Per request (each attempt). Default 30 s. */
  readonly timeoutMs?: number;
  /** Extra CA certificate (PEM file) for the default transport. */
  readonly caFile?: string;
  readonly scheduler?: RequestScheduler | SchedulerOptions;
  /** Sees every HTTP response, retried ones included. */
  /**
   * Each recorded response, with the UTF-8 bytes of its stored body (`record.body`, hashed as
   * `record.sha256`): a spool writes them as they are instead of encoding the text again.
   */
  readonly onResponse?: (record: ResponseRecord, bytes: Buffer) => void;
  /** Aborts every request of this client (`cancelled`). */
  readonly signal?: AbortSignal;
  /** Clock for `fetchedAt`. */
  readonly now?: () => Date;
}

export interface RequestOptions<T> {
  readonly query?: Query;
  /** Sent as JSON. */
  readonly body?: unknown;
  /** Validates a JSON body; required unless `expectNoContent`. */
  readonly schema?: z.ZodType<T>;
  /** 204 (or an empty 2xx) is a valid answer and yields `null`. */
  readonly expectNoContent?: boolean;
  readonly host?: HostChoice;
  readonly signal?: AbortSignal;
}

export interface Fetched<T> {
  readonly value: T;
  readonly evidence: Evidence;
}

/** A page that is not a bare array (the audit log's `{rows}`): its shape, its items, their schema. */
export interface PageSpec<P, T> {
  readonly pageSchema: z.ZodType<P>;
  readonly extract: (page: P) => readonly unknown[];
  readonly item: z.ZodType<T>;
}

export interface PaginateOptions {
  readonly query?: Query;
  /** Default 100, Sentry's maximum for most endpoints. */
  readonly perPage?: number;
  /**
   * Read at most this many pages on purpose (e.g. the newest page of the audit log): stopping
   * there is not an error, but the evidence says `complete: false` when more pages exist.
   */
  readonly limitPages?: number;
  readonly host?: HostChoice;
  readonly signal?: AbortSignal;
}

export interface Paginated<T> {
  /** The items that validated; those that did not are in `evidence.invalid`. */
  readonly items: T[];
  readonly evidence: Evidence;
}

