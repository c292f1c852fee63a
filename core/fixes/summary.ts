/** How many names a message lists before it summarises (the full list travels as data). */
export const LIST_IN_TEXT = 5;

/**
 * A list for a message: every item when there are a handful, else the count, the first few and
 * where the rest is ("88 members, e.g. a, b, c, d, e; all in the plan's data").
 */
export function summariseList(items: readonly string[], noun: string, separator = ', '): string {
  if (items.length <= LIST_IN_TEXT) return items.join(separator);
  return `${items.length} ${noun}, e.g. ${items.slice(0, LIST_IN_TEXT).join(separator)}; all in the plan's data`;
}

/** A value for a sentence: JSON, cut with a marker when long (the full value is in the change's data). */
export function shortJson(value: unknown, max = 120): string {
  const s = JSON.stringify(value) ?? 'null';
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
