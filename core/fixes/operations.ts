import type { ChangeIntent, ChangeRequest, Extract, Inverse, Operation, Probe, Values } from '../../shared/plan';
import { PathArgSchema } from '../../shared/plan';
import { pointerOf } from '../primitives/json-pointer';
import { matchesTemplate } from '../sentry/api-path';
import { shortJson, summariseList } from './summary';
import { FixParamError } from './types';

/**
 * The operations fixes may use, each with its path template and its request, probe and inverse
 * as functions of the change's intent and before/after values. The planner and apply both build
 * through here, so a plan file's request fields are never what is sent (docs/fixes.md).
 * Endpoints: REFERENCE.md 1 (organization), 3.2-3.4 (members, teams), 5 (project), 6 (keys), 7 (filters).
 */

type Args = ChangeIntent['args'];

const T = {
  org: ['organizations', '{org}'],
  project: ['projects', '{org}', '{project}'],
  key: ['projects', '{org}', '{project}', 'keys', '{key}'],
  keys: ['projects', '{org}', '{project}', 'keys'],
  createdKey: ['projects', '{org}', '{project}', 'keys', '{created}'],
  member: ['organizations', '{org}', 'members', '{member}'],
  projectTeam: ['projects', '{org}', '{project}', 'teams', '{team}'],
  memberTeam: ['organizations', '{org}', 'members', '{member}', 'teams', '{team}'],
  filters: ['projects', '{org}', '{project}', 'filters'],
  filter: ['projects', '{org}', '{project}', 'filters', '{filter}'],
} as const;

export const IP_BLOCKLIST_OPTION = 'filters:blacklisted_ips';

/** The write path and the path it is verified through, per operation. */
const TEMPLATES: Readonly<Record<Operation, { readonly write: readonly string[]; readonly probe: readonly string[] }>> = {
  'org-fields': { write: T.org, probe: T.org },
  'project-fields': { write: T.project, probe: T.project },
  'key-fields': { write: T.key, probe: T.key },
  'member-fields': { write: T.member, probe: T.member },
  'project-team-add': { write: T.projectTeam, probe: T.project },
  'project-team-remove': { write: T.projectTeam, probe: T.project },
  'member-team-add': { write: T.memberTeam, probe: T.member },
  'member-team-remove': { write: T.memberTeam, probe: T.member },
  'invite-delete': { write: T.member, probe: T.member },
  'filter-enable': { write: T.filter, probe: T.filters },
  'ip-blocklist': { write: T.project, probe: T.project },
  'key-create': { write: T.keys, probe: T.keys },
};

/** Fills a template; `{created}` is left as the literal placeholder when the id is not known yet. */
export function fillTemplate(template: readonly string[], orgSlug: string, args: Args, keepCreated = false): string {
  const all: Record<string, string | undefined> = { ...args, org: orgSlug };
  const segs = template.map((t) => {
    const m = /^\{(\w+)\}$/.exec(t);
    if (!m) return t;
    const name = m[1] as string;
    if (name === 'created' && keepCreated && all.created === undefined) return '{created}';
    const v = all[name];
    if (v === undefined) throw new FixParamError(`the operation needs a ${name}`);
    // A slug or id, never a path: no separators, no dot segments, nothing to decode.
    if (!PathArgSchema.safeParse(v).success || v === '.' || v === '..') throw new FixParamError(`"${v}" is not a ${name} slug or id`);
    return encodeURIComponent(v);
  });
  return `/api/0/${segs.map((s) => `${s}/`).join('')}`;
}

export interface BuiltOperation {
  readonly request: ChangeRequest;
  readonly probe: Probe;
  /** How to reverse it; null when the operation cannot be reversed (a deleted invitation). */
  readonly inverse: Inverse | null;
  readonly verify: string;
}

function fieldNames(before: Values, after: Values): string[] {
  const a = Object.keys(after).sort();
  const b = Object.keys(before).sort();
  if (a.join('\n') !== b.join('\n') || a.length === 0) throw new FixParamError('before and after must name the same fields');
  return Object.keys(after);
}

function changed(before: Values, after: Values): string[] {
  return Object.keys(after).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
}

function fieldPut(path: string, before: Values, after: Values): BuiltOperation {
  const probe: Probe = { path, paginate: false, values: Object.fromEntries(fieldNames(before, after).map((f) => [f, { pointer: pointerOf(f) } as Extract])) };
  const names = changed(before, after);
  const request: ChangeRequest = { method: 'PUT', host: 'region', path, body: after };
  return {
    request,
    probe,
    inverse: { request: { ...request, body: before }, probe, before: after, after: before, risk: 'low', description: `Restore ${names.join(', ')} to the previous value.` },
    verify: `Re-read GET ${path} and expect ${names.map((n) => `${n} = ${shortJson(after[n])}`).join(', ')}.`,
  };
}

/** Operations whose before and after values are fixed by what they do. */
function fixedValues(before: Values, after: Values, expected: { before: Values; after: Values }, op: string): void {
  if (JSON.stringify(before) !== JSON.stringify(expected.before) || JSON.stringify(after) !== JSON.stringify(expected.after)) {
    throw new FixParamError(`${op}: before/after must be ${JSON.stringify(expected.before)} -> ${JSON.stringify(expected.after)}`);
  }
}

function link(add: boolean, path: string, probePath: string, key: string, value: string): BuiltOperation {
  const probe: Probe = { path: probePath, paginate: false, values: { linked: { contains: { pointer: '/teams', key, value } } } };
  return {
    request: { method: add ? 'POST' : 'DELETE', host: 'region', path },
    probe,
    inverse: {
      request: { method: add ? 'DELETE' : 'POST', host: 'region', path },
      probe,
      before: { linked: add },
      after: { linked: !add },
      risk: 'low',
      description: add ? `Remove ${value} again.` : `Add ${value} back.`,
    },
    verify: `Re-read GET ${probePath} and expect ${value} ${add ? 'to be' : 'not to be'} listed.`,
  };
}

