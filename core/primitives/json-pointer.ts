/** JSON pointers (RFC 6901), shared by the fixes that write them and the engine that reads them. */

/** RFC 6901: `~1` is '/', `~0` is '~'. Missing steps give `undefined`. */
export function atPointer(doc: unknown, pointer: string): unknown {
  if (pointer === '') return doc;
  let cur: unknown = doc;
  for (const raw of pointer.slice(1).split('/')) {
    const step = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) {
      const i = Number(step);
      cur = Number.isInteger(i) ? cur[i] : undefined;
    } else if (cur !== null && typeof cur === 'object') {
      cur = Object.prototype.hasOwnProperty.call(cur, step) ? (cur as Record<string, unknown>)[step] : undefined;
    } else {
      return undefined;
    }
  }
  return cur;
}

export function pointerOf(...steps: readonly string[]): string {
  return steps.map((s) => `/${s.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}
