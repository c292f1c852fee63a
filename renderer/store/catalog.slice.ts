import type { Catalog } from './dto';
import type { SliceCreator } from './slice';
import type { Status } from './status';
import { IDLE, call, running, settle } from './status';

/** The controls' metadata (titles, rationale, ClickOps steps, fixes), read once from main. */
export interface CatalogSlice {
  readonly catalog: Status<Catalog>;
  load(): Promise<void>;
}

export const createCatalogSlice: SliceCreator<'catalog'> = ({ set, get, bridge }) => ({
  catalog: IDLE,
  async load() {
    if (get().catalog.catalog.status === 'running' || get().catalog.catalog.status === 'done') return;
    set({ catalog: running(null) });
    set({ catalog: settle(await call(() => bridge.invoke['catalog:get']({}))) });
  },
});