function lines(v: Values[string] | undefined): string[] {
  return (typeof v === 'string' ? v : '').split('\n').map((s) => s.trim()).filter(Boolean);
}

/**
 * Request, probe, inverse and verification of an operation. Throws FixParamError when the intent
 * lacks what its template needs or the values do not fit the operation.
 */
export function buildOperation(orgSlug: string, intent: ChangeIntent, before: Values, after: Values): BuiltOperation {
  const tpl = TEMPLATES[intent.op];
  const path = fillTemplate(tpl.write, orgSlug, intent.args);
  const probePath = fillTemplate(tpl.probe, orgSlug, intent.args);
  // A template filled with the wrong arguments (or arguments that decode to something else) never gets out.
  const all = { ...intent.args, org: orgSlug };
  if (!matchesTemplate(path, tpl.write, all) || !matchesTemplate(probePath, tpl.probe, all)) throw new FixParamError(`${intent.op}: the path does not fit its template`);
  switch (intent.op) {
    case 'org-fields':
    case 'project-fields':
    case 'key-fields':
    case 'member-fields':
      return fieldPut(path, before, after);
    case 'project-team-add':
    case 'project-team-remove':
    case 'member-team-add':
    case 'member-team-remove':
      fixedValues(before, after, { before: { linked: !intent.op.endsWith('-add') }, after: { linked: intent.op.endsWith('-add') } }, intent.op);
      break;
    case 'filter-enable':
      fixedValues(before, after, { before: { active: false }, after: { active: true } }, intent.op);
      break;
    case 'key-create':
      fixedValues(before, after, { before: { created: 0 }, after: { created: 1 } }, intent.op);
      break;
    default:
      break;
  }
  switch (intent.op) {
    case 'project-team-add':
    case 'project-team-remove':
      return link(intent.op === 'project-team-add', path, probePath, 'slug', intent.args.team as string);
    case 'member-team-add':
    case 'member-team-remove':
      return link(intent.op === 'member-team-add', path, probePath, '', intent.args.team as string);
    case 'invite-delete':
      return {
        request: { method: 'DELETE', host: 'region', path },
        probe: { path, paginate: false, values: { exists: { exists: true }, user: { pointer: '/user' }, expired: { pointer: '/expired' } } },
        inverse: null,
        verify: `Re-read GET ${path} and expect 404 (the invitation is gone).`,
      };
    case 'filter-enable': {
      const id = intent.args.filter as string;
      const probe: Probe = { path: probePath, paginate: false, values: { active: { item: { pointer: '', key: 'id', value: id, field: 'active' } } } };
      return {
        request: { method: 'PUT', host: 'region', path, body: { active: true } },
        probe,
        inverse: { request: { method: 'PUT', host: 'region', path, body: { active: false } }, probe, before: { active: true }, after: { active: false }, risk: 'low', description: `Turn the ${id} filter off again.` },
        verify: `Re-read GET ${probePath} and expect ${id} to be active.`,
      };
    }
    case 'ip-blocklist': {
      const probe: Probe = { path, paginate: false, values: { blockedIps: { pointer: pointerOf('options', IP_BLOCKLIST_OPTION) } } };
      const previous = typeof before.blockedIps === 'string' ? before.blockedIps : '';
      const added = lines(after.blockedIps).filter((l) => !lines(before.blockedIps).includes(l));
      return {
        request: { method: 'PUT', host: 'region', path, body: { options: { [IP_BLOCKLIST_OPTION]: after.blockedIps ?? '' } } },
        probe,
        // Sentry shows an empty list as "".
        inverse: { request: { method: 'PUT', host: 'region', path, body: { options: { [IP_BLOCKLIST_OPTION]: previous } } }, probe, before: after, after: { blockedIps: previous }, risk: 'low', description: 'Restore the previous blocklist.' },
        verify: `Re-read GET ${path} and expect options.${IP_BLOCKLIST_OPTION} to list ${summariseList(added, 'ranges')}.`,
      };
    }
    case 'key-create': {
      const name = intent.data?.name;
      const known = intent.data?.known;
      const rateLimit = intent.data?.rateLimit ?? null;
      if (typeof name !== 'string' || !Array.isArray(known) || !known.every((k) => typeof k === 'string')) throw new FixParamError('key-create: the intent needs the key name and the known key ids');
      const createdPath = fillTemplate(T.createdKey, orgSlug, intent.args, true);
      return {
        request: { method: 'POST', host: 'region', path, body: { name, ...(rateLimit === null ? {} : { rateLimit }) } },
        probe: { path, paginate: true, values: { created: { countNew: { pointer: '', idKey: 'id', known: known as string[], where: { name, isActive: true } } } } },
        inverse: {
          request: { method: 'DELETE', host: 'region', path: createdPath },
          probe: { path: createdPath, paginate: false, values: { exists: { exists: true } } },
          before: { exists: true },
          after: { exists: false },
          risk: 'high',
          description: 'Delete the key created by the rotation (events sent with its DSN are rejected).',
          fromResponse: 'id',
        },
        verify: `Re-read GET ${path} and expect one new active key named "${name}".`,
      };
    }
  }
}

/** The forward values whose inverse an undo step is: swapped, except for a created key. */
export function forwardValuesOfUndo(op: Operation, undoBefore: Values, undoAfter: Values): { before: Values; after: Values } {
  if (op === 'key-create') return { before: { created: 0 }, after: { created: 1 } };
  return { before: undoAfter, after: undoBefore };
}
