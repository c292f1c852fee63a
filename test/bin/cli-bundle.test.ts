import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

// The loader is plain JavaScript run before any TypeScript: imported as the bin imports it.
const { cliBundle } = (await import(pathToFileURL(path.resolve('bin/cli-bundle.mjs')).href)) as {
  cliBundle: (note: (line: string) => void, root?: string) => Promise<string | null>;
};

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

/** A checkout of three tiny modules, as the bin runs them (main, io, heap-policy). */
function checkout(greeting: string): string {
  const root = mkdtempSync(path.join(tmpdir(), 'cli-bundle-'));
  roots.push(root);
  mkdirSync(path.join(root, 'cli'), { recursive: true });
  mkdirSync(path.join(root, 'core', 'primitives'), { recursive: true });
  writeFileSync(path.join(root, 'cli', 'words.ts'), `export const GREETING: string = ${JSON.stringify(greeting)};\n`);
  writeFileSync(
    path.join(root, 'cli', 'main.ts'),
    [
      "import { GREETING } from './words';",
      'export const HERE: string = import.meta.dirname;',
      'export const URL_OF: string = import.meta.url;',
      'export async function main(): Promise<string> { return (await import("./late")).late(GREETING); }',
      '',
    ].join('\n'),
  );
  writeFileSync(path.join(root, 'cli', 'late.ts'), 'export function late(s: string): string { return `${s}!`; }\n');
  writeFileSync(path.join(root, 'cli', 'io.ts'), 'export const processIo = (): null => null;\n');
  writeFileSync(path.join(root, 'core', 'primitives', 'heap-policy.ts'), 'export function applyHeapPolicy(): void {}\n');
  return root;
}

async function load(dir: string): Promise<{ main: () => Promise<string>; HERE: string; URL_OF: string }> {
  // A query per import: the same file name in a new build must not come from the module cache.
  return (await import(`${pathToFileURL(path.join(dir, 'main.js')).href}?t=${Date.now()}`)) as never;
}

describe('the CLI bundle', () => {
  it('is built on first use, reused while its sources are unchanged, and rebuilt when one changes', async () => {
    const root = checkout('hello');
    const notes: string[] = [];
    const first = await cliBundle((l) => notes.push(l), root);
    expect(first).not.toBeNull();
    const built = await load(first!);
    expect(await built.main()).toBe('hello!');
    // Modules keep their source location: files beside the sources are found as from the sources.
    expect(built.HERE).toBe(path.join(root, 'cli'));
    expect(built.URL_OF).toBe(pathToFileURL(path.join(root, 'cli', 'main.ts')).href);

    const stamp = readFileSync(path.join(root, 'dist', 'cli', 'latest.json'), 'utf8');
    expect(await cliBundle((l) => notes.push(l), root)).toBe(first);
    expect(readFileSync(path.join(root, 'dist', 'cli', 'latest.json'), 'utf8')).toBe(stamp);
    expect(JSON.parse(stamp).inputs.map((i: { file: string }) => i.file)).toEqual(['cli/late.ts', 'cli/main.ts', 'cli/words.ts', 'cli/io.ts', 'core/primitives/heap-policy.ts'].sort());

    // A file the bundle was built from changes (here one only imported, not an entry): rebuilt.
    writeFileSync(path.join(root, 'cli', 'words.ts'), 'export const GREETING: string = "changed";\n');
    utimesSync(path.join(root, 'cli', 'words.ts'), new Date(), new Date(Date.now() + 5000));
    const second = await cliBundle((l) => notes.push(l), root);
    expect(second).not.toBe(first);
    expect(await (await load(second!)).main()).toBe('changed!');
    expect(notes).toEqual([]);
  });

  it('says why and falls back to the sources when they do not build', async () => {
    const root = checkout('hello');
    writeFileSync(path.join(root, 'cli', 'words.ts'), 'export const GREETING: string = ;\n');
    const notes: string[] = [];
    expect(await cliBundle((l) => notes.push(l), root)).toBeNull();
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/^sentry-harden: the CLI could not be prepared \(.+\); running it from the sources\.$/);
    // Nothing half-built is left to be picked up later.
    expect(readdirSync(path.join(root, 'dist', 'cli'))).toEqual([]);
  });

  it('runs the real CLI from the bundle, and from the sources with SENTRY_HARDEN_FROM_SOURCE=1', () => {
    const run = (env: NodeJS.ProcessEnv): string => execFileSync(process.execPath, ['bin/sentry-harden.mjs', '--version'], { env: { ...process.env, ...env }, encoding: 'utf8' });
    const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
    expect(run({}).trim()).toBe(version);
    expect(run({ SENTRY_HARDEN_FROM_SOURCE: '1' }).trim()).toBe(version);
    const latest = JSON.parse(readFileSync(path.join('dist', 'cli', 'latest.json'), 'utf8')) as { dir: string; inputs: { file: string }[] };
    expect(latest.inputs.map((i) => i.file)).toContain('cli/main.ts');
    expect(readdirSync(path.join('dist', 'cli', latest.dir))).toContain('main.js');
  });
});
