import { z } from 'zod';
import type { Finding } from '../../shared/finding';
import type { Values } from '../../shared/plan';
import { orgRef, projectRef } from '../controls/findings';
import { fieldPut, listParam } from './build';
import type { ChangeDraft, FixDefinition, FixProposal, OperationRule } from './types';
import { FixParamError } from './types';

const ORG_FLAGS = [
  { check: '3.1.org-data-scrubber', field: 'dataScrubber', what: 'Require the data scrubber for every project.' },
  { check: '3.1.org-default-scrubbers', field: 'dataScrubberDefaults', what: 'Require the default scrubbers (passwords, tokens, card numbers...) for every project.' },
  { check: '3.1.org-scrub-ip', field: 'scrubIPAddresses', what: 'Prevent storing IP addresses for every project.' },
] as const;
const PROJECT_CHECKS = ['3.1.project-scrubbing', '3.1.project-scrub-ip', '3.1.sensitive-fields'];

const FIELDS = z.array(z.string().max(200)).max(1000);
/** Scrubbing only turns on, and sensitive fields only grow (the merge is checked at planning). */
const ORG_RULE: OperationRule = {
  op: 'org-fields',
  after: z.union([...ORG_FLAGS.map((f) => z.strictObject({ [f.field]: z.literal(true) })), z.strictObject({ sensitiveFields: FIELDS })]),
  risk: 'low',
  reversible: true,
};
const PROJECT_RULE: OperationRule = {
  op: 'project-fields',
  after: z
    .strictObject({ dataScrubber: z.literal(true), dataScrubberDefaults: z.literal(true), scrubIPAddresses: z.literal(true), sensitiveFields: FIELDS })
    .partial()
    .refine((v) => Object.keys(v).length > 0),
  risk: 'low',
  reversible: true,
};

/** The current list plus the baseline names it lacks (case-insensitive); nothing is removed. */
export function mergeSensitiveFields(current: readonly string[], baseline: readonly string[]): string[] {
  const have = new Set(current.map((f) => f.trim().toLowerCase()));
  return [...current, ...baseline.filter((b) => !have.has(b.trim().toLowerCase()))];
}

/**
 * Data scrubbing (REFERENCE.md 1, 5): at organization level by default (it then applies to every
 * project, including those created later), or per project with `scrubbing.scope=projects`.
 * Sensitive fields are merged with the baseline, never replaced; safe fields are not touched.
 */
