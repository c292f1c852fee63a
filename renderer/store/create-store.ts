import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { SentryHardenBridge } from '../../shared/ipc/contract';
import { createConnectSlice } from '../steps/connect/connect.slice';
import { createLevelSlice } from '../steps/level/level.slice';
import { createAccessControlsSlice } from '../steps/access-controls/access-controls.slice';
import { createAuthenticationSlice } from '../steps/authentication/authentication.slice';
import { createDataSecuritySlice } from '../steps/data-security/data-security.slice';
import { createIntegrationsSlice } from '../steps/integrations/integrations.slice';
import { createMonitoringSlice } from '../steps/monitoring/monitoring.slice';
import { createSummarySlice } from '../steps/summary/summary.slice';
import { createCatalogSlice } from './catalog.slice';
import { createChecksSlice } from './checks.slice';
import { createNavSlice } from './nav.slice';
import { createRegistersSlice } from './registers.slice';
import type { SliceContext } from './slice';
import type { WizardState } from './wizard-state';

export interface WizardStoreOptions {
  readonly now?: () => Date;
  readonly newId?: () => string;
}

export interface WizardStore {
  readonly api: StoreApi<WizardState>;
  /** Drops the bridge subscriptions (tests, hot reload). */
  dispose(): void;
}

function defaultId(): string {
  return globalThis.crypto.randomUUID();
}

/**
 * Builds the wizard's store around a bridge: the preload's in Electron, the HTTP one in web
 * mode, a fake in tests. No React here: tests drive the slices through `api.getState()`.
 */
export function createWizardStore(bridge: SentryHardenBridge, options: WizardStoreOptions = {}): WizardStore {
  const now = options.now ?? (() => new Date());
  const newId = options.newId ?? defaultId;
  const unsubscribes: (() => void)[] = [];

  const api = createStore<WizardState>()((setState, getState) => {
    function context<K extends keyof WizardState>(key: K): SliceContext<K> {
      return {
        // The only writer of `state[key]`.
        set: (patch) =>
          setState((state) => {
            const current = state[key];
            const change = typeof patch === 'function' ? patch(current) : patch;
            return { [key]: { ...current, ...change } } as unknown as Partial<WizardState>;
          }),
        get: getState,
        bridge,
        now,
        newId,
        track: (unsubscribe) => {
          unsubscribes.push(unsubscribe);
        },
      };
    }
    return {
      nav: createNavSlice(context('nav')),
      catalog: createCatalogSlice(context('catalog')),
      checks: createChecksSlice(context('checks')),
      registers: createRegistersSlice(context('registers')),
      connect: createConnectSlice(context('connect')),
      level: createLevelSlice(context('level')),
      authentication: createAuthenticationSlice(context('authentication')),
      accessControls: createAccessControlsSlice(context('accessControls')),
      dataSecurity: createDataSecuritySlice(context('dataSecurity')),
      monitoring: createMonitoringSlice(context('monitoring')),
      integrations: createIntegrationsSlice(context('integrations')),
      summary: createSummarySlice(context('summary')),
    };
  });

  return {
    api,
    dispose() {
      for (const unsubscribe of unsubscribes.splice(0)) unsubscribe();
    },
  };
}
