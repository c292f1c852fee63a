import type { z } from 'zod';
import type { ErrorInfo, Result } from '../../shared/errors';
import { ErrorCodeSchema } from '../../shared/errors';
import type { EventName } from '../../shared/ipc/channel-names';
import type { Channels, EventPayloadOf } from '../../shared/ipc/contract';
import { formatIssues } from '../../shared/ipc/issues';
import { isSameOrigin } from './url-policy';

/**
 * The IPC router's core, free of Electron so it runs in plain Node tests. For each call it:
 * refuses senders that are not the app's own window, refuses unknown channels, parses the
 * payload with the channel's request schema, runs the handler, checks the handler's answer
 * against the response schema (stripping fields the contract does not name), and returns a
 * Result. It never throws and never forwards a raw error: unknown errors become `internal`.
 */

/** What main knows about the frame that sent an IPC message. */
export interface SenderInfo {
  readonly webContentsId: number;
  /** The sending frame's URL; null when the frame is gone. */
  readonly frameUrl: string | null;
  readonly isMainFrame: boolean;
}

export type IsTrustedSender = (sender: SenderInfo) => boolean;

export type Emit = <E extends EventName>(event: E, payload: EventPayloadOf<E>) => void;

export interface HandlerContext {
  readonly sender: SenderInfo;
  /** Sends an event to the window that made the call. */
  readonly emit: Emit;
}

export interface ChannelSpec {
  readonly request: z.ZodType;
  readonly response: z.ZodType;
}

export type HandlersFor<T extends Record<string, ChannelSpec>> = {
  readonly [C in keyof T]: (
    request: z.output<T[C]['request']>,
    ctx: HandlerContext,
  ) => Promise<z.input<T[C]['response']>>;
};

/** One handler per channel of the app's contract. */
export type Handlers = HandlersFor<Channels>;

export type Router = (channel: string, sender: SenderInfo, payload: unknown, emit?: Emit) => Promise<Result<unknown>>;

export interface RouterOptions {
  /** Told about errors that are not expected failures (bugs); never shown to the window. */
  readonly onUnexpectedError?: (channel: string, error: unknown) => void;
}

const MAX_MESSAGE = 1000;

function failure(code: ErrorInfo['code'], message: string, retryable = false): Result<never> {
  return { ok: false, error: { code, message: message.slice(0, MAX_MESSAGE), retryable } };
}

/**
 * An expected failure carries a known code and a message written for people (SentryApiError,
 * SecretsError, StoreError, AppError all do); anything else is a bug and becomes `internal`.
 */
export function toErrorInfo(error: unknown): ErrorInfo | null {
  if (error === null || typeof error !== 'object') return null;
  const candidate = error as { code?: unknown; message?: unknown; retryable?: unknown };
  const code = ErrorCodeSchema.safeParse(candidate.code);
  if (!code.success || typeof candidate.message !== 'string') return null;
  return {
    code: code.data,
    message: candidate.message.slice(0, MAX_MESSAGE),
    retryable: typeof candidate.retryable === 'boolean' ? candidate.retryable : false,
  };
}

const noEmit: Emit = () => undefined;

export function createRouter<T extends Record<string, ChannelSpec>>(
  contract: T,
  handlers: HandlersFor<T>,
  isTrustedSender: IsTrustedSender,
  options: RouterOptions = {},
): Router {
  const report = options.onUnexpectedError ?? (() => undefined);

  return async (channel, sender, payload, emit = noEmit) => {
    // The sender first: an untrusted frame learns nothing, not even which channels exist.
    let trusted = false;
    try {
      trusted = isTrustedSender(sender);
    } catch (error) {
      report(String(channel), error);
    }
    if (!trusted) return failure('forbidden', 'Request refused: it did not come from the app window');

    if (typeof channel !== 'string' || !Object.hasOwn(contract, channel)) {
      return failure('invalid_input', `Unknown channel "${String(channel).slice(0, 64)}"`);
    }
    const spec = contract[channel] as ChannelSpec;
    const handler = (handlers as Record<string, unknown>)[channel];
    if (typeof handler !== 'function') {
      report(channel, new Error(`no handler for ${channel}`));
      return failure('internal', `The app cannot handle ${channel} yet`);
    }

    const request = spec.request.safeParse(payload);
    if (!request.success) {
      return failure('invalid_input', `Invalid request for ${channel}: ${formatIssues(request.error.issues)}`);
    }

    let value: unknown;
    try {
      value = await (handler as (req: unknown, ctx: HandlerContext) => Promise<unknown>)(request.data, {
        sender,
        emit,
      });
    } catch (error) {
      const info = toErrorInfo(error);
      if (info) return { ok: false, error: info };
      report(channel, error);
      return failure('internal', `Internal error while handling ${channel}`);
    }

    const response = spec.response.safeParse(value);
    if (!response.success) {
      report(channel, new Error(`response of ${channel} does not match the contract: ${formatIssues(response.error.issues)}`));
      return failure('internal', `Internal error while handling ${channel}`);
    }
    return { ok: true, value: response.data };
  };
}

export interface SenderPolicyOptions {
  /** e.g. app://sentry-harden */
  readonly appOrigin: string;
  /** Ids of the webContents main created for the app's windows. */
  readonly webContentsIds: ReadonlySet<number>;
}

/** Trusted: a main frame, of a window main created, showing a page of the app's own origin. */
export function createSenderPolicy(options: SenderPolicyOptions): IsTrustedSender {
  return (sender) =>
    sender.isMainFrame === true &&
    typeof sender.frameUrl === 'string' &&
    options.webContentsIds.has(sender.webContentsId) &&
    isSameOrigin(sender.frameUrl, options.appOrigin);
}
