import type { Finding } from '../../shared/finding';
import { apiPath } from '../sentry/client';
import { fieldPut, keyPath, listParam } from './build';
import { findKey, keyLabel, keysWithProjects, sdkEcho } from './keys';
import type { ChangeDraft, FixDefinition, FixProposal } from './types';

const CHECK = '3.2.key-age';

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

  async plan(ctx, findings: readonly Finding[]): Promise<FixProposal> {
    const wanted = listParam(ctx.params.rotateKeys);
    const notes: FixProposal['notes'][number][] = [];
    if (wanted.length === 0) {
      for (const f of findings.filter((x) => x.check === CHECK && x.status === 'fail')) {
        notes.push({ control: '3.2', check: CHECK, resource: f.resource, kind: 'needs_parameter', message: `Rotate ${f.resource.name} when its applications can take a new DSN: --set rotateKeys=${f.resource.id}.` });
      }
      return { changes: [], notes };
    }
    const all = await keysWithProjects(ctx, 'key-rotate');
    const changes: ChangeDraft[] = [];
    for (const pub of wanted) {
      const k = findKey(all, pub, 'rotateKeys');
      const listPath = apiPath`/api/0/projects/${ctx.orgSlug}/${k.project.slug}/keys/`;
      const known = all.filter((x) => x.project.id === k.project.id).map((x) => x.key.id);
      const resource = { type: 'key' as const, id: k.key.public, name: `${k.key.name} (${k.project.slug})` };
      const createRef = `rotate:${k.key.public}:create`;
      const body = { name: k.key.name, ...(k.key.rateLimit ? { rateLimit: { window: k.key.rateLimit.window, count: k.key.rateLimit.count } } : {}) };
      changes.push({
        ref: createRef,
        control: '3.2',
        check: CHECK,
        resource,
        field: 'new key',
        before: { created: 0 },
        after: { created: 1 },
        request: { method: 'POST', host: 'region', path: listPath, body },
        probe: { path: listPath, paginate: true, values: { created: { countNew: { pointer: '', idKey: 'id', known, where: { name: k.key.name, isActive: true } } } } },
        verify: `Re-read GET ${listPath} and expect one new active key named "${k.key.name}".`,
        risk: 'low',
        reversible: true,
        inverse: {
          request: { method: 'DELETE', host: 'region', path: `${listPath}{created}/` },
          probe: { path: `${listPath}{created}/`, paginate: false, values: { exists: { exists: true } } },
          before: { exists: true },
          after: { exists: false },
          risk: 'high',
          description: 'Delete the key created by the rotation (events sent with its DSN are rejected).',
          fromResponse: 'id',
        },
        dependsOn: [],
        confirmSlug: false,
        description: `Create a new client key for ${k.project.slug} named "${k.key.name}"${k.key.rateLimit ? ` with the same rate limit (${k.key.rateLimit.count}/${k.key.rateLimit.window} s)` : ''}; its public DSN is shown once created.`,
        notes: ['Deploy the new DSN to every application before confirming the next change, which deactivates the old key.'],
        record: ['id', 'name', 'isActive', 'rateLimit', 'dsn.public'],
      });
      changes.push(
        fieldPut(keyPath(ctx, k.project.slug, k.key.public), { isActive: { before: true, after: false } }, {
          ref: `rotate:${k.key.public}:deactivate`,
          control: '3.2',
          check: CHECK,
          resource,
          risk: 'high',
          dependsOn: [createRef],
          description: `Deactivate the old key ${keyLabel(k)}: only once the new DSN is deployed, since events sent with the old one are rejected from then on.`,
        }, { echo: sdkEcho(k) }),
      );
    }
    return { changes, notes };
  },
};
