import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { CHANNEL_NAMES, CHANNEL_NAME_PATTERN, EVENT_NAMES } from '../../../shared/ipc/channel-names';
import { channels, events } from '../../../shared/ipc/contract';
import { formatIssues } from '../../../shared/ipc/issues';

/** zod 4 keeps a schema's definition on `_zod.def`; these are the parts the walker reads. */
interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  left?: z.ZodType;
  right?: z.ZodType;
  valueType?: z.ZodType;
  items?: z.ZodType[];
  rest?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  getter?: () => z.ZodType;
  innerType?: z.ZodType;
}
const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;

/** Every object field reachable in a zod schema, with its path and its (unwrapped) schema. */
function fieldsOf(schema: z.ZodType, path = '$', seen = new Set<unknown>()): { path: string; key: string; schema: z.ZodType }[] {
  if (seen.has(schema)) return [];
  seen.add(schema);
  const def = defOf(schema);
  const out: { path: string; key: string; schema: z.ZodType }[] = [];
  const visit = (s: unknown, p: string) => s && out.push(...fieldsOf(s as z.ZodType, p, seen));
  switch (def.type) {
    case 'object':
      for (const [key, child] of Object.entries(def.shape ?? {})) {
        out.push({ path: `${path}.${key}`, key, schema: child });
        visit(child, `${path}.${key}`);
      }
      visit(def.catchall, `${path}.*`);
      break;
    case 'array':
      visit(def.element, `${path}[]`);
      break;
    case 'union':
      (def.options ?? []).forEach((o, i) => visit(o, `${path}|${i}`));
      break;
    case 'intersection':
      visit(def.left, path);
      visit(def.right, path);
      break;
    case 'record':
    case 'map':
      visit(def.valueType, `${path}{}`);
      break;
    case 'tuple':
      (def.items ?? []).forEach((o, i) => visit(o, `${path}[${i}]`));
      visit(def.rest, `${path}[...]`);
      break;
    case 'pipe':
      visit(def.in, path);
      visit(def.out, path);
      break;
    case 'lazy':
      visit(def.getter?.(), path);
      break;
    default:
      // optional, nullable, default, readonly, catch, nonoptional, promise, set...
      visit(def.innerType ?? def.valueType, path);
  }
  return out;
}

/** The type under optional/nullable/default wrappers. */
function baseType(schema: z.ZodType): string {
  let def = defOf(schema);
  while (def.innerType) def = defOf(def.innerType);
  return def.type;
}

const SECRETISH = /token|secret|password|passwd|passphrase|credential|authorization|api_?key|bearer/i;

/** Types that cannot carry a secret (`hasToken: true`, `orgAuthTokenStaleDays: 90`, `tokenKind: 'user'`: a fixed set of words). */
const CANNOT_CARRY = new Set(['boolean', 'number', 'enum']);

/** Fields that could carry a secret: a secret-ish name on a type that can hold one. */
function secretFields(schema: z.ZodType): string[] {
  return fieldsOf(schema)
    .filter((f) => SECRETISH.test(f.key) && !CANNOT_CARRY.has(baseType(f.schema)))
    .map((f) => f.path);
}

