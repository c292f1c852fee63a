// Bundles Electron's main process and the preload into OUT (default dist/): main as ESM with its
// npm packages left external (electron-builder ships them), the preload as one CommonJS file
// (a sandboxed preload cannot load modules). Used by `npm start` and `npm run package`.
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

export async function buildElectronEntry(outDir = path.join(root, 'dist')) {
  // Loaded here, not at import: `npm start` in web mode never needs the bundler.
  const { build } = await import('esbuild');
  await build({
    entryPoints: [path.join(root, 'main', 'index.ts')],
    outfile: path.join(outDir, 'main', 'index.js'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    packages: 'external',
    logLevel: 'warning',
  });
  await build({
    entryPoints: [path.join(root, 'main', 'preload', 'index.ts')],
    outfile: path.join(outDir, 'preload', 'index.cjs'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    external: ['electron'],
    logLevel: 'warning',
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  await buildElectronEntry(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
}
