import tseslint from 'typescript-eslint';
import { importBoundaries } from './scripts/eslint/import-boundaries.js';

export default tseslint.config(
  { ignores: ['node_modules/**', '.tsbuild/**', 'dist/**', 'out/**', 'test-results/**', 'bench/results/**'] },
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
    // Front ends and tools talk to the terminal on purpose.
    files: ['cli/**', 'bench/**', 'scripts/**', 'test/**', 'simulator/serve.ts'],
    rules: { 'no-console': 'off' },
  },
);
