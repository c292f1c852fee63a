import type { ActiveFault } from './faults';

/** How `wrong_shape` and `missing_field` faults bend a response body. */

/** The list a body carries: itself, or the audit log's `rows`; rebuilt with `map` applied. */
function mapElements(body: unknown, map: (o: unknown, i: number) => unknown): unknown {
  if (Array.isArray(body)) return body.map(map);
  const rows = (body as { rows?: unknown } | null)?.rows;
  if (body && typeof body === 'object' && Array.isArray(rows)) return { ...(body as object), rows: rows.map(map) };
  return map(body, 0);
}

function isPlainObject(o: unknown): o is Record<string, unknown> {
  return o !== null && typeof o === 'object' && !Array.isArray(o);
}

export function missingField(body: unknown, fault: ActiveFault): unknown {
  const field = fault.field as string;
  return mapElements(body, (o) => {
    if (!isPlainObject(o)) return o;
    const copy = { ...o };
    delete copy[field];
    return copy;
  });
}

export function wrongShape(body: unknown, fault: ActiveFault): unknown {
  if (fault.field !== undefined) {
    const field = fault.field;
    // A field of the body itself (the audit log's `rows`) is replaced whole.
    if (!Array.isArray(body) && isPlainObject(body) && field in body && fault.index === undefined) return { ...body, [field]: fault.value };
    return mapElements(body, (o, i) =>
      isPlainObject(o) && (fault.index === undefined || fault.index === i) ? { ...o, [field]: fault.value } : o,
    );
  }
  // An object where an array is expected, or booleans sent as strings.
  if (Array.isArray(body)) return { results: body };
  if (body && typeof body === 'object') {
    const entries = Object.entries(body as Record<string, unknown>);
    if (entries.some(([, v]) => typeof v === 'boolean')) {
      return Object.fromEntries(entries.map(([k, v]) => [k, typeof v === 'boolean' ? String(v) : v]));
    }
    return [body];
  }
  return { unexpected: body };
}
