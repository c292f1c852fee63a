import { jsonType, type JsonType } from './shape';

/**
 * The shape of a JSON body with every value removed: for each field its JSON types and whether it
 * was always present; for lists the merged shape of their items. Item counts are left out too, so
 * a shape carries no name, id, email, secret or number of the organization it was read from.
 */
export interface Shape {
  readonly types: readonly JsonType[];
  /** Objects: each field's shape, and whether every object seen had it. */
  readonly fields?: Readonly<Record<string, FieldShape>>;
  /** Arrays: the merged shape of their items (absent when every array seen was empty). */
  readonly items?: Shape;
}

export interface FieldShape extends Shape {
  readonly presence: 'always' | 'sometimes';
}

/**
 * Objects whose keys are data, not field names (e.g. a project's `latestDeploys` is keyed by
 * environment name): their keys are folded into one `<key>` entry.
 */
const DATA_KEYED = new Set(['latestDeploys', 'environments', 'experiments', 'configData', 'configOrganization', 'data', 'stats']);
/** A key that does not look like a field name is treated as data too. */
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*([:.-][A-Za-z0-9_]+)*$/;
const MAX_DEPTH = 12;

interface MutableShape {
  types: Set<JsonType>;
  seen: number;
  /** How many objects were merged here: the denominator of each field's `presence`. */
  objects: number;
  fields?: Map<string, { shape: MutableShape; count: number }>;
  items?: MutableShape;
}

const empty = (): MutableShape => ({ types: new Set(), seen: 0, objects: 0 });

function add(into: MutableShape, value: unknown, parentKey: string | null, depth: number): void {
  const t = jsonType(value);
  if (t === 'undefined') return;
  into.types.add(t);
  into.seen++;
  if (depth >= MAX_DEPTH) return;
  if (t === 'array') {
    for (const item of value as unknown[]) add((into.items ??= empty()), item, null, depth + 1);
    return;
  }
  if (t !== 'object') return;
  into.objects++;
  const fields = (into.fields ??= new Map());
  const foldKeys = parentKey !== null && DATA_KEYED.has(parentKey);
  const counted = new Set<string>();
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const name = foldKeys || !FIELD_NAME.test(k) ? '<key>' : k;
    let entry = fields.get(name);
    if (!entry) {
      entry = { shape: empty(), count: 0 };
      fields.set(name, entry);
    }
    if (!counted.has(name)) {
      entry.count++;
      counted.add(name);
    }
    add(entry.shape, v, name, depth + 1);
  }
}

function freeze(s: MutableShape): Shape {
  const out: { types: JsonType[]; fields?: Record<string, FieldShape>; items?: Shape } = { types: [...s.types].sort() };
  if (s.fields && s.fields.size > 0) {
    const fields: Record<string, FieldShape> = {};
    for (const [name, entry] of [...s.fields].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      fields[name] = { ...freeze(entry.shape), presence: entry.count >= s.objects ? 'always' : 'sometimes' };
    }
    out.fields = fields;
  }
  if (s.items && s.items.seen > 0) out.items = freeze(s.items);
  return out;
}

/** Builds the shape of one or more bodies of the same endpoint (e.g. every project's detail). */
export class ShapeBuilder {
  private readonly root: MutableShape = empty();

  add(body: unknown): void {
    add(this.root, body, null, 0);
  }

  get isEmpty(): boolean {
    return this.root.seen === 0;
  }

  build(): Shape {
    return freeze(this.root);
  }
}
