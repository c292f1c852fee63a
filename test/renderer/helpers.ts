import type { StoreApi } from 'zustand/vanilla';
import { createWizardStore } from '../../renderer/store/create-store';
import type { WizardState } from '../../renderer/store/wizard-state';
import type { FakeBridge, FakeHandlers } from './fake-bridge';
import { NOW, TOKEN, createFakeBridge } from './fake-bridge';

export interface Harness {
  readonly bridge: FakeBridge;
  readonly api: StoreApi<WizardState>;
  readonly s: () => WizardState;
  dispose(): void;
}

/** A fresh store on a fresh fake bridge, with a fixed clock and predictable ids. */
export function harness(overrides: FakeHandlers = {}): Harness {
  const bridge = createFakeBridge(overrides);
  let n = 0;
  const store = createWizardStore(bridge, { now: () => NOW, newId: () => `id-${String(++n).padStart(4, '0')}` });
  return { bridge, api: store.api, s: () => store.api.getState(), dispose: () => store.dispose() };
}

/** Through Connect with a token and an organization. */
export async function connected(overrides: FakeHandlers = {}): Promise<Harness> {
  const h = harness(overrides);
  await h.s().connect.init();
  await h.s().catalog.load();
  await h.s().connect.submitToken(TOKEN);
  await h.s().connect.chooseOrg('acme');
  return h;
}

/** Connected, past the level step, with a finished first audit. */
export async function audited(overrides: FakeHandlers = {}): Promise<Harness> {
  const h = await connected(overrides);
  h.s().nav.next();
  h.s().nav.next();
  await waitFor(() => h.s().checks.run.status === 'done');
  return h;
}

export async function waitFor(condition: () => boolean, ms = 2000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > ms) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 1));
  }
}
