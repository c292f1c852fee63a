// The CLI as one prebuilt ES module bundle, built from the TypeScript sources on first use and
// rebuilt whenever one of the files it was built from changes (so it can never run stale code).
// Why: running the sources through tsx costs a module-loader thread of its own (Node 20 runs
// loader hooks off-thread), about 35 MB of RSS in every command; an audit of 10,000 projects peaked
// at 373 MB with tsx and about 330 MB from the bundle (docs/benchmarks.md, issue 10).
import { mkdir, readFile, rename, rm, stat, writeFile, readdir } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The modules bin/sentry-harden.mjs runs, by output name. */
const ENTRIES = { main: 'cli/main.ts', io: 'cli/io.ts', 'heap-policy': 'core/primitives/heap-policy.ts' };
/** Builds kept beside the newest: a running `ui` may still load a command's chunk from one. */
const KEEP_BUILDS = 3;

/**
 * The folder of an up-to-date build (its modules: main.js, io.js, heap-policy.js), building it if
 * needed; null when no build can be used (esbuild missing, an unwritable install): the caller
 * then runs the sources through tsx, which behaves the same with more memory.
 * @param {(line: string) => void} note
 * @param {string} [root] the checkout (a test's own copy)
 * @returns {Promise<string | null>}
 */
export async function cliBundle(note, root = REPO) {
  const at = places(root);
  const current = await upToDate(at);
  if (current) return current;
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    return null; // an install without dev dependencies: the sources run through tsx
  }
  try {
    return await build(esbuild, at);
  } catch (e) {
    const code = /** @type {NodeJS.ErrnoException} */ (e).code;
    if (code === 'EACCES' || code === 'EROFS' || code === 'EPERM') return null; // a read-only install
    note(`sentry-harden: the CLI could not be prepared (${e instanceof Error ? e.message.split('\n')[0] : String(e)}); running it from the sources.`);
    return null;
  }
}

/** @param {string} root */
function places(root) {
  const cache = path.join(root, 'dist', 'cli');
  return { root, cache, latest: path.join(cache, 'latest.json') };
}

/**
 * The recorded build, if every file it was built from is as it was then.
 * @param {ReturnType<typeof places>} at
 */
async function upToDate(at) {
  let latest;
  try {
    latest = JSON.parse(await readFile(at.latest, 'utf8'));
  } catch {
    return null;
  }
  if (typeof latest?.dir !== 'string' || !/^[0-9a-f]{16}$/.test(latest.dir) || !Array.isArray(latest.inputs)) return null;
  const checks = await Promise.all(
    latest.inputs.map(async (/** @type {{ file: unknown; mtimeMs: unknown; size: unknown }} */ i) => {
      if (typeof i?.file !== 'string') return false;
      const s = await stat(path.join(at.root, i.file)).catch(() => null);
      return s !== null && s.mtimeMs === i.mtimeMs && s.size === i.size;
    }),
  );
  if (!checks.every(Boolean)) return null;
  const dir = path.join(at.cache, latest.dir);
  const complete = await stat(path.join(dir, 'main.js')).then(() => true, () => false);
  return complete ? dir : null;
}

/**
 * @param {typeof import('esbuild')} esbuild
 * @param {ReturnType<typeof places>} at
 */
async function build(esbuild, at) {
  await mkdir(at.cache, { recursive: true });
  const staging = path.join(at.cache, `.build-${process.pid}-${Date.now()}`);
  try {
    const result = await esbuild.build({
      entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [name, path.join(at.root, file)])),
      outdir: staging,
      bundle: true,
      splitting: true, // each command stays its own chunk, loaded only when it runs
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external', // dependencies load from node_modules as they do from the sources
      keepNames: true,
      metafile: true,
      absWorkingDir: at.root,
      logLevel: 'silent',
      plugins: [sourceLocation],
    });
    // The build is named by what it was built from, so two processes building at once agree.
    const inputs = await Promise.all(
      Object.keys(result.metafile.inputs)
        .filter((f) => !f.includes('node_modules'))
        .sort()
        .map(async (f) => {
          const file = f.split(path.sep).join('/');
          const s = await stat(path.join(at.root, file));
          return { file, mtimeMs: s.mtimeMs, size: s.size };
        }),
    );
    const name = createHash('sha256').update(JSON.stringify(inputs)).digest('hex').slice(0, 16);
    const dir = path.join(at.cache, name);
    await rename(staging, dir).catch(async (e) => {
      if (e.code !== 'ENOTEMPTY' && e.code !== 'EEXIST') throw e;
      await rm(staging, { recursive: true, force: true }); // built by another process meanwhile
    });
    const tmp = `${at.latest}.${process.pid}`;
    await writeFile(tmp, `${JSON.stringify({ dir: name, builtAt: new Date().toISOString(), inputs })}\n`);
    await rename(tmp, at.latest);
    await prune(at.cache, name);
    return dir;
  } catch (e) {
    await rm(staging, { recursive: true, force: true });
    throw e;
  }
}

/**
 * Removes the oldest builds beyond KEEP_BUILDS (and staging folders a killed build left).
 * @param {string} cache
 * @param {string} keep
 */
async function prune(cache, keep) {
  const entries = await readdir(cache, { withFileTypes: true });
  const builds = await Promise.all(
    entries
      .filter((e) => e.isDirectory() && e.name !== keep)
      .map(async (e) => ({ name: e.name, mtimeMs: (await stat(path.join(cache, e.name))).mtimeMs })),
  );
  const hourAgo = Date.now() - 3_600_000;
  const staging = builds.filter((b) => b.name.startsWith('.build-') && b.mtimeMs < hourAgo);
  const older = builds.filter((b) => !b.name.startsWith('.build-')).sort((a, b) => b.mtimeMs - a.mtimeMs).slice(KEEP_BUILDS - 1);
  const old = [...staging, ...older];
  await Promise.all(old.map((b) => rm(path.join(cache, b.name), { recursive: true, force: true })));
}

/**
 * Each module keeps the location of its source file: `import.meta.url` and `import.meta.dirname`
 * are what they are when the sources run (cli/usage.txt, dist/renderer and vite are found from them).
 * @type {import('esbuild').Plugin}
 */
const sourceLocation = {
  name: 'source-location',
  setup(b) {
    b.onLoad({ filter: /\.[cm]?tsx?$/ }, async (args) => {
      let contents = await readFile(args.path, 'utf8');
      if (contents.includes('import.meta')) {
        contents = contents
          .replaceAll('import.meta.dirname', JSON.stringify(path.dirname(args.path)))
          .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href));
      }
      return { contents, loader: args.path.endsWith('x') ? 'tsx' : 'ts' };
    });
  },
};
