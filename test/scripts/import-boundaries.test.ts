import path from 'node:path';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: the lint rule is plain JavaScript without type declarations
import { coreLayerViolation, importBoundaries } from '../../scripts/eslint/import-boundaries.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** Lints one source text as if it lived at `file` (repo-relative), with only our rule on. */
function lint(file: string, code: string): string[] {
  const linter = new Linter({ configType: 'flat' });
  const messages = linter.verify(
    code,
    [
      {
        files: ['**/*.ts'],
        languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
        plugins: { arch: { rules: { 'import-boundaries': importBoundaries } } },
        rules: { 'arch/import-boundaries': 'error' },
      },
    ],
    { filename: path.join(ROOT, file) },
  );
  return messages.map((m) => m.message);
}

describe('the import-boundary lint inside core/', () => {
  it('rejects an upward import between core layers, naming both and the order', () => {
    const found = lint('core/sentry/client.ts', "import { redactResponseBody } from '../evidence/writer';\n");
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/core\/sentry\/ may not import core\/evidence\/, a higher layer \(primitives\+terminal < sentry\+secrets < .* < app\)/);
    expect(lint('core/fixes/operations.ts', "import { pointerOf } from '../engine/probe';\n")[0]).toMatch(/core\/fixes\/ may not import core\/engine\//);
    expect(lint('core/primitives/redact.ts', "import type { Finding } from '../controls/findings';\n")).toHaveLength(1);
  });

  it('allows downward imports and imports within a folder; refuses siblings of one layer', () => {
    expect(lint('core/app/engine.ts', "import { auditOrganization } from '../engine/audit-session';\nimport { x } from './router';\n")).toEqual([]);
    expect(lint('core/evidence/writer.ts', "import { sha256Hex } from '../primitives/hash';\n")).toEqual([]);
    expect(lint('core/fixes/build.ts', "import { createAppStore } from '../store/app-store';\n")[0]).toMatch(/one layer; neither may import the other/);
    expect(coreLayerViolation('newfolder', 'sentry')).toMatch(/not in a layer/);
  });

  it('still enforces the folder table (renderer may not import core)', () => {
    expect(lint('renderer/app.tsx'.replace('.tsx', '.ts'), "import { CONTROLS } from '../core/controls/index';\n")[0]).toMatch(/renderer\/ may not import core\//);
  });
});
