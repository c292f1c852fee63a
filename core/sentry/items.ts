import type { z } from 'zod';
import type { Evidence, InvalidItem } from '../../shared/finding';

/**
 * Per-item validation of list answers. Sentry's items vary (a nullable column, a field an older
 * release lacks, a service account where users are expected), so one odd item must not sink the
 * whole list: it is set aside as an `InvalidItem` that names it and the first field that failed,
 * and the checks about it report `error` while the rest of the list is evaluated.
 */
export interface ParsedItems<T> {
  readonly items: T[];
  readonly invalid: InvalidItem[];
}

/**
 * Fields that identify an item, in the order we try them: the slug first, since findings name
 * projects, teams and apps by slug; a key's public half; then id and uuid.
 */
const ID_FIELDS = ['slug', 'public', 'id', 'uuid'] as const;

function itemId(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const o = raw as Record<string, unknown>;
  for (const f of ID_FIELDS) {
    const v = o[f];
    if (typeof v === 'string' && v !== '') return cleanId(v);
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  }
  return undefined;
}

/** An id Sentry sent, bounded and on one line: it ends up in messages. */
function cleanId(s: string): string {
  const one = s.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return one.length > 80 ? `${one.slice(0, 77)}...` : one;
}

function describe(error: z.ZodError): { field: string; message: string } {
  const first = error.issues[0];
  const field = !first || first.path.length === 0 ? '(item)' : first.path.map(String).join('.');
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more)` : '';
  return { field, message: `${first?.message ?? 'does not match'}${more}` };
}

/** Validates each element; `offset` is the index of the first one within the whole read. */
export function parseItems<T>(raw: readonly unknown[], schema: z.ZodType<T>, offset = 0): ParsedItems<T> {
  const items: T[] = [];
  const invalid: InvalidItem[] = [];
  raw.forEach((element, i) => {
    const parsed = schema.safeParse(element);
    if (parsed.success) {
      items.push(parsed.data);
      return;
    }
    const id = itemId(element);
    invalid.push({ index: offset + i, ...(id === undefined ? {} : { id }), ...describe(parsed.error) });
  });
  return { items, invalid };
}

/** The items of a read that did not validate (none for a read without list semantics). */
export function invalidItemsOf(evidence: Evidence | undefined): readonly InvalidItem[] {
  return evidence?.invalid ?? [];
}

/** "item 3 (id "abc")", for messages. */
export function invalidItemLabel(item: InvalidItem): string {
  return item.id === undefined ? `item ${item.index}` : `item ${item.index} (id "${item.id}")`;
}

/** One line naming an invalid item, its field and the problem. */
export function invalidItemText(item: InvalidItem): string {
  return `${invalidItemLabel(item)}: field "${item.field}": ${item.message}`;
}
