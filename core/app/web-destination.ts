import { access } from 'node:fs/promises';
import path from 'node:path';
import type { ReportDestination } from './report-output';

async function exists(p: string): Promise<boolean> {
  try {
    await access(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * Web mode has no save dialog: reports go to one folder (`sentry-harden ui --out DIR`, else the
 * app's data folder), each under a new name, and the answer says where.
 */
export function createFolderDestination(outDir: string): ReportDestination {
  return {
    async choose({ suggestedName }) {
      const ext = path.extname(suggestedName);
      const stem = suggestedName.slice(0, suggestedName.length - ext.length);
      for (let i = 1; i < 1000; i += 1) {
        const name = i === 1 ? suggestedName : `${stem}-${i}${ext}`;
        const candidate = path.join(outDir, name);
        // A package also leaves NAME.zip beside its folder.
        if (!(await exists(candidate)) && !(await exists(`${candidate}.zip`))) return candidate;
      }
      return path.join(outDir, `${stem}-${Date.now()}${ext}`);
    },
  };
}
