import { z } from 'zod';
import type { Finding } from '../../shared/finding';
import { projectRef } from '../controls/findings';
import { fieldPut, listParam, paramsWithPrefix, summariseList } from './build';
import type { ChangeDraft, FixDefinition, FixProposal, OperationRule } from './types';
import { FixParamError } from './types';

const CHECK = '3.2.allowed-domains';

/** An origin Sentry matches: `https://app.example.com`, `example.com`, `*.example.com`, with an optional port. */
const ORIGIN = /^(https?:\/\/)?(\*\.)?([a-z0-9-]+\.)*[a-z0-9-]+(:\d{1,5})?$/i;

/** Never an empty list or `*`: either would defeat the restriction. */
const RULE: OperationRule = {
  op: 'project-fields',
  after: z.strictObject({ allowedDomains: z.array(z.string().regex(ORIGIN)).min(1).max(1000) }),
  risk: 'high',
  reversible: true,
};

export function parseDomains(value: string, key: string): string[] {
  const list = listParam(value);
  if (list.length === 0) throw new FixParamError(`give at least one origin; an empty list would block every event`, key);
  for (const d of list) {
    if (d === '*') throw new FixParamError(`"*" accepts every origin, which is what this fix replaces`, key);
    if (!ORIGIN.test(d)) throw new FixParamError(`"${d}" is not an origin such as https://app.example.com or *.example.com`, key);
  }
  return [...new Set(list)];
}

/**
 * Restricts a project's allowed domains (REFERENCE.md 5). The origins are a person's choice, so
 * each project needs `allowedDomains.<project>`; an empty list is refused here (Sentry refuses it
 * too, and it would block every event).
 */
export const allowedDomainsFix: FixDefinition = {
  id: 'allowed-domains',
  title: 'Restrict allowed domains',
  controls: ['3.2'],
  checks: [CHECK],
  params: [{ key: 'allowedDomains.<project>', pattern: /^allowedDomains\.[^.]+$/, description: 'Origins (comma-separated) the project accepts browser events from.' }],
  operations: [RULE],

  async plan(ctx, findings: readonly Finding[]): Promise<FixProposal> {
    const wanted = paramsWithPrefix(ctx, 'allowedDomains');
    const notes: FixProposal['notes'][number][] = [];
    const changes: ChangeDraft[] = [];
    for (const f of findings) {
      if (f.check !== CHECK || f.status !== 'fail' || f.resource.type !== 'project' || wanted.has(f.resource.id)) continue;
      notes.push({
        control: '3.2',
        check: CHECK,
        resource: f.resource,
        kind: 'needs_parameter',
        message: `List the sites that run the SDK of ${f.resource.id}: origins such as https://app.example.com or *.example.com.`,
        param: { key: `allowedDomains.${f.resource.id}`, kind: 'domains', label: `Sites allowed to send browser events to ${f.resource.id}`, multiple: true, min: 1, pattern: ORIGIN.source },
      });
    }
    for (const [slug, value] of wanted) {
      const domains = parseDomains(value, `allowedDomains.${slug}`);
      const detail = await ctx.data.projectDetail(slug);
      if (!detail.ok) throw new FixParamError(`cannot read project "${slug}" (${detail.error.message})`, `allowedDomains.${slug}`);
      const before = [...detail.value.allowedDomains];
      if (JSON.stringify(before) === JSON.stringify(domains)) continue;
      changes.push(
        fieldPut(ctx, RULE, { project: slug }, { allowedDomains: { before, after: domains } }, {
          ref: `domains:${slug}`,
          control: '3.2',
          check: CHECK,
          resource: projectRef(detail.value),
          description: `Accept browser events for ${slug} only from ${summariseList(domains, 'origins')} (was ${summariseList(before, 'origins')}); events from other origins are rejected.`,
        }),
      );
    }
    return { changes, notes };
  },
};
