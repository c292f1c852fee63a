import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { ipcMain } from 'electron';
import type { ChannelName } from '../shared/ipc/channel-names';
import { CHANNEL_NAMES } from '../shared/ipc/channel-names';
import { events } from '../shared/ipc/contract';
import type { Emit, IsTrustedSender, Router, SenderInfo } from '../core/app/router';

/**
 * The only place that touches ipcMain: one `handle` per contract channel, each going through the
 * router (sender check, schema, handler, Result). Nothing listens with `ipcMain.on`, so
 * fire-and-forget messages from a renderer reach nothing.
 */

export function senderInfoOf(event: IpcMainInvokeEvent): SenderInfo {
  const frame = event.senderFrame;
  return {
    webContentsId: event.sender.id,
    frameUrl: frame ? frame.url : null,
    // The top frame has no parent; a frame from an iframe or a detached frame is not trusted.
    isMainFrame: frame !== null && frame.parent === null,
  };
}

/** Events are checked against the contract before they leave, like responses. */
function emitterFor(contents: WebContents): Emit {
  return (event, payload) => {
    const parsed = events[event].safeParse(payload);
    if (parsed.success && !contents.isDestroyed()) contents.send(event, parsed.data);
  };
}

/** Registers every channel; returns a function that removes them again. */
export function registerHandlers(
  router: Router,
  isTrustedSender: IsTrustedSender,
  channelNames: readonly ChannelName[] = CHANNEL_NAMES,
): () => void {
  const isTrustedEvent = (event: IpcMainInvokeEvent) => isTrustedSender(senderInfoOf(event));
  const refused = {
    ok: false,
    error: { code: 'forbidden', message: 'Request refused: it did not come from the app window', retryable: false },
  } as const;
  for (const channel of channelNames) {
    ipcMain.handle(channel, async (event, payload: unknown) => {
      // The router checks the sender too; checking here keeps the gate visible at the door.
      if (!isTrustedEvent(event)) return refused;
      return router(channel, senderInfoOf(event), payload, emitterFor(event.sender));
    });
  }
  return () => {
    for (const channel of channelNames) ipcMain.removeHandler(channel);
  };
}
