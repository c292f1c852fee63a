import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** One attribute of a resource as the provider's docs publish it. */
export interface DocAttribute {
  readonly name: string;
  readonly section: 'Required' | 'Optional' | 'Read-Only';
  /** `String`, `Number`, `Boolean`, `Set of String`, `Attributes`, ... (flags like Sensitive dropped). */
  readonly type: string;
  /** For `Attributes`: the nested attributes. */
  readonly nested?: ReadonlyMap<string, DocAttribute>;
}

export type ProviderSchema = ReadonlyMap<string, ReadonlyMap<string, DocAttribute>>;

const DIR = path.resolve(import.meta.dirname, '../../../fixtures/terraform-provider-sentry/resources');
const ITEM = /^- `([a-z_0-9]+)` \(([^)]*)\)/;

function parseList(lines: readonly string[], section: DocAttribute['section']): DocAttribute[] {
  return lines.flatMap((l) => {
    const m = ITEM.exec(l);
    if (!m) return [];
    const type = m[2]!.split(',')[0]!.trim();
    return [{ name: m[1]!, section, type }];
  });
}

/** Parses the `## Schema` part of a tfplugindocs page: top-level sections and nested schemas. */
export function parseResourceDoc(text: string): Map<string, DocAttribute> {
  const body = text.split('## Schema')[1]?.split('\n## ')[0] ?? '';
  const top = new Map<string, DocAttribute>();
  const nested = new Map<string, Map<string, DocAttribute>>();
  type Cursor = { kind: 'top'; section: DocAttribute['section'] } | { kind: 'nested'; parent: string; section: DocAttribute['section'] };
  let current: Cursor | null = null as Cursor | null;
  for (const line of body.split('\n')) {
    const top3 = /^### (Required|Optional|Read-Only)$/.exec(line.trim());
    const nest = /^### Nested Schema for `([a-z_0-9.]+)`$/.exec(line.trim());
    const nestSection = /^(Required|Optional|Read-Only):$/.exec(line.trim());
    if (top3) current = { kind: 'top', section: top3[1] as DocAttribute['section'] };
    else if (nest) current = { kind: 'nested', parent: nest[1]!, section: 'Optional' };
    else if (nestSection && current !== null && current.kind === 'nested') current = { kind: 'nested', parent: current.parent, section: nestSection[1] as DocAttribute['section'] };
    else if (current) {
      for (const a of parseList([line], current.section)) {
        if (current.kind === 'top') top.set(a.name, a);
        else {
          const m = nested.get(current.parent) ?? new Map<string, DocAttribute>();
          m.set(a.name, a);
          nested.set(current.parent, m);
        }
      }
    }
  }
  for (const [parent, attrs] of nested) {
    const a = top.get(parent);
    if (a) top.set(parent, { ...a, nested: attrs });
  }
  return top;
}

export function loadProviderSchema(): ProviderSchema {
  const out = new Map<string, Map<string, DocAttribute>>();
  for (const f of readdirSync(DIR)) {
    if (!f.endsWith('.md')) continue;
    out.set(`sentry_${f.replace(/\.md$/, '')}`, parseResourceDoc(readFileSync(path.join(DIR, f), 'utf8')));
  }
  return out;
}
