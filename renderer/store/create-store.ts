import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { SentryHardenBridge } from '../../shared/ipc/contract';
import { createConnectSlice } from '../steps/connect/connect.slice';
import { createLevelSlice } from '../steps/level/level.slice';
import { createSectionSlice } from '../steps/section/section.slice';
import { createSummarySlice } from '../steps/summary/summary.slice';
import { createCatalogSlice } from './catalog.slice';
import { createChecksSlice } from './checks.slice';
import { createFindingsSlice } from './findings.slice';
import { createNavSlice } from './nav.slice';
import { createRegistersSlice } from './registers.slice';
import { createSessionSlice } from './session.slice';
import type { SliceContext } from './slice';
import type { SectionSliceKey } from './steps';
import { SECTION_STEPS } from './steps';
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
    // Every section step's slice, from the one table of section steps (store/steps.ts).
    function section(key: SectionSliceKey) {
      const step = SECTION_STEPS.find((s) => s.slice === key);
      if (!step) throw new Error(`no section step for slice ${key}`);
      return createSectionSlice(key, step.section)(context(key) as SliceContext<'authentication'>);
    }
    return {
      nav: createNavSlice(context('nav')),
      catalog: createCatalogSlice(context('catalog')),
      checks: createChecksSlice(context('checks')),
      findings: createFindingsSlice(context('findings')),
      registers: createRegistersSlice(context('registers')),
      session: createSessionSlice(context('session')),
      connect: createConnectSlice(context('connect')),
      level: createLevelSlice(context('level')),
      authentication: section('authentication'),
      accessControls: section('accessControls'),
      dataSecurity: section('dataSecurity'),
      monitoring: section('monitoring'),
      integrations: section('integrations'),
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
