import { CHANNEL_NAMES, EVENT_NAMES } from '../../shared/ipc/channel-names';
import type { SentryHardenBridge } from '../../shared/ipc/contract';

/**
 * Builds the object the window sees as `window.sentryHarden`: one function per contract channel
 * and one subscription per event, from the shared name lists, and nothing generic (no
 * `invoke(anyChannel)`, no access to ipcRenderer or its event objects). Electron-free, so a
 * test builds it with a fake IPC and compares its keys with the contract.
 */

type Listener = (event: unknown, payload: unknown) => void;

/** The three calls of ipcRenderer the bridge uses. */
export interface RendererIpc {
  invoke(channel: string, payload: unknown): Promise<unknown>;
  on(channel: string, listener: Listener): unknown;
  removeListener(channel: string, listener: Listener): unknown;
}

const unreachable = {
  ok: false,
  error: { code: 'internal', message: 'The app could not handle this request', retryable: false },
} as const;

export function createBridge(ipc: RendererIpc): SentryHardenBridge {
  const invoke: Record<string, (request: unknown) => Promise<unknown>> = {};
  for (const channel of CHANNEL_NAMES) {
    // Results are data: even a failed invoke (no handler, main gone) resolves to a Result.
    invoke[channel] = (request) => ipc.invoke(channel, request).catch(() => unreachable);
  }

  const on: Record<string, (listener: (payload: unknown) => void) => () => void> = {};
  for (const name of EVENT_NAMES) {
    on[name] = (listener) => {
      if (typeof listener !== 'function') throw new TypeError(`${name}: the listener must be a function`);
      // The window gets the payload only, never Electron's event (which exposes `sender`).
      const wrapped: Listener = (_event, payload) => listener(payload);
      ipc.on(name, wrapped);
      return () => {
        ipc.removeListener(name, wrapped);
      };
    };
  }

  return Object.freeze({
    invoke: Object.freeze(invoke) as unknown as SentryHardenBridge['invoke'],
    on: Object.freeze(on) as unknown as SentryHardenBridge['on'],
  });
}

