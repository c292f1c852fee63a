import electronSecurity from 'eslint-plugin-electron-security';
import tseslint from 'typescript-eslint';
import { importBoundaries } from './scripts/eslint/import-boundaries.js';

export default tseslint.config(
  { ignores: ['node_modules/**', '.tmp/**', '.tsbuild/**', 'dist/**', 'out/**', 'test-results/**', 'bench/results/**'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    extends: [tseslint.configs.recommended],
    plugins: { arch: { rules: { 'import-boundaries': importBoundaries } } },
    rules: {
      'arch/import-boundaries': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
    },
  },
  {
    // Electron's security checklist for the main process and the preload (docs/architecture.md).
    ...electronSecurity.configs.recommended,
    files: ['main/**/*.ts'],
  },
  {
    files: ['main/**/*.ts'],
    rules: {
      // One door per dangerous API: the file that owns it, and nowhere else.
      'electron-security/require-factory': [
        'error',
        {
          factories: [
            ...['handle', 'handleOnce', 'on', 'once', 'addListener'].map((m) => ({
              api: `ipcMain.${m}`,
              use: 'registerHandlers (main/ipc-router.ts)',
              allowIn: ['main/ipc-router.ts'],
            })),
            { api: 'BrowserWindow', use: 'createMainWindow (main/window.ts)', allowIn: ['main/window.ts'] },
            { api: 'shell.openExternal', use: 'openExternalSafely (main/security.ts)', allowIn: ['main/security.ts'] },
            { api: 'contextBridge.exposeInMainWorld', use: 'createBridge', allowIn: ['main/preload/index.ts'] },
          ],
        },
      ],
      'electron-security/require-ipc-sender-validation': ['error', { senderGuards: ['isTrustedSender'] }],
      'electron-security/no-open-external-with-dynamic-url': ['error', { urlValidators: ['parseExternalUrl'] }],
      'electron-security/require-navigation-allowlist': 'error',
      'electron-security/require-window-open-handler': 'error',
      'electron-security/require-permission-request-handler': 'error',
      'electron-security/require-csp': 'error',
    },
  },
  {
    // Front ends and tools talk to the terminal on purpose.
    files: ['cli/**', 'bench/**', 'scripts/**', 'test/**', 'simulator/serve.ts'],
    rules: { 'no-console': 'off' },
  },
);
