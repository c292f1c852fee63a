import { z } from 'zod';
import type { ResourceRef } from '../../shared/finding';
import type { ChangeIntent, Values } from '../../shared/plan';
import { apiPath } from '../sentry/client';
import { buildOperation } from './operations';
import type { ChangeDraft, FixContext, OperationRule } from './types';

/** Shared builders: each knows the read-merge rule of its endpoint (REFERENCE.md 1, 5, 6). */

export function orgPath(ctx: FixContext): string {
  return apiPath`/api/0/organizations/${ctx.orgSlug}/`;
}

export function projectPath(ctx: FixContext, project: string): string {
  return apiPath`/api/0/projects/${ctx.orgSlug}/${project}/`;
}

export function keyPath(ctx: FixContext, project: string, key: string): string {
  return apiPath`/api/0/projects/${ctx.orgSlug}/${project}/keys/${key}/`;
}

export function memberPath(ctx: FixContext, memberId: string): string {
  return apiPath`/api/0/organizations/${ctx.orgSlug}/members/${memberId}/`;
}

interface Common {
  readonly ref: string;
  readonly control: string;
  readonly check: string;
  readonly resource: ResourceRef;
  readonly description: string;
  readonly notes?: readonly string[];
  readonly affected?: readonly ResourceRef[];
  readonly dependsOn?: readonly string[];
  readonly undoNote?: string;
}

/**
 * A change through an operation of the catalog: request, probe, inverse and verification come
 * from `buildOperation`, risk and confirmation from the fix's rule, exactly as apply rebuilds them.
 */
export function opChange(
  ctx: Pick<FixContext, 'orgSlug'>,
  rule: OperationRule,
  intent: { readonly args: ChangeIntent['args']; readonly data?: ChangeIntent['data'] },
  values: { readonly before: Values; readonly after: Values },
  common: Common & { readonly field: string },
): ChangeDraft {
  const full: ChangeIntent = { op: rule.op, args: { ...intent.args }, ...(intent.data === undefined ? {} : { data: intent.data }) };
  const built = buildOperation(ctx.orgSlug, full, values.before, values.after);
  return {
    ref: common.ref,
    intent: full,
    control: common.control,
    check: common.check,
    resource: common.resource,
    field: common.field,
    before: values.before,
    after: values.after,
    request: built.request,
    probe: built.probe,
    verify: built.verify,
    risk: rule.risk,
    reversible: rule.reversible,
    inverse: rule.reversible ? built.inverse : null,
    ...(common.undoNote ? { undoNote: common.undoNote } : {}),
    dependsOn: [...(common.dependsOn ?? [])],
    confirmSlug: rule.confirmSlug ?? false,
    description: common.description,
    notes: [...(common.notes ?? [])],
    ...(common.affected ? { affected: [...common.affected] } : {}),
    record: [...(rule.record ?? [])],
  };
}

/**
 * A PUT of some fields of an object whose GET shows the same fields by the same names
 * (organization, project, key, member). `echo` are fields sent unchanged because omitting them
 * resets them (a key's browserSdkVersion); they are part of before/after so that drift in them is seen.
 */
export function fieldPut(
  ctx: Pick<FixContext, 'orgSlug'>,
  rule: OperationRule,
  args: ChangeIntent['args'],
  changes: Readonly<Record<string, { before: Values[string]; after: Values[string] }>>,
  common: Common,
  opts: { echo?: Readonly<Record<string, Values[string]>>; field?: string } = {},
): ChangeDraft {
  const echo = opts.echo ?? {};
  const before: Values = { ...Object.fromEntries(Object.entries(changes).map(([k, v]) => [k, v.before])), ...echo };
  const after: Values = { ...Object.fromEntries(Object.entries(changes).map(([k, v]) => [k, v.after])), ...echo };
  return opChange(ctx, rule, { args }, { before, after }, { ...common, field: opts.field ?? Object.keys(changes).join(', ') });
}

/** A link between two objects that a POST creates and a DELETE removes (project ↔ team, member ↔ team). */
export function linkChange(ctx: Pick<FixContext, 'orgSlug'>, rule: OperationRule, args: ChangeIntent['args'], common: Common & { readonly field: string }): ChangeDraft {
  const add = rule.op.endsWith('-add');
  return opChange(ctx, rule, { args }, { before: { linked: !add }, after: { linked: add } }, common);
}

/** Splits a comma-separated parameter value into trimmed, non-empty items. */
export function listParam(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Parameters `prefix.<name>=value` as a map name -> value. */
export function paramsWithPrefix(ctx: FixContext, prefix: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(ctx.params)) {
    if (k.startsWith(`${prefix}.`)) out.set(k.slice(prefix.length + 1), v);
  }
  return out;
}

/** The after-values of a link operation. */
export const LINKED = z.strictObject({ linked: z.boolean() });

export { LIST_IN_TEXT, summariseList } from './summary';
