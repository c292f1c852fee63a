import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateSigningKey, type SigningKey } from '../../core/evidence/keys';
import { writeEvidencePackage, type EvidenceInput, type WrittenPackage } from '../../core/evidence/writer';
import type { Level } from '../../shared/levels';
import type { Registers } from '../../shared/settings';
import { DEMO_TOKENS, type RunningSimulator, type SimState } from '../../simulator/index';
import { auditDemo } from './demo-audit';
import { readDecodedBytes } from './decoded-file';

/** One signing key for a whole test file: generating is cheap, but stable keys read better in failures. */
export const TEST_KEY: SigningKey = generateSigningKey();

/** A before-only package of the demo organization as it is now. */
export async function demoPackage(
  sim: RunningSimulator,
  out: string,
  opts: { level?: Level; key?: SigningKey; registers?: Registers; extra?: Partial<EvidenceInput> } = {},
): Promise<WrittenPackage> {
  const audit = await auditDemo(sim, { level: opts.level ?? 'L1' });
  return writeEvidencePackage(
    out,
    { final: audit, ...(opts.registers ? { registers: opts.registers } : {}), ...opts.extra },
    { key: opts.key ?? TEST_KEY, forbidden: Object.values(DEMO_TOKENS) },
  );
}

/** Every file under `dir`, relative and `/`-separated, sorted. */
export function filesOf(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

/** Every credential the simulator holds: API tokens of every kind and every client key's secret. */
export function simulatorSecrets(state: SimState): string[] {
  const keys = state.organizations.flatMap((o) => o.projects.flatMap((p) => p.keys.flatMap((k) => (k.secret === null ? [] : [k.secret]))));
  return [...new Set([...Object.values(DEMO_TOKENS), ...state.tokens.map((t) => t.token), ...keys])].filter((s) => s.length >= 8);
}

/** Files of the package (every byte of every file) that contain any of the secrets. */
export function filesHoldingSecrets(dir: string, secrets: readonly string[]): string[] {
  const hits: string[] = [];
  for (const rel of filesOf(dir)) {
    const data = readDecodedBytes(path.join(dir, ...rel.split('/')));
    for (const s of secrets) if (data.includes(Buffer.from(s, 'utf8'))) hits.push(`${rel} holds ${s.slice(0, 6)}…`);
  }
  return hits;
}

export function tempDirs(): { make: (prefix?: string) => string; cleanup: () => void } {
  const made: string[] = [];
  return {
    make: (prefix = 'evidence-') => {
      const d = mkdtempSync(path.join(tmpdir(), prefix));
      made.push(d);
      return d;
    },
    cleanup: () => {
      for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
    },
  };
}
