export { SecretsError, isSecretsError, redact } from './errors';
export type { SecretsErrorCode } from './errors';
export { createKeychain, keychainBackendFor, keychainEntryOptions } from './keychain';
export { keychainHelp } from './keychain-help';
export type { KeychainHelp } from './keychain-help';
export type { Keychain, KeychainBackend, KeychainOptions, KeychainProbe } from './keychain';
export { TOKEN_ENV_VAR, normalizeToken, resolveTokenSource } from './token-source';
export type { ResolveTokenOptions, TokenInput, TokenOrigin, TokenSource } from './token-source';
