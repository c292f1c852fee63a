export { createAppStore, wrapAppStore, appStoreOptions } from './app-store';
export type { AppStore, CreateAppStoreOptions, StoreBacking } from './app-store';
export { StoreError, isStoreError } from './errors';
export type { StoreErrorCode } from './errors';
export { STORE_VERSION, AppStoreDataSchema, appStoreJsonSchemas, defaultStoreData, emptyRegisters } from './schema';
export type { AppStoreData } from './schema';
export { findSecretLikeField, isSecretFieldName, looksLikeSentryToken } from './secret-guard';
export { recordReview } from './review';
