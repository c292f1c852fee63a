import { describe, expect, it } from 'vitest';
import type { RendererIpc } from '../../main/preload/bridge';
import { createBridge } from '../../main/preload/bridge';
import { CHANNEL_NAMES, EVENT_NAMES } from '../../shared/ipc/channel-names';
import { channels, events } from '../../shared/ipc/contract';

type Listener = (event: unknown, payload: unknown) => void;

/** Records what the bridge does with ipcRenderer; emits events like main would. */
function fakeIpc(answer: (channel: string, payload: unknown) => Promise<unknown> = async () => ({ ok: true, value: {} })) {
  const calls: [string, unknown][] = [];
  const listeners = new Map<string, Set<Listener>>();
  const ipc: RendererIpc = {
    invoke: (channel, payload) => {
      calls.push([channel, payload]);
      return answer(channel, payload);
    },
    on: (channel, l) => listeners.set(channel, (listeners.get(channel) ?? new Set()).add(l)),
    removeListener: (channel, l) => listeners.get(channel)?.delete(l),
  };
  const emit = (channel: string, payload: unknown) => {
    for (const l of listeners.get(channel) ?? []) l({ sender: 'electron internals' }, payload);
  };
  return { ipc, calls, listeners, emit };
}

describe('preload bridge', () => {
  it('exposes exactly one function per contract channel and one subscription per event', () => {
    const bridge = createBridge(fakeIpc().ipc);
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'on']);
    expect(Object.keys(bridge.invoke).sort()).toEqual(Object.keys(channels).sort());
    expect(Object.keys(bridge.on).sort()).toEqual(Object.keys(events).sort());
    for (const fn of [...Object.values(bridge.invoke), ...Object.values(bridge.on)]) expect(typeof fn).toBe('function');
  });

  it('is frozen: the page cannot add a generic door or replace a function', () => {
    const bridge = createBridge(fakeIpc().ipc) as unknown as Record<string, Record<string, unknown>>;
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(Object.isFrozen(bridge.invoke)).toBe(true);
    expect(Object.isFrozen(bridge.on)).toBe(true);
    expect(() => {
      (bridge.invoke as Record<string, unknown>)['anything:goes'] = () => undefined;
    }).toThrow(TypeError);
  });

  it('sends each call on its own channel and returns main\'s Result', async () => {
    const { ipc, calls } = fakeIpc(async (channel) => ({ ok: true, value: { channel } }));
    const bridge = createBridge(ipc);
    for (const channel of CHANNEL_NAMES) {
      const fn = bridge.invoke[channel] as (r: unknown) => Promise<unknown>;
      expect(await fn({ probe: channel })).toEqual({ ok: true, value: { channel } });
    }
    expect(calls.map(([c]) => c)).toEqual([...CHANNEL_NAMES]);
    expect(calls.every(([c, p]) => (p as { probe: string }).probe === c)).toBe(true);
  });

  it('turns a failed invoke into a Result instead of a rejection', async () => {
    const bridge = createBridge(fakeIpc(async () => { throw new Error("No handler registered for 'x' at /secret/path"); }).ipc);
    const r = await bridge.invoke['profile:list']({});
    expect(r).toEqual({ ok: false, error: { code: 'internal', message: 'The app could not handle this request', retryable: false } });
  });

  it('passes only the payload to subscribers, and unsubscribes', () => {
    const { ipc, emit, listeners } = fakeIpc();
    const bridge = createBridge(ipc);
    const got: unknown[][] = [];
    const off = bridge.on['audit:progress']((...args: unknown[]) => got.push(args));
    emit('audit:progress', { runId: 'r', completed: 1, total: 2, control: null });
    expect(got).toEqual([[{ runId: 'r', completed: 1, total: 2, control: null }]]);
    off();
    emit('audit:progress', { runId: 'r', completed: 2, total: 2, control: null });
    expect(got).toHaveLength(1);
    expect(listeners.get('audit:progress')?.size).toBe(0);
    expect(() => bridge.on['fix:progress'](42 as never)).toThrow(TypeError);
    expect(EVENT_NAMES).toContain('fix:progress');
  });
});
