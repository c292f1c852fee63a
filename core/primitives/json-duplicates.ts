/**
 * Whether any object of a JSON text has the same key twice, in one pass and without building a
 * tree (verify scans every raw/ body with it; the tree parser runs only to name where). Text that
 * is not JSON gives an unreliable answer: callers that care check validity themselves.
 */
export function hasDuplicateKeys(text: string): boolean {
  const stack: (Set<string> | null)[] = [];
  let expectKey = false;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // A string: a key when it opens a member of the innermost object. Its end is found with
      // indexOf (a quote preceded by an even run of backslashes), not char by char.
      const start = i;
      let end = text.indexOf('"', i + 1);
      for (;;) {
        if (end === -1) return false;
        let slashes = 0;
        while (text.charCodeAt(end - 1 - slashes) === 92) slashes++;
        if (slashes % 2 === 0) break;
        end = text.indexOf('"', end + 1);
      }
      i = end;
      if (!expectKey) continue;
      expectKey = false;
      const keys = stack[stack.length - 1];
      if (!keys) continue;
      let key = text.slice(start + 1, end);
      if (key.includes('\\')) {
        try {
          key = JSON.parse(text.slice(start, end + 1)) as string;
        } catch {
          return false;
        }
      }
      if (keys.has(key)) return true;
      keys.add(key);
    } else if (c === 123) {
      stack.push(new Set());
      expectKey = true;
    } else if (c === 91) {
      stack.push(null);
    } else if (c === 125 || c === 93) {
      stack.pop();
    } else if (c === 44) {
      expectKey = stack.length > 0 && stack[stack.length - 1] !== null;
    }
  }
  return false;
}

/** How many members the objects of a parsed JSON value hold, at every depth. */
function memberCount(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  let n = 0;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) n += memberCount(value[i]);
    return n;
  }
  const obj = value as Record<string, unknown>;
  for (const k in obj) n += 1 + memberCount(obj[k]);
  return n;
}

/** How many members the objects of a JSON text spell out: string tokens followed by a colon. */
function memberTokens(text: string): number {
  let n = 0;
  let i = text.indexOf('"');
  while (i !== -1) {
    let end = text.indexOf('"', i + 1);
    for (;;) {
      if (end === -1) return n;
      let slashes = 0;
      while (text.charCodeAt(end - 1 - slashes) === 92) slashes++;
      if (slashes % 2 === 0) break;
      end = text.indexOf('"', end + 1);
    }
    let j = end + 1;
    let c = text.charCodeAt(j);
    while (c === 32 || c === 10 || c === 13 || c === 9) c = text.charCodeAt(++j);
    if (c === 58) n++;
    i = text.indexOf('"', j);
  }
  return n;
}

/**
 * `hasDuplicateKeys` for a text already parsed (`parsed = JSON.parse(text)`), at a fraction of
 * its cost: a parsed object holds one member per distinct key, so the text spells out more
 * members than the value holds exactly when some object gives a key twice. Outside string
 * literals a colon only ever separates a member's key from its value, and the strings are
 * skipped with indexOf, not char by char (redaction runs this on every response).
 */
export function parsedHasDuplicateKeys(text: string, parsed: unknown): boolean {
  if (typeof parsed !== 'object' || parsed === null) return false;
  return memberTokens(text) !== memberCount(parsed);
}
