import type { ErrorInfo, Result } from '../shared/errors';
import { ErrorInfoSchema } from '../shared/errors';
import { BRIDGE_GLOBAL, CHANNEL_NAMES, EVENT_NAMES } from '../shared/ipc/channel-names';
import type { ChannelName, EventName } from '../shared/ipc/channel-names';
import type { SentryHardenBridge } from '../shared/ipc/contract';
import { channels, events } from '../shared/ipc/contract';
import { formatIssues } from '../shared/ipc/issues';
import { WEB_API_PREFIX, WEB_EVENTS_PATH, WEB_SECRET_HEADER, WEB_SECRET_PARAM } from '../shared/ipc/web';

/**
 * The only module that knows how the window reaches the engine. In Electron the preload exposes
 * `window.sentryHarden` (one function per contract channel); in web mode (`sentry-harden ui`)
 * this module implements the same SentryHardenBridge over HTTP: `POST /api/<channel>` with the
 * per-launch secret in a header, and the events over Server-Sent Events. Everything else in the
 * renderer receives a SentryHardenBridge and never asks which one it got.
 */

function failure(code: ErrorInfo['code'], message: string, retryable = false): Result<never> {
  return { ok: false, error: { code, message, retryable } };
}

/** Checks an answer against the contract: a Result whose value has the channel's shape. */
export function parseResult(channel: ChannelName, body: unknown): Result<unknown> {
  if (typeof body !== 'object' || body === null || !('ok' in body)) {
    return failure('malformed_response', `The app's answer to ${channel} is not a result`);
  }
  const candidate = body as { ok: unknown; value?: unknown; error?: unknown };
  if (candidate.ok === true) {
    const value = channels[channel].response.safeParse(candidate.value);
    if (!value.success) {
      return failure('malformed_response', `The app's answer to ${channel} does not match the contract: ${formatIssues(value.error.issues)}`);
    }
    return { ok: true, value: value.data };
  }
  const error = ErrorInfoSchema.safeParse(candidate.error);
  if (!error.success) return failure('malformed_response', `The app's error for ${channel} is malformed`);
  return { ok: false, error: error.data };
}

/** What the HTTP bridge needs from the browser (tests pass fakes or Node's fetch). */
export interface HttpBridgeOptions {
  /** e.g. http://127.0.0.1:41234 */
  readonly origin: string;
  readonly secret: string;
  readonly fetch: typeof fetch;
  /** Absent where there is no EventSource: subscriptions then never fire. */
  readonly EventSource?: typeof EventSource;
}

/** Web mode: the contract over HTTP and SSE, same shape as the preload's bridge. */
export function createHttpBridge(options: HttpBridgeOptions): SentryHardenBridge {
  const invoke: Record<string, (request: unknown) => Promise<Result<unknown>>> = {};
  for (const channel of CHANNEL_NAMES) {
    invoke[channel] = async (request) => {
      let response: Response;
      try {
        response = await options.fetch(`${options.origin}${WEB_API_PREFIX}${channel}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', [WEB_SECRET_HEADER]: options.secret },
          body: JSON.stringify(request ?? {}),
          credentials: 'omit',
          cache: 'no-store',
        });
      } catch {
        return failure('unreachable', 'The sentry-harden process does not answer: is `sentry-harden ui` still running?', true);
      }
      let body: unknown;
      try {
        body = await response.json();
      } catch {
        return failure(
          response.status === 401 || response.status === 403 ? 'forbidden' : 'malformed_response',
          response.status === 401 || response.status === 403
            ? 'The local server refused this page: open the exact URL `sentry-harden ui` printed'
            : `The local server answered ${response.status} without a result`,
        );
      }
      return parseResult(channel, body);
    };
  }

  // One EventSource for every event, opened with the first subscription.
  let source: EventSource | null = null;
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  function ensureSource(): void {
    if (source || !options.EventSource) return;
    const url = `${options.origin}${WEB_EVENTS_PATH}?${WEB_SECRET_PARAM}=${encodeURIComponent(options.secret)}`;
    source = new options.EventSource(url);
    for (const name of EVENT_NAMES) {
      source.addEventListener(name, (message) => {
        let data: unknown;
        try {
          data = JSON.parse((message as MessageEvent<string>).data);
        } catch {
          return;
        }
        const payload = events[name].safeParse(data);
        if (!payload.success) return;
        for (const listener of listeners.get(name) ?? []) listener(payload.data);
      });
    }
  }

  const on: Record<string, (listener: (payload: unknown) => void) => () => void> = {};
  for (const name of EVENT_NAMES) {
    on[name] = (listener) => {
      const set = listeners.get(name) ?? new Set();
      listeners.set(name, set);
      set.add(listener);
      ensureSource();
      return () => {
        set.delete(listener);
      };
    };
  }

  return Object.freeze({
    invoke: Object.freeze(invoke) as unknown as SentryHardenBridge['invoke'],
    on: Object.freeze(on) as unknown as SentryHardenBridge['on'],
  });
}

/** Reads web mode's per-launch secret from the page URL (fragment first, then query). */
export function secretFromUrl(href: string): string | null {
  const url = new URL(href);
  const fromHash = new URLSearchParams(url.hash.replace(/^#/, '')).get(WEB_SECRET_PARAM);
  return fromHash ?? url.searchParams.get(WEB_SECRET_PARAM);
}

export type BridgeResolution =
  | { readonly ok: true; readonly mode: 'electron' | 'web'; readonly bridge: SentryHardenBridge }
  | { readonly ok: false; readonly message: string };

/** Picks the preload's bridge in Electron, else builds the HTTP one from the page URL. */
export function resolveBridge(win: Window): BridgeResolution {
  const exposed = (win as unknown as Record<string, unknown>)[BRIDGE_GLOBAL];
  if (exposed && typeof exposed === 'object') {
    return { ok: true, mode: 'electron', bridge: exposed as SentryHardenBridge };
  }
  const secret = secretFromUrl(win.location.href);
  if (!secret) {
    return {
      ok: false,
      message: 'This page was opened without its launch key. Open the exact URL that `sentry-harden ui` printed.',
    };
  }
  return {
    ok: true,
    mode: 'web',
    bridge: createHttpBridge({
      origin: win.location.origin,
      secret,
      fetch: win.fetch.bind(win),
      EventSource: (win as Window & typeof globalThis).EventSource,
    }),
  };
}
