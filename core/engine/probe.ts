import { z } from 'zod';
import type { Extract, Probe, Values } from '../../shared/plan';
import type { SentryClient } from '../sentry/client';
import { SentryApiError } from '../sentry/errors';
import { canonicalize } from '../primitives/canonical-json';

type Json = Values[string];

// JSON pointers live with the primitives: fixes build them, the engine reads them.
export { atPointer, pointerOf } from '../primitives/json-pointer';
import { atPointer } from '../primitives/json-pointer';

function asJson(v: unknown): Json {
  return v === undefined ? null : (JSON.parse(JSON.stringify(v)) as Json);
}

function extract(doc: unknown, spec: Extract): Json {
  if ('pointer' in spec) return asJson(atPointer(doc, spec.pointer));
  if ('exists' in spec) return true;
  if ('contains' in spec) {
    const list = atPointer(doc, spec.contains.pointer);
    if (!Array.isArray(list)) return false;
    const { key, value } = spec.contains;
    return list.some((e) => (key === '' ? e === value : e !== null && typeof e === 'object' && (e as Record<string, unknown>)[key] === value));
  }
  if ('item' in spec) {
    const list = atPointer(doc, spec.item.pointer);
    if (!Array.isArray(list)) return null;
    const found = list.find((e) => e !== null && typeof e === 'object' && (e as Record<string, unknown>)[spec.item.key] === spec.item.value);
    return found === undefined ? null : asJson((found as Record<string, unknown>)[spec.item.field]);
  }
  const { pointer, idKey, known, where } = spec.countNew;
  const list = atPointer(doc, pointer);
  if (!Array.isArray(list)) return 0;
  const knownSet = new Set(known);
  return list.filter((e) => {
    if (e === null || typeof e !== 'object') return false;
    const item = e as Record<string, unknown>;
    if (knownSet.has(String(item[idKey]))) return false;
    return Object.entries(where).every(([k, v]) => canonicalize(asJson(item[k])) === canonicalize(v));
  }).length;
}

/** Runs a probe: one GET (or every page), the named values taken from the answer. Throws SentryApiError. */
export async function readProbe(client: SentryClient, probe: Probe): Promise<Values> {
  const wantsExistence = Object.values(probe.values).some((e) => 'exists' in e);
  let doc: unknown;
  try {
    doc = probe.paginate
      ? (await client.paginate(probe.path, z.unknown())).items
      : await client.request('GET', probe.path, { schema: z.unknown() });
  } catch (e) {
    if (wantsExistence && e instanceof SentryApiError && e.code === 'not_found') {
      return Object.fromEntries(Object.keys(probe.values).map((k) => [k, false]));
    }
    throw e;
  }
  return Object.fromEntries(Object.entries(probe.values).map(([name, spec]) => [name, extract(doc, spec)]));
}

/** Deep equality of JSON values (key order does not matter). */
export function sameValues(a: Values, b: Values): boolean {
  return canonicalize(a) === canonicalize(b);
}

/** "teamRoles is [...] (planned [...])" for each field where `observed` differs from `planned`. */
export function describeDifferences(observed: Values, planned: Values): string {
  const keys = [...new Set([...Object.keys(planned), ...Object.keys(observed)])].sort();
  return keys
    .filter((k) => canonicalize({ v: observed[k] ?? null }) !== canonicalize({ v: planned[k] ?? null }))
    .map((k) => `${k} is ${JSON.stringify(observed[k] ?? null)} (planned ${JSON.stringify(planned[k] ?? null)})`)
    .join('; ');
}