export const dataScrubbingFix: FixDefinition = {
  id: 'data-scrubbing',
  title: 'Data scrubbing',
  controls: ['3.1'],
  checks: [...ORG_FLAGS.map((f) => f.check), ...PROJECT_CHECKS],
  params: [
    { key: 'scrubbing.scope', pattern: /^scrubbing\.scope$/, description: '`org` (default): require scrubbing for the whole organization; `projects`: set it on each project.' },
    { key: 'scrubbing.projects', pattern: /^scrubbing\.projects$/, description: 'With scope=projects: only these projects (slugs, comma-separated).' },
  ],
  operations: [ORG_RULE, PROJECT_RULE],

  async plan(ctx, findings: readonly Finding[]): Promise<FixProposal> {
    const scope = ctx.params['scrubbing.scope'] ?? 'org';
    if (scope !== 'org' && scope !== 'projects') throw new FixParamError(`"${scope}" is not org or projects`, 'scrubbing.scope');
    const failing = (check: string) => findings.filter((f) => f.check === check && f.status === 'fail');
    const baseline = ctx.settings.sensitiveFieldBaseline;
    const changes: ChangeDraft[] = [];
    const notes: FixProposal['notes'][number][] = [];
    if (ctx.params['scrubbing.scope'] === undefined && findings.some((f) => f.status === 'fail')) {
      notes.push({
        control: '3.1',
        kind: 'info',
        message: 'Scrubbing is required for the whole organization (it then covers projects created later too); it can be set on each project instead.',
        param: {
          key: 'scrubbing.scope',
          kind: 'scope',
          label: 'Where to require data scrubbing',
          choices: ['org', 'projects'],
          options: [
            { value: 'org', label: 'The whole organization', detail: 'every project, including those created later' },
            { value: 'projects', label: 'Each project', detail: 'only the projects that fail a scrubbing check' },
          ],
          suggested: 'org',
        },
      });
    }

    if (scope === 'org') {
      const res = orgRef(ctx.orgSlug, ctx.org.name);
      const org = ctx.org as Record<string, unknown>;
      const needsOrgFlags = failing('3.1.project-scrubbing').length + failing('3.1.project-scrub-ip').length > 0;
      for (const flag of ORG_FLAGS) {
        if (failing(flag.check).length === 0 && !needsOrgFlags) continue;
        if (org[flag.field] !== false) continue;
        changes.push(fieldPut(ctx, ORG_RULE, {}, { [flag.field]: { before: false, after: true } }, { ref: `org:${flag.field}`, control: '3.1', check: flag.check, resource: res, description: flag.what }));
      }
      if (failing('3.1.sensitive-fields').length > 0) {
        const merged = mergeSensitiveFields(ctx.org.sensitiveFields, baseline);
        if (merged.length > ctx.org.sensitiveFields.length) {
          if (merged.join('').length > 4000) throw new FixParamError('the merged sensitive fields would exceed Sentry\'s 4000 characters');
          changes.push(
            fieldPut(ctx, ORG_RULE, {}, { sensitiveFields: { before: [...ctx.org.sensitiveFields], after: merged } }, {
              ref: 'org:sensitiveFields',
              control: '3.1',
              check: '3.1.sensitive-fields',
              resource: res,
              description: `Add ${merged.length - ctx.org.sensitiveFields.length} baseline name(s) to the organization's sensitive fields (${merged.slice(ctx.org.sensitiveFields.length).join(', ')}); existing entries stay.`,
            }),
          );
        }
        for (const f of failing('3.1.sensitive-fields')) {
          const safe = Array.isArray(f.details?.safeFields) ? (f.details.safeFields as string[]) : [];
          const exempt = baseline.filter((b) => safe.includes(b.toLowerCase()));
          if (exempt.length > 0) {
            notes.push({ control: '3.1', check: f.check, resource: f.resource, kind: 'info', message: `${f.resource.id} lists ${exempt.join(', ')} as safe fields; safe fields are not changed by this fix, review them by hand.` });
          }
        }
      }
      return { changes, notes };
    }

    const only = new Set(listParam(ctx.params['scrubbing.projects']));
    const slugs = new Set(PROJECT_CHECKS.flatMap((c) => failing(c).filter((f) => f.resource.type === 'project').map((f) => f.resource.id)));
    if (only.size === 0 && slugs.size > 0) {
      notes.push({
        control: '3.1',
        kind: 'info',
        message: 'Every project that fails a scrubbing check is changed; choose some of them to change only those.',
        param: { key: 'scrubbing.projects', kind: 'project', label: 'Projects to change', choices: [...slugs], multiple: true },
      });
    }
    for (const slug of slugs) {
      if (only.size > 0 && !only.has(slug)) continue;
      const detail = await ctx.data.projectDetail(slug);
      if (!detail.ok) throw new FixParamError(`cannot read project ${slug} (${detail.error.message})`);
      const p = detail.value;
      const fields: Record<string, { before: Values[string]; after: Values[string] }> = {};
      if (!p.dataScrubber) fields.dataScrubber = { before: false, after: true };
      if (!p.dataScrubberDefaults) fields.dataScrubberDefaults = { before: false, after: true };
      if (!p.scrubIPAddresses) fields.scrubIPAddresses = { before: false, after: true };
      const merged = mergeSensitiveFields(p.sensitiveFields, baseline);
      if (merged.length > p.sensitiveFields.length) fields.sensitiveFields = { before: [...p.sensitiveFields], after: merged };
      if (Object.keys(fields).length === 0) continue;
      changes.push(
        fieldPut(ctx, PROJECT_RULE, { project: p.slug }, fields, {
          ref: `project:${p.slug}`,
          control: '3.1',
          check: '3.1.project-scrubbing',
          resource: projectRef(p),
          description: `Turn on scrubbing for project ${p.slug}: ${Object.keys(fields).join(', ')} (sensitive fields merged with the baseline; safe fields untouched).`,
        }, { field: 'scrubbing' }),
      );
    }
    for (const s of only) if (!slugs.has(s)) notes.push({ control: '3.1', kind: 'info', message: `Project ${s} already scrubs as required (or does not exist).` });
    return { changes, notes };
  },
};
