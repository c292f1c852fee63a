/**
 * A small HCL writer for the configuration we generate: blocks with labels, attributes whose values
 * are strings, numbers, booleans, lists and objects, and one-line comments. Every value from Sentry
 * (names, domains) is hostile until proven otherwise, so strings are escaped for HCL's quoted
 * string syntax, template sequences (`${`, `%{`) are neutralised, labels are identifiers we make,
 * and comments never carry a line break.
 */

/** A reference to an input variable (`var.NAME`): the only expression we write unquoted. */
export class HclVariableRef {
  readonly expression: string;
  constructor(name: string) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`not a variable name: ${JSON.stringify(name)}`);
    this.expression = `var.${name}`;
  }
}

export type HclValue = string | number | boolean | null | HclVariableRef | readonly HclValue[] | { readonly [key: string]: HclValue };

/** An attribute or a nested block inside a block body, in the order written. */
export type HclBodyItem =
  | { readonly kind: 'attribute'; readonly name: string; readonly value: HclValue }
  | { readonly kind: 'comment'; readonly text: string };

export interface HclBlock {
  readonly type: string;
  readonly labels: readonly string[];
  readonly comments: readonly string[];
  readonly body: readonly HclBodyItem[];
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** HCL's quoted string: backslash escapes, and `$${` / `%%{` so nothing is interpolated. */
export function hclString(value: string): string {
  let out = '';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || (code >= 0x7f && code < 0xa0) || code === 0x2028 || code === 0x2029 || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069)) {
      out += `\\u${code.toString(16).padStart(4, '0')}`;
    } else out += ch;
  }
  // Function replacements: in a replacement string `$$` would mean one literal `$`.
  return `"${out.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{')}"`;
}

/** A comment line: control characters and line breaks become spaces; long text is cut. */
export function hclComment(text: string): string {
  const flat = Array.from(text, (ch) => {
    const code = ch.codePointAt(0)!;
    return code < 0x20 || (code >= 0x7f && code < 0xa0) || code === 0x2028 || code === 0x2029 || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069) ? ' ' : ch;
  }).join('');
  const cut = flat.length > 300 ? `${flat.slice(0, 299)}…` : flat;
  return `# ${cut}`.trimEnd();
}

/** A resource label from free text: an HCL identifier, never empty, never starting with a digit. */
export function hclLabel(text: string): string {
  const base = text
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 60);
  return /^[a-z_]/.test(base) ? base : `r_${base}`;
}

function renderValue(value: HclValue, indent: string): string {
  if (value === null) return 'null';
  if (value instanceof HclVariableRef) return value.expression;
  if (typeof value === 'string') return hclString(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error('HCL numbers must be finite');
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) {
    const items = value as readonly HclValue[];
    if (items.length === 0) return '[]';
    const inner = `${indent}  `;
    return `[\n${items.map((v) => `${inner}${renderValue(v, inner)},`).join('\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, HclValue>);
  if (entries.length === 0) return '{}';
  const inner = `${indent}  `;
  const width = Math.max(...entries.map(([k]) => k.length));
  return `{\n${entries.map(([k, v]) => `${inner}${attrName(k).padEnd(width)} = ${renderValue(v, inner)}`).join('\n')}\n${indent}}`;
}

function attrName(name: string): string {
  if (!IDENT.test(name)) throw new Error(`not an HCL identifier: ${JSON.stringify(name)}`);
  return name;
}

export function renderBlock(block: HclBlock): string {
  const lines = block.comments.map(hclComment);
  const labels = block.labels.map((l) => hclString(l)).join(' ');
  lines.push(`${block.type}${labels ? ` ${labels}` : ''} {`);
  const attrs = block.body.filter((b): b is Extract<HclBodyItem, { kind: 'attribute' }> => b.kind === 'attribute');
  const width = attrs.length > 0 ? Math.max(...attrs.map((a) => a.name.length)) : 0;
  for (const item of block.body) {
    if (item.kind === 'comment') lines.push(`  ${hclComment(item.text)}`);
    else lines.push(`  ${attrName(item.name).padEnd(width)} = ${renderValue(item.value, '  ')}`);
  }
  lines.push('}');
  return lines.join('\n');
}

/** `import { to = TYPE.NAME  id = "..." }` (Terraform 1.5+), so existing resources are adopted. */
export function renderImport(resourceType: string, name: string, id: string): string {
  return `import {\n  to = ${attrName(resourceType)}.${attrName(name)}\n  id = ${hclString(id)}\n}`;
}