describe('IPC contract', () => {
  it('has exactly the listed channels and events, each named domain:verb', () => {
    expect(Object.keys(channels).sort()).toEqual([...CHANNEL_NAMES].sort());
    expect(Object.keys(events).sort()).toEqual([...EVENT_NAMES].sort());
    for (const name of [...CHANNEL_NAMES, ...EVENT_NAMES]) expect(name, name).toMatch(CHANNEL_NAME_PATTERN);
    expect(new Set(CHANNEL_NAMES).size).toBe(CHANNEL_NAMES.length);
    expect('auth:setToken').toMatch(CHANNEL_NAME_PATTERN);
    expect('authSetToken').not.toMatch(CHANNEL_NAME_PATTERN);
    expect('auth:set-token').not.toMatch(CHANNEL_NAME_PATTERN);
  });

  it('the field walker finds secrets however deeply they are nested (so the next test can fail)', () => {
    const hidden = z.object({
      a: z.array(z.union([z.string(), z.object({ b: z.object({ apiToken: z.string() }).optional() })])),
      hasToken: z.boolean(),
      tokenAgeDays: z.number().int().optional(),
      r: z.record(z.string(), z.object({ clientSecret: z.string().nullable() })),
    });
    expect(secretFields(hidden)).toEqual(['$.a[]|1.b.apiToken', '$.r{}.clientSecret']);
  });

  it('no response and no event carries a token, secret or password field', () => {
    for (const [name, spec] of Object.entries(channels)) {
      expect(secretFields(spec.response), `${name} response`).toEqual([]);
      // The walker must have seen the response's fields at all.
      expect(fieldsOf(spec.response).length, `${name} response fields`).toBeGreaterThan(0);
    }
    for (const [name, schema] of Object.entries(events)) expect(secretFields(schema), name).toEqual([]);
  });

  it('only auth:setToken, auth:verify and connection:check take a token, and only in their requests', () => {
    const withSecrets = Object.entries(channels)
      .filter(([, spec]) => secretFields(spec.request).length > 0)
      .map(([name, spec]) => [name, secretFields(spec.request)]);
    expect(withSecrets).toEqual([
      ['auth:setToken', ['$.token']],
      ['auth:verify', ['$.token']],
      ['connection:check', ['$.token']],
    ]);
  });

  it('requests are strict objects: unknown fields are refused', () => {
    for (const [name, spec] of Object.entries(channels)) {
      const def = defOf(spec.request);
      expect(def.type, name).toBe('object');
      expect(def.catchall && defOf(def.catchall).type, `${name} catchall`).toBe('never');
    }
    expect(channels['profile:list'].request.safeParse({ token: 'x' }).success).toBe(false);
  });

  it('responses strip fields the contract does not name', () => {
    const parsed = channels['auth:setToken'].response.parse({
      kind: 'user',
      scopes: ['org:read'],
      user: { id: '1', email: 'a@example.com', has2fa: true, token: 'leak' },
      token: 'leak',
    });
    expect(JSON.stringify(parsed)).not.toContain('leak');
  });

  it('auth:setToken trims a pasted token and refuses one with spaces without echoing it', () => {
    const ok = channels['auth:setToken'].request.parse({ profileId: 'p1', token: '  sntryu_abc\n' });
    expect(ok.token).toBe('sntryu_abc');
    const bad = channels['auth:setToken'].request.safeParse({ profileId: 'p1', token: 'sntryu_abc secretpart' });
    expect(bad.success).toBe(false);
    expect(formatIssues(bad.error?.issues ?? [])).toMatch(/^token: /);
    expect(formatIssues(bad.error?.issues ?? [])).not.toContain('secretpart');
  });

  it('fix:apply needs explicit consent', () => {
    const req = { profileId: 'p1', planId: 'plan', stepIds: ['s1'] };
    expect(channels['fix:apply'].request.safeParse(req).success).toBe(false);
    expect(channels['fix:apply'].request.safeParse({ ...req, confirm: false }).success).toBe(false);
    expect(channels['fix:apply'].request.safeParse({ ...req, confirm: true }).success).toBe(true);
  });

  it('fix:undo needs explicit consent too; both take the typed organization slug', () => {
    const undo = { profileId: 'p1', applyId: 'a1b2c3' };
    expect(channels['fix:undo'].request.safeParse(undo).success).toBe(false);
    expect(channels['fix:undo'].request.safeParse({ ...undo, confirm: true }).success).toBe(true);
    expect(channels['fix:undo'].request.safeParse({ ...undo, confirm: true, confirmOrg: 'acme', stepIds: ['c001'] }).success).toBe(true);
    expect(channels['fix:apply'].request.safeParse({ profileId: 'p1', planId: 'plan', stepIds: ['c001'], confirm: true, confirmOrg: 'acme' }).success).toBe(true);
  });

  it('a fix step carries the whole preview the wizard must show', () => {
    const shape = Object.keys(channels['fix:plan'].response.shape.steps.element.shape);
    for (const field of ['resource', 'field', 'before', 'after', 'request', 'risk', 'reversible', 'confirmSlug', 'undoNote', 'dependsOn']) {
      expect(shape, field).toContain(field);
    }
    const request = channels['fix:plan'].response.shape.steps.element.shape.request;
    expect(request.safeParse({ method: 'PUT', host: 'region', path: '/api/0/organizations/acme/', body: { require2FA: true } }).success).toBe(true);
  });

  it('a run id chosen by the window is short and plain (so it can cancel before the answer)', () => {
    const run = channels['audit:run'].request;
    expect(run.safeParse({ profileId: 'p1', runId: 'run-123456' }).success).toBe(true);
    expect(run.safeParse({ profileId: 'p1', runId: '../x' }).success).toBe(false);
    expect(run.safeParse({ profileId: 'p1', runId: 'abc' }).success).toBe(false);
  });
});
