import { z } from 'zod';
import type { Change, JournalRecord, OutcomeStatus, PlanTarget, Values } from '../../shared/plan';
import { OutcomeStatusSchema } from '../../shared/plan';
import type { SentryClient } from '../sentry/client';
import { connect, type ConnectOptions, type SentryConnection } from '../sentry/connect';
import { SentryApiError } from '../sentry/errors';
import { JournalWriter } from './journal';
import type { FixDefinition } from '../fixes/types';
import { isCanonicalApiPath } from '../sentry/api-path';
import { describeDifferences, readProbe, sameValues } from './probe';
import { rebuildChanges } from './rebuild';

export type Counts = Record<OutcomeStatus, number>;

export function emptyCounts(): Counts {
  return Object.fromEntries(OutcomeStatusSchema.options.map((s) => [s, 0])) as Counts;
}

export interface ChangeResult {
  readonly change: Change;
  readonly status: OutcomeStatus;
  readonly message: string;
  /** What the last re-read showed. */
  readonly observed?: Values;
  /** Fields of Sentry's answer (the `record` list of the change), secrets removed. */
  readonly response?: { readonly status: number | null; readonly fields: Record<string, Values[string]> };
}

export interface ApplyResult {
  readonly runId: string;
  readonly journalFile: string;
  readonly results: readonly ChangeResult[];
  readonly counts: Counts;
  /** Set when the run stopped early (401, Sentry unreachable, cancelled): the rest is `not_attempted`. */
  readonly fatal?: string;
}

/** What the confirmation sees: the change and its current values (just re-read). */
export interface ConfirmRequest {
  readonly change: Change;
  readonly current: Values;
  readonly index: number;
  readonly total: number;
}

export type ApplyEvent =
  | { kind: 'start'; change: Change; index: number; total: number }
  | { kind: 'result'; result: ChangeResult };

/** Test seams: a crash can be simulated right after a record is written or a request sent. */
export interface ApplyHooks {
  readonly onRecord?: (record: JournalRecord) => void;
  readonly afterSend?: (change: Change) => void;
}

export interface ApplyOptions {
  readonly client: SentryClient;
  readonly kind: 'apply' | 'undo';
  /** The plan digest, or the journal an undo reverses. */
  readonly source: string;
  readonly target: PlanTarget;
  readonly writeHosts: readonly string[];
  readonly changes: readonly Change[];
  readonly journalDir: string;
  readonly confirm: (request: ConfirmRequest) => Promise<boolean>;
  readonly hooks?: ApplyHooks;
  readonly onEvent?: (event: ApplyEvent) => void;
  readonly now?: () => Date;
  /** The HTTP status of the last write the client sent (see `connectForTarget`). */
  readonly lastWriteStatus?: () => number | undefined;
  /**
   * Cancels the run between changes: a change already sent is re-read and recorded as usual
   * (stopping mid-change would leave its outcome unknown); the rest become `not_attempted`.
   */
  readonly signal?: AbortSignal;
  /** The fix catalog requests are rebuilt from (tests only; default: every fix). */
  readonly fixes?: readonly FixDefinition[];
}

/** `fatal` of a run the person cancelled. */
export const CANCELLED_FATAL = 'Cancelled by the person applying the changes; the remaining changes were not sent.';

/** Errors after which nothing else can succeed: stop, and say so. */
const FATAL_CODES: ReadonlySet<string> = new Set(['unauthorized', 'unreachable', 'timeout', 'tls', 'cancelled', 'invalid_url', 'insecure_url']);

export function isFatal(e: unknown): boolean {
  return e instanceof SentryApiError && FATAL_CODES.has(e.code);
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : 'unexpected failure';
}

/** The origin a change's request goes to, which must be one of the plan's write hosts. */
export function hostOf(client: SentryClient, host: 'region' | 'control'): string {
  return host === 'region' ? client.regionBase.url : client.controlBase.url;
}

/**
 * Refuses a session whose hosts or organization are not those of the plan: the plan was made for
 * one organization on one Sentry, and only its hosts are ever written to.
 */
export function checkTarget(connection: Pick<SentryConnection, 'client' | 'organization'>, target: PlanTarget, writeHosts: readonly string[], changes: readonly Change[]): void {
  const org = connection.organization.value;
  if (org.id !== target.org.id || org.slug !== target.org.slug) {
    throw new SentryApiError({
      code: 'invalid_input',
      message: `The plan was made for organization ${target.org.slug} (id ${target.org.id}), but ${target.org.slug} at ${target.url} is now id ${org.id}: refusing to apply.`,
    });
  }
  for (const c of changes) {
    const host = hostOf(connection.client, c.request.host);
    if (!writeHosts.includes(host)) {
      throw new SentryApiError({
        code: 'invalid_input',
        message: `Change ${c.id} would write to ${host}, which is not a host of the plan's target (${writeHosts.join(', ')}): refusing to apply.`,
      });
    }
  }
}

