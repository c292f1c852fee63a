/**
 * Markup that is safe by construction. The only way to make a `SafeHtml` is the `html` tagged
 * template: its literal parts are the program's own markup, and every interpolated value is
 * escaped unless it is itself a `SafeHtml` (or a list of them). A string cast to `SafeHtml` is
 * still a string at run time and gets escaped. Interpolations in a URL or id attribute must have
 * the shape of an in-package link or a plain anchor, and none may stand where a tag or an
 * attribute name goes, so a value from a report can never become markup or a live link.
 */

const brand = Symbol('SafeHtml');

export class SafeHtml {
  readonly #html: string;
  private constructor(key: symbol, markup: string) {
    if (key !== brand) throw new TypeError('SafeHtml is made only by the html template');
    this.#html = markup;
  }
  /** For this module only: the template has checked and escaped everything in `markup`. */
  static fromTemplate(key: symbol, markup: string): SafeHtml {
    return new SafeHtml(key, markup);
  }
  static is(value: unknown): value is SafeHtml {
    return typeof value === 'object' && value !== null && #html in value;
  }
  toString(): string {
    return this.#html;
  }
}

/** What may stand in a `${...}` of the template. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

const SPECIAL = /[&<>"']/;
const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text and attribute values alike (quotes included). */
export function escapeHtml(value: unknown): string {
  const text = String(value);
  return SPECIAL.test(text) ? text.replace(/[&<>"']/g, (c) => ENTITIES[c]!) : text;
}

// Where the literal markup stands when a value comes decides what the value may be: text, the
// value of a quoted attribute, or (never for a string) a place inside a tag.
type Position = 'text' | 'tag' | 'quoted';

/** Reads the program's own literal markup (a value never changes the position: it is escaped or balanced). */
function advance(position: Position, literal: string): Position {
  let p = position;
  for (let i = 0; i < literal.length; i++) {
    const c = literal.charCodeAt(i);
    if (p === 'text') {
      if (c === 60 /* < */) p = 'tag';
    } else if (p === 'tag') {
      if (c === 34 /* " */) p = 'quoted';
      else if (c === 62 /* > */) p = 'text';
    } else if (c === 34) {
      p = 'tag';
    }
  }
  return p;
}

const ATTR_START = /\s([a-zA-Z:-]+)="([^"]*)$/;
const URL_ATTRS = new Set(['href', 'src', 'xlink:href', 'action', 'srcset', 'poster', 'data', 'formaction']);
const ID_ATTRS = new Set(['id', 'for', 'aria-labelledby', 'aria-describedby', 'headers']);
const SAFE_URL = /^(?:#[A-Za-z0-9_-]+|raw\/[0-9a-f]{64}\.json(?:\.gz)?)$/;
const SAFE_ID = /^[A-Za-z0-9_-]+(?: [A-Za-z0-9_-]+)*$/;
const SAFE_STYLE = /^[0-9A-Za-z.#%:; -]+$/;

/** A value inside a quoted attribute: links, ids and styles must have their safe shape as a whole. */
function checkAttribute(before: string, value: string, after: string): void {
  const m = ATTR_START.exec(before);
  if (!m) return;
  const name = m[1]!.toLowerCase();
  const rule = URL_ATTRS.has(name) ? ['link', SAFE_URL] as const : ID_ATTRS.has(name) ? ['id', SAFE_ID] as const : name === 'style' ? ['style value', SAFE_STYLE] as const : null;
  if (rule === null) return;
  const close = after.indexOf('"');
  if (close < 0) throw new TypeError(`html: one value at most in a ${name} attribute`);
  const whole = `${m[2]!}${value}${after.slice(0, close)}`;
  if (!rule[1].test(whole)) throw new TypeError(`html: ${JSON.stringify(whole.slice(0, 80))} is not a safe ${rule[0]}`);
}

function piece(value: HtmlValue, out: string[]): void {
  if (value === null || value === undefined || value === false) return;
  if (Array.isArray(value)) {
    for (const v of value as readonly HtmlValue[]) piece(v, out);
    return;
  }
  out.push(SafeHtml.is(value) ? value.toString() : escapeHtml(value));
}

function isTemplateStrings(strings: unknown): strings is TemplateStringsArray {
  return Array.isArray(strings) && Object.isFrozen(strings) && Array.isArray((strings as { raw?: unknown }).raw);
}

/** The tagged template: `html\`<td>${name}</td>\``. Throws on a value where markup could not take it safely. */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  if (!isTemplateStrings(strings)) throw new TypeError('html must be used as a tagged template');
  const out: string[] = [strings[0]!];
  let position = advance('text', strings[0]!);
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    if (position === 'tag' && !SafeHtml.is(value) && value !== null && value !== undefined && value !== false && value !== '') {
      throw new TypeError(`html: a value cannot stand for a tag or attribute name (after ${JSON.stringify(strings[i]!.slice(-20))})`);
    }
    if (position === 'quoted') {
      const text = SafeHtml.is(value) ? value.toString() : escapeHtml(value ?? '');
      checkAttribute(strings[i]!, text, strings[i + 1]!);
      out.push(text);
    } else {
      piece(value, out);
    }
    out.push(strings[i + 1]!);
    position = advance(position, strings[i + 1]!);
  }
  return SafeHtml.fromTemplate(brand, out.join(''));
}

/** Joins markup with a literal separator (`, `, `<br>`) given as a template. */
export function joinHtml(items: readonly SafeHtml[], separator: SafeHtml): SafeHtml {
  const out: HtmlValue[] = [];
  items.forEach((item, i) => {
    if (i > 0) out.push(separator);
    out.push(item);
  });
  return html`${out}`;
}

/** Nothing, as markup. */
export const EMPTY: SafeHtml = html``;
