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
  bench: { ours: ['shared', 'core', 'simulator', 'bench', 'test'], node: true, electron: false },
  test: { ours: ['shared', 'core', 'simulator', 'cli', 'main', 'main/preload', 'renderer', 'test', 'scripts'], node: true, electron: true },
};

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
        const target = zoneOf(path.resolve(path.dirname(file), spec));
        if (target && !rule.ours.includes(target)) {
          context.report({ node, message: `${from}/ may not import ${target}/ (${spec}).${see}` });
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
