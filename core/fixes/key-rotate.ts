import { z } from 'zod';
import type { Finding } from '../../shared/finding';
import { fieldPut, listParam, opChange, summariseList } from './build';
import { DEACTIVATE_RULE } from './key-deactivate';
import { findKey, keyLabel, keysWithProjects, sdkEcho } from './keys';
import type { ChangeDraft, FixDefinition, FixProposal, OperationRule } from './types';

const CHECK = '3.2.key-age';

/** The new key; its undo (deleting it) is high risk, set by the operation's inverse. */
const CREATE_RULE: OperationRule = { op: 'key-create', after: z.strictObject({ created: z.literal(1) }), risk: 'low', reversible: true, record: ['id', 'name', 'isActive', 'rateLimit', 'dsn.public'] };

/**
 * Rotates a client key as two changes (REFERENCE.md 6): a new key with the same name and rate
 * limit (its DSN is shown once created), then, as a separate high-risk change that depends on
 * the first, the old key deactivated. Deploy the new DSN between the two.
 */
export const keyRotateFix: FixDefinition = {
  id: 'key-rotate',
  title: 'Rotate client keys',
  controls: ['3.2'],
  checks: [CHECK],
  params: [{ key: 'rotateKeys', pattern: /^rotateKeys$/, description: 'Public keys to rotate (comma-separated).' }],
  operations: [CREATE_RULE, DEACTIVATE_RULE],

  async plan(ctx, findings: readonly Finding[]): Promise<FixProposal> {
    const wanted = listParam(ctx.params.rotateKeys);
    const notes: FixProposal['notes'][number][] = [];
    if (wanted.length === 0) {
      const failing = findings.filter((x) => x.check === CHECK && x.status === 'fail');
      if (failing.length > 0) {
        // The keys by name and project, as a person knows them.
        const all = await keysWithProjects(ctx, 'key-rotate').catch(() => []);
        notes.push({
          control: '3.2',
          check: CHECK,
          ...(failing.length === 1 && failing[0] ? { resource: failing[0].resource } : {}),
          kind: 'needs_parameter',
          message: `Rotate old client keys when their applications can take a new DSN: ${summariseList(failing.map((f) => f.resource.name), 'keys')}.`,
          param: {
            key: 'rotateKeys',
            kind: 'client_keys',
            label: 'Client keys to rotate',
            choices: failing.map((f) => f.resource.id),
            options: failing.map((f) => {
              const k = all.find((x) => x.key.public === f.resource.id);
              return { value: f.resource.id, label: k?.key.name ?? f.resource.name, detail: `project ${k?.project.slug ?? 'unknown'}, public key ${f.resource.id.slice(0, 8)}…` };
            }),
            multiple: true,
          },
          items: failing.map((f) => f.resource),
        });
      }
      return { changes: [], notes };
    }
    const all = await keysWithProjects(ctx, 'key-rotate');
    const changes: ChangeDraft[] = [];
    for (const pub of wanted) {
      const k = findKey(all, pub, 'rotateKeys');
      const known = all.filter((x) => x.project.id === k.project.id).map((x) => x.key.id);
      const resource = { type: 'key' as const, id: k.key.public, name: `${k.key.name} (${k.project.slug})` };
      const createRef = `rotate:${k.key.public}:create`;
      const rateLimit = k.key.rateLimit ? { window: k.key.rateLimit.window, count: k.key.rateLimit.count } : null;
      changes.push(
        opChange(ctx, CREATE_RULE, { args: { project: k.project.slug }, data: { name: k.key.name, rateLimit, known } }, { before: { created: 0 }, after: { created: 1 } }, {
          ref: createRef,
          control: '3.2',
          check: CHECK,
          resource,
          field: 'new key',
          description: `Create a new client key for ${k.project.slug} named "${k.key.name}"${k.key.rateLimit ? ` with the same rate limit (${k.key.rateLimit.count}/${k.key.rateLimit.window} s)` : ''}; its public DSN is shown once created.`,
          notes: ['Deploy the new DSN to every application before confirming the next change, which deactivates the old key.'],
        }),
      );
      changes.push(
        fieldPut(ctx, DEACTIVATE_RULE, { project: k.project.slug, key: k.key.public }, { isActive: { before: true, after: false } }, {
          ref: `rotate:${k.key.public}:deactivate`,
          control: '3.2',
          check: CHECK,
          resource,
          dependsOn: [createRef],
          description: `Deactivate the old key ${keyLabel(k)}: only once the new DSN is deployed, since events sent with the old one are rejected from then on.`,
        }, { echo: sdkEcho(k) }),
      );
    }
    return { changes, notes };
  },
};
