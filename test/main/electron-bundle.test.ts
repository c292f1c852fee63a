import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script, without type declarations
import { buildElectronEntry } from '../../scripts/build-electron.mjs';

/**
 * The Electron entry points cannot be run here (no Electron binary), but they must bundle: every
 * import resolves, the preload is one CommonJS file that requires nothing but electron (a
 * sandboxed preload cannot load modules).
 */
const out = mkdtempSync(path.join(tmpdir(), 'electron-bundle-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the Electron bundles', () => {
  it('build main (ESM) and a self-contained preload (CJS)', async () => {
    await (buildElectronEntry as (dir: string) => Promise<void>)(out);
    const main = path.join(out, 'main', 'index.js');
    const preload = path.join(out, 'preload', 'index.cjs');
    expect(existsSync(main)).toBe(true);
    const preloadText = readFileSync(preload, 'utf8');
    const required = [...preloadText.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect([...new Set(required)]).toEqual(['electron']);
    expect(preloadText).toContain('exposeInMainWorld');
    expect(preloadText).not.toContain('ipcRenderer.sendSync');
  });
});
