import { z } from 'zod';
import type { Finding, ResourceRef } from '../../shared/finding';
import { fieldPut, listParam, summariseList } from './build';
import { findKey, keyLabel, keysWithProjects, SDK_ECHO, sdkEcho } from './keys';
import type { ChangeDraft, FixDefinition, FixProposal, OperationRule } from './types';
import { FixParamError } from './types';

const CHECK = '3.2.single-active-key';

/** Deactivating only: a deactivated key rejects events at once, so high risk. */
export const DEACTIVATE_RULE: OperationRule = { op: 'key-fields', after: z.strictObject({ isActive: z.literal(false), ...SDK_ECHO }), risk: 'high', reversible: true };

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
  operations: [DEACTIVATE_RULE],

  async plan(ctx, findings: readonly Finding[]): Promise<FixProposal> {
    const wanted = listParam(ctx.params.deactivateKeys);
    const notes: FixProposal['notes'][number][] = [];
    const failing = findings.filter((f) => f.check === CHECK && f.status === 'fail');
    if (wanted.length === 0) {
      // One choice for every project: the parameter is one list of public keys.
      const keys = failing.flatMap((f) =>
        (Array.isArray(f.details?.keys) ? (f.details.keys as { public: string; name: string }[]) : []).map((k) => ({ ...k, project: f.resource.id })),
      );
      if (failing.length > 0) {
        const items: ResourceRef[] = keys.map((k) => ({ type: 'key', id: k.public, name: `${k.name} (${k.project})` }));
        notes.push({
          control: '3.2',
          check: CHECK,
          ...(failing.length === 1 && failing[0] ? { resource: failing[0].resource } : {}),
          kind: 'needs_parameter',
          message: `Choose the keys no application uses (${summariseList(failing.map((f) => f.resource.id), 'projects')} have more than one active key). Active keys: ${summariseList(keys.map((k) => `${k.name} (${k.project}, ${k.public.slice(0, 8)}…)`), 'keys', '; ')}.`,
          param: {
            key: 'deactivateKeys',
            kind: 'client_keys',
            label: 'Client keys to deactivate',
            choices: keys.map((k) => k.public),
            options: keys.map((k) => ({ value: k.public, label: k.name, detail: `project ${k.project}, public key ${k.public.slice(0, 8)}…` })),
            multiple: true,
          },
          items,
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
      if (activeLeft < 1) throw new FixParamError(`${keyLabel(k)} is the last active key of ${k.project.slug}; rotate it instead`, 'deactivateKeys');
      leaving.set(k.project.slug, activeLeft);
      changes.push(
        fieldPut(ctx, DEACTIVATE_RULE, { project: k.project.slug, key: k.key.public }, { isActive: { before: true, after: false } }, {
          ref: `deactivate:${k.key.public}`,
          control: '3.2',
          check: CHECK,
          resource: { type: 'key', id: k.key.public, name: `${k.key.name} (${k.project.slug})` },
          description: `Deactivate client key ${keyLabel(k)}: events sent with its DSN are rejected from then on.`,
        }, { echo: sdkEcho(k) }),
      );
    }
    return { changes, notes };
  },
};
