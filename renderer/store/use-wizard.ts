import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { WizardState } from './wizard-state';

export const WizardStoreContext = createContext<StoreApi<WizardState> | null>(null);

export function useWizardApi(): StoreApi<WizardState> {
  const api = useContext(WizardStoreContext);
  if (!api) throw new Error('useWizard needs <WizardStoreContext.Provider>');
  return api;
}

/**
 * Reads the store. Select a slice or a primitive: selectors that build new objects on every call
 * belong in the component body (computed from what was selected), not here.
 */
export function useWizard<T>(selector: (state: WizardState) => T): T {
  return useStore(useWizardApi(), selector);
}
