import { mkdir, mkdtemp, readdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { auditOrganization } from '../../engine/audit-session';
import type { AuditOrganizationOptions } from '../../engine/audit-session';
import type { AuditReport } from '../../../shared/report';
import { generateTerraform } from './generate';
import { readTerraformSnapshot } from './snapshot';
import type { SnapshotGap } from './snapshot';
import { terraformReadme } from './readme';

export interface TerraformExport {
  readonly dir: string;
  readonly files: readonly string[];
  readonly counts: Readonly<Record<string, number>>;
  readonly gaps: readonly SnapshotGap[];
  readonly report: AuditReport;
}

export class TerraformExportError extends Error {
  readonly code = 'invalid_input';
}

/** The export writes into a new or empty folder only: it never mixes with someone's configuration. */
async function assertEmptyTarget(dir: string): Promise<void> {
  try {
    const entries = await readdir(dir);
    if (entries.length > 0) throw new TerraformExportError(`${dir} is not empty; choose a new or empty folder for the Terraform files.`);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
}

/**
 * `export terraform`: audits the organization at L2 (the level whose reads cover projects, keys,
 * filters and team rosters), reads the rest through the same memoized reads, and writes the
 * configuration plus a README of what the provider cannot express. Read-only towards Sentry.
 * Files are staged beside the target and moved into place together.
 */
export async function exportTerraform(dir: string, options: Omit<AuditOrganizationOptions, 'level' | 'inspect'>): Promise<TerraformExport> {
  const target = path.resolve(dir);
  await assertEmptyTarget(target);
  let result: Omit<TerraformExport, 'dir' | 'report'> | null = null;
  const { report } = await auditOrganization({
    ...options,
    level: 'L2',
    inspect: async (data, audit) => {
      const { snapshot, gaps } = await readTerraformSnapshot(data, { slug: audit.target.org.slug, name: audit.target.org.name }, audit.findings);
      const generated = generateTerraform(snapshot);
      const files = new Map(generated.files);
      files.set('README.md', terraformReadme(audit, generated.counts, gaps));
      const parent = path.dirname(target);
      await mkdir(parent, { recursive: true });
      const stage = await mkdtemp(path.join(parent, `.${path.basename(target)}.tmp-`));
      try {
        for (const [name, content] of files) await writeFile(path.join(stage, name), content, { flag: 'wx' });
        // Only an empty folder is ever removed (rmdir refuses anything else).
        await rmdir(target).catch((e: NodeJS.ErrnoException) => {
          if (e.code !== 'ENOENT') throw e;
        });
        await rename(stage, target);
      } catch (e) {
        await rm(stage, { recursive: true, force: true });
        throw e;
      }
      result = { files: [...files.keys()].sort(), counts: generated.counts, gaps };
    },
  });
  if (!result) throw new Error('the export did not run');
  return { dir: target, report, ...(result as Omit<TerraformExport, 'dir' | 'report'>) };
}
