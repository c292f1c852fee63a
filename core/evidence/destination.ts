import { mkdtemp, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { EvidenceError } from '../primitives/errors';
import { replaceableFolder } from './package-files';

/**
 * Whether a package can be written at `out`, asked before an audit starts so a bad destination
 * is refused in a sentence instead of failing after the whole audit (and losing its summary):
 * a .zip must not exist yet (a package never overwrites a file); a folder must be new, empty or
 * an earlier package; and the nearest existing folder must accept a new entry (probed with a
 * real, removed temporary folder: permission bits alone miss read-only mounts and ACLs).
 * Throws EvidenceError('invalid_input').
 */
export async function checkPackageDestination(out: string): Promise<void> {
  const target = path.resolve(out);
  await probeWritable(path.dirname(target));
  if (target.toLowerCase().endsWith('.zip')) {
    if (await exists(target)) {
      throw new EvidenceError('invalid_input', `${target} already exists; a package never overwrites a file: choose a new name or remove it first.`);
    }
  } else {
    const state = await replaceableFolder(target);
    if (!state.replaceable) {
      throw new EvidenceError(
        'invalid_input',
        `${target} holds files that are not part of an evidence package (${state.foreign.slice(0, 3).join(', ')}); choose a new or empty folder.`,
      );
    }
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

/** The nearest existing ancestor of `dir` must be a folder we can create entries in. */
async function probeWritable(dir: string): Promise<void> {
  let at = dir;
  for (;;) {
    try {
      const s = await stat(at);
      if (!s.isDirectory()) throw new EvidenceError('invalid_input', `${at} is a file, so no package can be written under it.`);
      break;
    } catch (e) {
      if (e instanceof EvidenceError) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' || path.dirname(at) === at) throw new EvidenceError('invalid_input', `Cannot use ${at} for the package (${code ?? 'error'}).`, e);
      at = path.dirname(at);
    }
  }
  let probe: string;
  try {
    probe = await mkdtemp(path.join(at, '.sentry-harden-probe-'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EROFS' ? 'read-only file system' : code;
    throw new EvidenceError('invalid_input', `Cannot write the package under ${at} (${why}); choose a folder you can write to.`, e);
  }
  await rmdir(probe);
}
