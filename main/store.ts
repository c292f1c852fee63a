import ElectronStore from 'electron-store';
import type { AppStore, AppStoreData, StoreBacking } from '../core/store/index';
import { appStoreOptions, wrapAppStore } from '../core/store/index';

/**
 * The app's settings in Electron's user-data folder (electron-store is conf plus Electron's
 * paths): the same schema, the same checks and the same file format as `createAppStore`.
 */
export function createElectronAppStore(): AppStore {
  const store = new ElectronStore<AppStoreData>({ ...appStoreOptions(), name: 'settings' });
  return wrapAppStore(store as unknown as StoreBacking);
}
