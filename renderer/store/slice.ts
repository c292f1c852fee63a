import type { SentryHardenBridge } from '../../shared/ipc/contract';
import type { WizardState } from './wizard-state';

/**
 * What a slice creator receives. `set` writes only the slice's own namespace: a slice cannot
 * write another step's state, it can only read it (`get`) or call the other slice's actions.
 */
export interface SliceContext<K extends keyof WizardState> {
  readonly set: (patch: Partial<WizardState[K]> | ((current: WizardState[K]) => Partial<WizardState[K]>)) => void;
  readonly get: () => WizardState;
  readonly bridge: SentryHardenBridge;
  readonly now: () => Date;
  /** Ids for entries the window creates (attestations, exceptions, run ids). */
  readonly newId: () => string;
  /** Keeps an event subscription's unsubscribe for the store's `dispose`. */
  readonly track: (unsubscribe: () => void) => void;
}

export type SliceCreator<K extends keyof WizardState> = (ctx: SliceContext<K>) => WizardState[K];
