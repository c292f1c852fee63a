/**
 * A reader for the HCL subset `export terraform` writes (blocks with quoted labels, attributes
 * with strings, numbers, booleans, lists, objects and `var.x` references, `#` comments), written
 * from the HCL native syntax spec so the tests do not trust the writer to read its own output.
 */
export type ReadValue = string | number | boolean | null | { ref: string } | ReadValue[] | { [k: string]: ReadValue };

export interface ReadBlock {
  readonly type: string;
  readonly labels: string[];
  readonly attributes: Record<string, ReadValue>;
  readonly blocks: ReadBlock[];
}

export function readHcl(text: string): ReadBlock[] {
  let i = 0;
  const fail = (msg: string): never => {
    throw new Error(`${msg} at offset ${i}: ${JSON.stringify(text.slice(i, i + 40))}`);
  };
  const skip = (): void => {
    for (;;) {
      while (i < text.length && /\s/.test(text[i]!)) i += 1;
      if (text[i] === '#') {
        while (i < text.length && text[i] !== '\n') i += 1;
      } else return;
    }
  };
  const ident = (): string => {
    const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(text.slice(i));
    if (!m) fail('identifier expected');
    i += m![0].length;
    return m![0];
  };
  const str = (): string => {
    if (text[i] !== '"') fail('string expected');
    i += 1;
    let out = '';
    for (;;) {
      const c = text[i];
      if (c === undefined || c === '\n') fail('unterminated string');
      if (c === '"') {
        i += 1;
        return out;
      }
      if (c === '\\') {
        const e = text[i + 1];
        const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };
        if (e !== undefined && simple[e] !== undefined) {
          out += simple[e];
          i += 2;
        } else if (e === 'u') {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else fail('bad escape');
        continue;
      }
      if ((c === '$' || c === '%') && text[i + 1] === c && text[i + 2] === '{') {
        out += `${c}{`;
        i += 3;
        continue;
      }
      if ((c === '$' || c === '%') && text[i + 1] === '{') fail('template interpolation in a string');
      out += c;
      i += 1;
    }
  };
  const value = (): ReadValue => {
    skip();
    const c = text[i];
    if (c === '"') return str();
    if (c === '[') {
      i += 1;
      const items: ReadValue[] = [];
      for (;;) {
        skip();
        if (text[i] === ']') {
          i += 1;
          return items;
        }
        items.push(value());
        skip();
        if (text[i] === ',') i += 1;
      }
    }
    if (c === '{') {
      i += 1;
      const obj: Record<string, ReadValue> = {};
      for (;;) {
        skip();
        if (text[i] === '}') {
          i += 1;
          return obj;
        }
        const k = ident();
        skip();
        if (text[i] !== '=') fail('= expected');
        i += 1;
        obj[k] = value();
      }
    }
    const num = /^-?\d+(\.\d+)?/.exec(text.slice(i));
    if (num) {
      i += num[0].length;
      return Number(num[0]);
    }
    const word = ident();
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    if (text[i] === '.') {
      i += 1;
      return { ref: `${word}.${ident()}` };
    }
    // A bare keyword such as a variable's `type = string`.
    return { ref: word };
  };
  const body = (): { attributes: Record<string, ReadValue>; blocks: ReadBlock[] } => {
    const attributes: Record<string, ReadValue> = {};
    const blocks: ReadBlock[] = [];
    for (;;) {
      skip();
      if (i >= text.length || text[i] === '}') return { attributes, blocks };
      const name = ident();
      skip();
      if (text[i] === '=') {
        i += 1;
        if (name in attributes) fail(`duplicate attribute ${name}`);
        attributes[name] = value();
        continue;
      }
      const labels: string[] = [];
      while (text[i] === '"') {
        labels.push(str());
        skip();
      }
      if (text[i] !== '{') fail('{ expected');
      i += 1;
      const inner = body();
      if (text[i] !== '}') fail('} expected');
      i += 1;
      blocks.push({ type: name, labels, ...inner });
    }
  };
  const top = body();
  if (i < text.length) fail('trailing text');
  return top.blocks;
}
