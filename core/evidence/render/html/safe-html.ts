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

// Where a literal part ends decides what the next value may be.
const URL_ATTR = /\s(?:href|src|xlink:href|action|srcset|poster|data)="$/i;
const ID_ATTR = /\s(?:id|for|aria-labelledby|aria-describedby|headers)="$/i;
const STYLE_ATTR = /\sstyle="[^"]*$/i;
const SAFE_STYLE_VALUE = /^[0-9A-Za-z.#%-]+$/;
const NAME_POSITION = /<\/?$|<[a-zA-Z][^<>]*\s$/;
const SAFE_URL = /^(?:#[A-Za-z0-9_-]+|raw\/[0-9a-f]{64}\.json)$/;
const SAFE_ID = /^[A-Za-z0-9_-]+(?: [A-Za-z0-9_-]+)*$/;

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
  for (let i = 0; i < values.length; i++) {
    const before = strings[i]!;
    const value = values[i]!;
    if (NAME_POSITION.test(before)) throw new TypeError(`html: a value cannot stand for a tag or attribute name (after ${JSON.stringify(before.slice(-20))})`);
    if (URL_ATTR.test(before) || ID_ATTR.test(before)) {
      const text = SafeHtml.is(value) ? value.toString() : String(value);
      const ok = URL_ATTR.test(before) ? SAFE_URL.test(text) : SAFE_ID.test(text);
      if (!ok) throw new TypeError(`html: ${JSON.stringify(text.slice(0, 80))} is not a safe ${URL_ATTR.test(before) ? 'link' : 'id'}`);
      out.push(text);
    } else if (STYLE_ATTR.test(before)) {
      const text = String(value);
      if (!SAFE_STYLE_VALUE.test(text)) throw new TypeError(`html: ${JSON.stringify(text.slice(0, 80))} is not a safe style value`);
      out.push(text);
    } else {
      piece(value, out);
    }
    out.push(strings[i + 1]!);
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
