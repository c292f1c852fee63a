import type { ResourceRef } from '../../../shared/finding';

/**
 * Finds, in a response body the evidence view shows, the items a verdict is about and the fields
 * of them it read. Works on the parsed JSON (structure), never on the text of messages.
 */

export type JsonObject = Record<string, unknown>;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The body as JSON, or null when it is not (cut short, or another type). */
export function parseBody(body: string): { readonly ok: true; readonly value: unknown } | { readonly ok: false } {
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch {
    return { ok: false };
  }
}

/** The list a body holds: the body itself, or its `rows` (the audit log's `{rows, options}`). */
export function listOf(body: unknown): JsonObject[] | null {
  const list = Array.isArray(body) ? body : isObject(body) && Array.isArray(body.rows) ? body.rows : null;
  return list ? list.filter(isObject) : null;
}

/** The keys by which Sentry's items name themselves, as the findings' resource ids use them. */
const ID_KEYS = ['id', 'slug', 'public', 'uuid', 'email'];

function namesResource(item: JsonObject, id: string): boolean {
  return ID_KEYS.some((k) => item[k] === id || (typeof item[k] === 'number' && String(item[k]) === id));
}

export interface ItemsAbout {
  /** The items of the body the verdict is about. */
  readonly items: readonly JsonObject[];
  /** True when the verdict covers every item (an organization-wide verdict over a list). */
  readonly all: boolean;
}

/**
 * The items of a body a finding is about: the one that names its resource; every item for an
 * organization-wide verdict over a list; the body itself when it is one object.
 */
export function itemsAbout(body: unknown, resource: ResourceRef): ItemsAbout {
  const list = listOf(body);
  if (list === null) return { items: isObject(body) ? [body] : [], all: false };
  const named = list.filter((item) => namesResource(item, resource.id));
  if (named.length > 0) return { items: named, all: false };
  return resource.type === 'organization' ? { items: list, all: true } : { items: [], all: false };
}

/** A dot path into one item (`user.has2fa`); `found` is false when a step is missing. */
export function fieldValue(item: JsonObject, path: string): { readonly found: boolean; readonly value: unknown } {
  let at: unknown = item;
  for (const step of path.split('.')) {
    if (!isObject(at) || !(step in at)) return { found: false, value: undefined };
    at = at[step];
  }
  return { found: true, value: at };
}

/**
 * The fields to show and highlight: those the check declares it reads, else the keys of the
 * finding's details that the items also have; only those some item carries.
 */
export function verdictFields(declared: readonly string[] | undefined, details: JsonObject | undefined, items: readonly JsonObject[]): string[] {
  const candidates = declared && declared.length > 0 ? declared : Object.keys(details ?? {});
  return candidates.filter((path) => items.some((item) => fieldValue(item, path).found));
}

/** Longest cell text before it is cut (the raw response holds the whole value). */
const MAX_CELL = 160;

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** A value in a table cell: short text for scalars (instants in UTC minutes), compact JSON for the rest, cut when long. */
export function cellText(value: unknown): string {
  const text = fullText(value);
  return text.length > MAX_CELL ? `${text.slice(0, MAX_CELL - 1)}…` : text;
}

function fullText(value: unknown): string {
  if (value === undefined) return '—';
  if (value === null) return 'null';
  if (typeof value === 'string' && ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value))) return `${new Date(value).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  if (typeof value === 'string') return value === '' ? '(empty)' : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) return value.length === 0 ? '[]' : value.join(', ');
  return JSON.stringify(value);
}
