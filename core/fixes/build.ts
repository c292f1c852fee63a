import type { ResourceRef } from '../../shared/finding';
import type { ChangeRequest, Extract, Inverse, Probe, Values } from '../../shared/plan';
import { apiPath } from '../sentry/client';
import { pointerOf } from '../engine/probe';
import type { ChangeDraft, FixContext } from './types';

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

export function pointerProbe(path: string, fields: readonly string[]): Probe {
  return { path, paginate: false, values: Object.fromEntries(fields.map((f) => [f, { pointer: pointerOf(f) } as Extract])) };
}

/** The same request with `before` values: the inverse of a field write. */
function restore(
  request: ChangeRequest,
  probe: Probe,
  before: Values,
  after: Values,
  body: Values | undefined,
  description: string,
  risk: 'low' | 'high' = 'low',
): Inverse {
  return {
    request: { ...request, ...(body === undefined ? {} : { body }) },
    probe,
    before: after,
    after: before,
    risk,
    description,
  };
}

interface Common {
  readonly ref: string;
  readonly control: string;
  readonly check: string;
  readonly resource: ResourceRef;
  readonly description: string;
  readonly risk?: 'low' | 'high';
  readonly notes?: readonly string[];
  readonly dependsOn?: readonly string[];
  readonly confirmSlug?: boolean;
  readonly undoNote?: string;
}

/**
 * A PUT of some fields of an object whose GET shows the same fields by the same names
 * (organization, project, key). `echo` are fields sent unchanged because omitting them resets
 * them (a key's browserSdkVersion); they are part of before/after so that drift in them is seen.
 */
export function fieldPut(
  path: string,
  changes: Readonly<Record<string, { before: Values[string]; after: Values[string] }>>,
  common: Common,
  opts: { echo?: Readonly<Record<string, Values[string]>>; field?: string; reversible?: boolean } = {},
): ChangeDraft {
  const echo = opts.echo ?? {};
  const before: Values = { ...Object.fromEntries(Object.entries(changes).map(([k, v]) => [k, v.before])), ...echo };
  const after: Values = { ...Object.fromEntries(Object.entries(changes).map(([k, v]) => [k, v.after])), ...echo };
  const request: ChangeRequest = { method: 'PUT', host: 'region', path, body: after };
  const probe = pointerProbe(path, Object.keys(before));
  const reversible = opts.reversible ?? true;
  const names = Object.keys(changes);
  return {
    ref: common.ref,
    control: common.control,
    check: common.check,
    resource: common.resource,
    field: opts.field ?? names.join(', '),
    before,
    after,
    request,
    probe,
    verify: `Re-read GET ${path} and expect ${names.map((n) => `${n} = ${JSON.stringify(after[n])}`).join(', ')}.`,
    risk: common.risk ?? 'low',
    reversible,
    inverse: reversible ? restore(request, probe, before, after, before, `Restore ${names.join(', ')} to the previous value.`) : null,
    ...(common.undoNote ? { undoNote: common.undoNote } : {}),
    dependsOn: [...(common.dependsOn ?? [])],
    confirmSlug: common.confirmSlug ?? false,
    description: common.description,
    notes: [...(common.notes ?? [])],
    record: [],
  };
}

/**
 * A link between two objects that a POST creates and a DELETE removes (project ↔ team,
 * member ↔ team); the probe checks membership in a list of the object's GET.
 */
export function linkChange(
  opts: Common & {
    readonly add: boolean;
    readonly linkPath: string;
    readonly probePath: string;
    readonly listPointer: string;
    /** '' when the list holds plain strings (a member's team slugs). */
    readonly key: string;
    readonly value: string;
    readonly field: string;
  },
): ChangeDraft {
  const probe: Probe = { path: opts.probePath, paginate: false, values: { linked: { contains: { pointer: opts.listPointer, key: opts.key, value: opts.value } } } };
  const before: Values = { linked: !opts.add };
  const after: Values = { linked: opts.add };
  const request: ChangeRequest = { method: opts.add ? 'POST' : 'DELETE', host: 'region', path: opts.linkPath };
  return {
    ref: opts.ref,
    control: opts.control,
    check: opts.check,
    resource: opts.resource,
    field: opts.field,
    before,
    after,
    request,
    probe,
    verify: `Re-read GET ${opts.probePath} and expect ${opts.value} ${opts.add ? 'to be' : 'not to be'} listed.`,
    risk: opts.risk ?? 'low',
    reversible: true,
    inverse: {
      request: { method: opts.add ? 'DELETE' : 'POST', host: 'region', path: opts.linkPath },
      probe,
      before: after,
      after: before,
      risk: 'low',
      description: opts.add ? `Remove ${opts.value} again.` : `Add ${opts.value} back.`,
    },
    dependsOn: [...(opts.dependsOn ?? [])],
    confirmSlug: false,
    description: opts.description,
    notes: [...(opts.notes ?? [])],
    record: [],
  };
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
