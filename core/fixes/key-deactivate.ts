import type { Finding } from '../../shared/finding';
import { fieldPut, keyPath, listParam } from './build';
import { findKey, keyLabel, keysWithProjects, sdkEcho } from './keys';
import type { ChangeDraft, FixDefinition, FixProposal } from './types';
import { FixParamError } from './types';

const CHECK = '3.2.single-active-key';

/**
 * Deactivates client keys no application uses (REFERENCE.md 6). Which ones is a person's choice
 * (`deactivateKeys`); a deactivated key rejects events at once, so this is high risk.
 */
export const keyDeactivateFix: FixDefinition = {
  id: 'key-deactivate',
  title: 'Deactivate unused client keys',
  controls: ['3.2'],
  checks: [CHECK],
  params: [{ key: 'deactivateKeys', pattern: /^deactivateKeys$/, description: 'Public keys to deactivate (comma-separated).' }],

  async plan(ctx, findings: readonly Finding[]): Promise<FixProposal> {
    const wanted = listParam(ctx.params.deactivateKeys);
    const notes: FixProposal['notes'][number][] = [];
    const failing = findings.filter((f) => f.check === CHECK && f.status === 'fail');
    if (wanted.length === 0) {
      for (const f of failing) {
        const keys = Array.isArray(f.details?.keys) ? (f.details.keys as { public: string; name: string }[]) : [];
        notes.push({
          control: '3.2',
          check: CHECK,
          resource: f.resource,
          kind: 'needs_parameter',
          message: `Choose the keys of ${f.resource.id} no application uses: --set deactivateKeys=PUBLIC_KEY[,...]. Active keys: ${keys.map((k) => `${k.name} ${k.public}`).join('; ')}.`,
        });
      }
      return { changes: [], notes };
    }
    const all = await keysWithProjects(ctx, 'key-deactivate');
    const changes: ChangeDraft[] = [];
    const leaving = new Map<string, number>();
    for (const pub of wanted) {
      const k = findKey(all, pub, 'deactivateKeys');
      if (!k.key.isActive) {
        notes.push({ control: '3.2', kind: 'info', message: `Key ${keyLabel(k)} is already inactive.` });
        continue;
      }
      const activeLeft = (leaving.get(k.project.slug) ?? all.filter((x) => x.project.id === k.project.id && x.key.isActive).length) - 1;
      if (activeLeft < 1) throw new FixParamError(`deactivateKeys: ${keyLabel(k)} is the last active key of ${k.project.slug}; rotate it instead (rotateKeys)`);
      leaving.set(k.project.slug, activeLeft);
      changes.push(
        fieldPut(keyPath(ctx, k.project.slug, k.key.public), { isActive: { before: true, after: false } }, {
          ref: `deactivate:${k.key.public}`,
          control: '3.2',
          check: CHECK,
          resource: { type: 'key', id: k.key.public, name: `${k.key.name} (${k.project.slug})` },
          risk: 'high',
          description: `Deactivate client key ${keyLabel(k)}: events sent with its DSN are rejected from then on.`,
        }, { echo: sdkEcho(k) }),
      );
    }
    return { changes, notes };
  },
};
