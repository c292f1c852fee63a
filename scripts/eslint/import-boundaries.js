// A lint rule for the architecture's import table (docs/architecture.md): a file's top-level
// folder says what it may import. Resolves relative specifiers to their folder, so `../core/x`
// from `renderer/` is caught however it is spelled.
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** folder -> folders of ours it may import, and whether it may import Node built-ins / electron. */
export const ALLOWED = {
  shared: { ours: ['shared'], node: false, electron: false },
  core: { ours: ['shared', 'core'], node: true, electron: false },
  simulator: { ours: ['shared', 'simulator'], node: true, electron: false },
  cli: { ours: ['shared', 'core', 'simulator', 'cli'], node: true, electron: false },
  main: { ours: ['shared', 'core', 'simulator', 'main'], node: true, electron: true },
  'main/preload': { ours: ['shared', 'main/preload'], node: false, electron: true },
  renderer: { ours: ['shared', 'renderer'], node: false, electron: false },
  bench: { ours: ['shared', 'core', 'simulator', 'cli', 'bench', 'test'], node: true, electron: false },
  test: { ours: ['shared', 'core', 'simulator', 'cli', 'main', 'main/preload', 'renderer', 'test', 'scripts'], node: true, electron: true },
};

/**
 * Layers inside core/, lowest first (docs/architecture.md, "Layers inside core"). A file may
 * import its own folder and any lower layer; folders of one layer do not import each other.
 */
export const CORE_LAYERS = [
  ['primitives', 'terminal'],
  ['sentry', 'secrets'],
  ['controls'],
  ['fixes', 'store'],
  ['engine'],
  ['evidence'],
  ['exports', 'portfolio'],
  ['app'],
];

/** The core folder of a path under core/ (null outside core/ or for core/ itself). */
function coreFolderOf(absFile) {
  const rel = path.relative(ROOT, absFile).split(path.sep);
  return rel[0] === 'core' && rel.length > 2 ? rel[1] : null;
}

function layerOf(folder) {
  const i = CORE_LAYERS.findIndex((l) => l.includes(folder));
  return i < 0 ? null : i;
}

/** Why `from` (a core folder) may not import `to`, or null when it may. */
export function coreLayerViolation(from, to) {
  if (from === to) return null;
  const a = layerOf(from);
  const b = layerOf(to);
  if (a === null) return `core/${from}/ is not in a layer of CORE_LAYERS (scripts/eslint/import-boundaries.js): add it`;
  if (b === null) return `core/${to}/ is not in a layer of CORE_LAYERS (scripts/eslint/import-boundaries.js): add it`;
  if (b < a) return null;
  return b === a
    ? `core/${from}/ and core/${to}/ are one layer; neither may import the other`
    : `core/${from}/ may not import core/${to}/, a higher layer (${CORE_LAYERS.map((l) => l.join('+')).join(' < ')})`;
}

function zoneOf(absFile) {
  const rel = path.relative(ROOT, absFile).split(path.sep);
  if (rel[0] === 'main' && rel[1] === 'preload') return 'main/preload';
  return rel[0] in ALLOWED ? rel[0] : null;
}

const NODE_BUILTINS = new Set([
  'fs', 'path', 'os', 'http', 'https', 'net', 'tls', 'crypto', 'child_process', 'url', 'util', 'stream',
  'events', 'zlib', 'dns', 'readline', 'worker_threads', 'buffer', 'process', 'assert', 'timers',
]);

export const importBoundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce the import directions of docs/architecture.md' },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const from = zoneOf(file);
    if (!from) return {};
    const rule = ALLOWED[from];
    function check(node, spec) {
      if (typeof spec !== 'string') return;
      const see = ' See docs/architecture.md ("Who may import whom").';
      if (spec.startsWith('.')) {
        const resolved = path.resolve(path.dirname(file), spec);
        const target = zoneOf(resolved);
        if (target && !rule.ours.includes(target)) {
          context.report({ node, message: `${from}/ may not import ${target}/ (${spec}).${see}` });
        }
        const fromCore = coreFolderOf(file);
        const toCore = coreFolderOf(resolved);
        if (fromCore && toCore) {
          const why = coreLayerViolation(fromCore, toCore);
          if (why) context.report({ node, message: `${why} (${spec}). See docs/architecture.md ("Layers inside core").` });
        }
        return;
      }
      const bare = spec.replace(/^node:/, '').split('/')[0];
      if (spec.startsWith('node:') || NODE_BUILTINS.has(bare)) {
        if (!rule.node) context.report({ node, message: `${from}/ runs without Node: no '${spec}'.${see}` });
        return;
      }
      if (bare === 'electron' && !rule.electron) {
        context.report({ node, message: `${from}/ must not depend on Electron ('${spec}').${see}` });
      }
    }
    return {
      ImportDeclaration: (n) => check(n, n.source.value),
      ExportNamedDeclaration: (n) => n.source && check(n, n.source.value),
      ExportAllDeclaration: (n) => check(n, n.source.value),
      ImportExpression: (n) => n.source.type === 'Literal' && check(n, n.source.value),
    };
  },
};
