// A strict reading of report.html's markup for tests: tags balanced, attributes quoted.
const VOID = new Set(['meta', 'br', 'col', 'link', 'img', 'input', 'hr', 'wbr', 'source', 'area', 'base']);

export interface Structure {
  readonly ids: string[];
  readonly hrefs: string[];
  readonly tags: string[];
  readonly attributes: string[];
}

/** A strict tag-balance check: every non-void element closed in order, attributes quoted. Throws on the first problem. */
export function checkStructure(html: string): Structure {
  const body = html.replace(/<style>[\s\S]*?<\/style>/g, '<style></style>');
  const stack: string[] = [];
  const ids: string[] = [];
  const hrefs: string[] = [];
  const tags: string[] = [];
  const attributes: string[] = [];
  const tagRe = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z:-]+(?:="[^"]*")?)*)\s*(\/?)>|<!DOCTYPE html>|<(?!\/?[a-zA-Z!])|<[^>]*>/g;
  for (const m of body.matchAll(tagRe)) {
    if (m[0] === '<!DOCTYPE html>') continue;
    if (m[2] === undefined) throw new Error(`malformed tag at ${m.index}: ${body.slice(m.index, m.index + 80)}`);
    const [, closing, rawName, attrs = '', selfClosing] = m;
    const name = rawName.toLowerCase();
    if (closing) {
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open}> at ${m.index}: ${body.slice(Math.max(0, m.index - 120), m.index + 20)}`);
      continue;
    }
    tags.push(name);
    for (const a of attrs.matchAll(/([a-zA-Z:-]+)(?:="([^"]*)")?/g)) {
      attributes.push(a[1]!.toLowerCase());
      if (a[1] === 'id') ids.push(a[2]!);
      if (a[1] === 'href') hrefs.push(a[2]!);
    }
    if (!VOID.has(name) && !selfClosing) stack.push(name);
  }
  if (stack.length > 0) throw new Error(`unclosed: ${stack.join(' > ')}`);
  return { ids, hrefs, tags, attributes };
}

export function text(html: string): string {
  return html.replace(/<style>[\s\S]*?<\/style>/g, '').replace(/<[^>]*>/g, ' ');
}