/** Connects to the plan's target with the token; the caller closes the client. */
export async function connectForTarget(
  target: PlanTarget,
  options: Omit<ConnectOptions, 'baseUrl' | 'orgSlug'>,
): Promise<SentryConnection & { lastWriteStatus: () => number | undefined }> {
  let last: number | undefined;
  const connection = await connect({
    ...options,
    baseUrl: target.url,
    orgSlug: target.org.slug,
    onResponse: (record, bytes) => {
      if (record.method !== 'GET') last = record.status;
      options.onResponse?.(record, bytes);
    },
  });
  return { ...connection, lastWriteStatus: () => last };
}

// ---- response recording -------------------------------------------------------------------------

const DSN_WITH_SECRET = /(\w+:\/\/[^:@/\s]+):[^@/\s]+@/g;

/** Removes every `secret` field and the secret part of any DSN-like URL. */
export function redactSecrets(value: unknown): Values[string] {
  if (typeof value === 'string') return value.replace(DSN_WITH_SECRET, '$1:[redacted]@');
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, Values[string]> = {};
    for (const [k, v] of Object.entries(value)) {
      if (/secret/i.test(k)) continue;
      out[k] = redactSecrets(v);
    }
    return out;
  }
  if (value === undefined) return null;
  return value as Values[string];
}

function pickFields(body: unknown, paths: readonly string[]): Record<string, Values[string]> {
  const out: Record<string, Values[string]> = {};
  for (const p of paths) {
    let cur: unknown = body;
    for (const step of p.split('.')) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[step] : undefined;
    if (cur !== undefined) out[p] = redactSecrets(cur);
  }
  return out;
}

// ---- the run ----------------------------------------------------------------------------------

/**
 * Applies changes one by one: re-read (skip on drift), confirm, journal the intent (fsync), send,
 * journal the response, re-read and verify, journal the outcome. One failed change never stops the
 * others; a fatal error stops the run with an outcome recorded for every change.
 */
