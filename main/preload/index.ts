import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_GLOBAL } from '../../shared/ipc/channel-names';
import { createBridge } from './bridge';

// Sandboxed preload: bundled to one CommonJS file by the build; only `electron` is required.
contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, createBridge(ipcRenderer));