export async function applyChanges(options: ApplyOptions): Promise<ApplyResult> {
  const { client } = options;
  // Every request is rebuilt from the fix catalog; what a file said is never sent (throws RebuildError).
  const changes = rebuildChanges(options.changes, options.target.org.slug, options.fixes);
  const journal = JournalWriter.create(options.journalDir, {
    kind: options.kind,
    orgSlug: options.target.org.slug,
    ...(options.now ? { now: options.now } : {}),
    ...(options.hooks?.onRecord ? { onRecord: options.hooks.onRecord } : {}),
  });
  const results: ChangeResult[] = [];
  const statusOf = new Map<string, OutcomeStatus>();
  let fatal: string | undefined;
  try {
    journal.write({
      phase: 'run',
      kind: options.kind,
      source: options.source,
      target: options.target,
      writeHosts: [...options.writeHosts],
      changes: [...changes],
    });
    const finish = (result: ChangeResult, reconciled?: boolean): void => {
      journal.write({
        phase: 'outcome',
        changeId: result.change.id,
        status: result.status,
        message: result.message,
        ...(result.observed ? { observed: result.observed } : {}),
        ...(reconciled ? { reconciled } : {}),
      });
      statusOf.set(result.change.id, result.status);
      results.push(result);
      options.onEvent?.({ kind: 'result', result });
    };

    for (const [i, change] of changes.entries()) {
      if (fatal === undefined && options.signal?.aborted === true) fatal = CANCELLED_FATAL;
      if (fatal !== undefined) {
        finish({
          change,
          status: 'not_attempted',
          message: fatal === CANCELLED_FATAL ? 'Not attempted: the person cancelled the run before this change.' : `Not attempted: the run stopped (${fatal}).`,
        });
        continue;
      }
      options.onEvent?.({ kind: 'start', change, index: i + 1, total: changes.length });
      const missing = change.dependsOn.filter((d) => {
        const s = statusOf.get(d);
        return s !== 'applied' && s !== 'already_applied';
      });
      if (missing.length > 0) {
        finish({ change, status: 'blocked', message: `Not sent: it depends on ${missing.join(', ')}, which was not applied.` });
        continue;
      }

      // 1. Re-read: the plan's "before" must still hold.
      let current: Values;
      try {
        current = await readProbe(client, change.probe);
      } catch (e) {
        if (isFatal(e)) fatal = errorText(e);
        finish({ change, status: isFatal(e) ? 'not_attempted' : 'failed', message: `Could not re-read ${change.probe.path}: ${errorText(e)}` });
        continue;
      }
      if (!sameValues(current, change.before)) {
        const done = sameValues(current, change.after);
        finish({
          change,
          status: done ? 'already_applied' : 'drifted',
          message: done
            ? 'Nothing sent: the resource already has the planned value.'
            : 'Nothing sent: the resource changed since the plan was made (drift); make a new plan.',
          observed: current,
        });
        continue;
      }

      // 2. Confirmation.
      if (!(await options.confirm({ change, current, index: i + 1, total: changes.length }))) {
        finish({ change, status: 'declined', message: 'Not confirmed; nothing sent.' });
        continue;
      }

      // 3. Intent, durable before anything is sent.
      journal.write({ phase: 'intent', changeId: change.id, observed: current, after: change.after });

      // 4. Send.
      let response: ChangeResult['response'];
      let sendError: unknown;
      try {
        if (!isCanonicalApiPath(change.request.path)) throw new SentryApiError({ code: 'invalid_input', message: `${change.request.path} is not a canonical API path; nothing sent` });
        const body = await client.request(change.request.method, change.request.path, {
          schema: z.unknown(),
          expectNoContent: true,
          host: change.request.host,
          ...(change.request.body === undefined ? {} : { body: change.request.body }),
        });
        options.hooks?.afterSend?.(change);
        response = { status: options.lastWriteStatus?.() ?? (body === null ? 204 : 200), fields: pickFields(body, change.record) };
        journal.write({ phase: 'response', changeId: change.id, status: response.status, ok: true, fields: response.fields });
      } catch (e) {
        options.hooks?.afterSend?.(change);
        sendError = e;
        const status = e instanceof SentryApiError ? (e.status ?? null) : null;
        response = { status, fields: {} };
        journal.write({
          phase: 'response',
          changeId: change.id,
          status,
          ok: false,
          fields: {},
          error: { code: e instanceof SentryApiError ? e.code : 'internal', message: errorText(e) },
        });
      }

      // A definite refusal (4xx other than 429) changed nothing.
      // A refused connection never reached Sentry either.
      const definite =
        sendError instanceof SentryApiError &&
        ((sendError.status !== undefined && sendError.status >= 400 && sendError.status < 500 && sendError.status !== 429) ||
          sendError.networkCause === 'refused' ||
          sendError.networkCause === 'dns');
      if (sendError !== undefined && definite) {
        finish({ change, status: 'failed', message: `Sentry refused the change: ${errorText(sendError)}`, response });
        if (isFatal(sendError)) fatal = errorText(sendError);
        continue;
      }

      // 5. Verify (also after a lost answer: the write may have gone through).
      let observed: Values;
      try {
        observed = await readProbe(client, change.probe);
      } catch (e) {
        if (isFatal(e) || isFatal(sendError)) fatal = errorText(sendError ?? e);
        finish({
          change,
          status: 'uncertain',
          message: `${sendError === undefined ? 'Sent' : `Sending failed (${errorText(sendError)})`}, and the re-read failed (${errorText(e)}): the outcome is unknown; check ${change.probe.path}.`,
          response,
        });
        continue;
      }
      const holds = sameValues(observed, change.after);
      journal.write({ phase: 'verified', changeId: change.id, observed, holds });
      if (holds) {
        finish({
          change,
          status: 'applied',
          message: sendError === undefined ? 'Applied and verified.' : `Sentry's answer was lost (${errorText(sendError)}), but the re-read shows the change in effect.`,
          observed,
          response,
        });
      } else if (sendError !== undefined) {
        finish({ change, status: sameValues(observed, change.before) ? 'failed' : 'uncertain', message: `The request failed: ${errorText(sendError)}`, observed, response });
      } else {
        finish({
          change,
          status: 'not_effective',
          message: sameValues(observed, change.before)
            ? 'Sentry accepted the change but the re-read still shows the old value (ignored, e.g. a feature the plan lacks).'
            : `Sentry accepted the change but the re-read shows something else: ${describeDifferences(observed, change.after)}.`,
          observed,
          response,
        });
      }
      if (isFatal(sendError)) fatal = errorText(sendError);
    }
    const counts = emptyCounts();
    for (const r of results) counts[r.status] += 1;
    journal.write({ phase: 'end', counts, ...(fatal !== undefined ? { fatal } : {}) });
    return { runId: journal.runId, journalFile: journal.file, results, counts, ...(fatal !== undefined ? { fatal } : {}) };
  } finally {
    journal.close();
  }
}

/** 3 when an outcome is uncertain, 2 when the run stopped, 1 when a change was not applied, else 0. */
export function applyExitCode(result: Pick<ApplyResult, 'counts' | 'fatal'>): 0 | 1 | 2 | 3 {
  if (result.counts.uncertain > 0) return 3;
  if (result.fatal !== undefined) return 2;
  const ok = result.counts.applied + result.counts.already_applied;
  const total = Object.values(result.counts).reduce((a, b) => a + b, 0);
  return ok === total ? 0 : 1;
}
