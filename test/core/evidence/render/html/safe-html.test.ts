import { describe, expect, it } from 'vitest';
import { escapeHtml, html, SafeHtml } from '../../../../../core/evidence/render/html/safe-html';
import type { HtmlValue } from '../../../../../core/evidence/render/html/safe-html';

const EVIL = `<script>alert("x")</script>&'`;

describe('the html template', () => {
  it('escapes every interpolated value that is not markup it made', () => {
    expect(html`<td>${EVIL}</td>`.toString()).toBe(`<td>${escapeHtml(EVIL)}</td>`);
    expect(escapeHtml(EVIL)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;');
    expect(html`<p title="${EVIL}">${12} ${true}</p>`.toString()).toBe(`<p title="${escapeHtml(EVIL)}">12 true</p>`);
    // Lists are joined, each item by the same rule; null, undefined and false are nothing.
    const items: HtmlValue[] = [html`<b>${'a'}</b>`, '<i>', null, undefined, false, [html`<br>`, '&']];
    expect(html`${items}`.toString()).toBe('<b>a</b>&lt;i&gt;<br>&amp;');
    // Markup made by the template is kept as it is.
    expect(html`<div>${html`<span>${EVIL}</span>`}</div>`.toString()).toBe(`<div><span>${escapeHtml(EVIL)}</span></div>`);
  });

  it('cannot be given a raw string as markup: no constructor, no forged template, no look-alike object', () => {
    const Ctor = SafeHtml as unknown as new (key: symbol, markup: string) => SafeHtml;
    expect(() => new Ctor(Symbol('SafeHtml'), EVIL)).toThrow(TypeError);
    expect(() => SafeHtml.fromTemplate(Symbol('SafeHtml'), EVIL)).toThrow(TypeError);
    // Called as a function with a plain array, it refuses (a template's strings are frozen and carry .raw).
    const call = html as unknown as (strings: readonly string[], ...values: unknown[]) => SafeHtml;
    expect(() => call([EVIL])).toThrow(/tagged template/);
    expect(() => call(Object.freeze([EVIL]))).toThrow(/tagged template/);
    // A string cast to SafeHtml, or an object that prints markup, is still escaped.
    const cast = EVIL as unknown as SafeHtml;
    expect(html`${cast}`.toString()).toBe(escapeHtml(EVIL));
    const lookAlike = { toString: () => EVIL } as unknown as SafeHtml;
    expect(html`${lookAlike}`.toString()).toBe(escapeHtml(EVIL));
    expect(SafeHtml.is(lookAlike)).toBe(false);
    expect(SafeHtml.is(html`<b></b>`)).toBe(true);
  });

  it('refuses a value as a link unless it is an anchor or a raw/ file, and as an id unless it is plain', () => {
    for (const bad of ['javascript:alert(1)', 'https://evil.example/', '//evil.example', 'raw/../x.json', '#a b', '#"x', 'data:text/html,<b>']) {
      expect(() => html`<a href="${bad}">x</a>`, bad).toThrow(/not a safe link/);
    }
    const sha = 'a'.repeat(64);
    expect(html`<a href="${`raw/${sha}.json`}">x</a>`.toString()).toBe(`<a href="raw/${sha}.json">x</a>`);
    expect(html`<a href="#${'ra-1'}">x</a>`.toString()).toBe('<a href="#ra-1">x</a>');
    expect(() => html`<tr id="${'x" onclick="alert(1)'}"></tr>`).toThrow(/not a safe id/);
    expect(() => html`<svg aria-labelledby="${'<x>'}"></svg>`).toThrow(/not a safe id/);
    expect(() => html`<col style="width:${'1px;background:url(x)'}">`).toThrow(/not a safe style value/);
    expect(html`<col style="width:${'12%'}">`.toString()).toBe('<col style="width:12%">');
  });

  it('refuses a value where a tag or an attribute name goes', () => {
    expect(() => html`<${'script'}>`).toThrow(/tag or attribute name/);
    expect(() => html`</${'script'}>`).toThrow(/tag or attribute name/);
    expect(() => html`<a ${'onclick="alert(1)"'}>x</a>`).toThrow(/tag or attribute name/);
    expect(() => html`<td class="x" ${'onmouseover=alert(1)'}>`).toThrow(/tag or attribute name/);
    expect(() => html`<tr${' onclick=alert(1)'}>`).toThrow(/tag or attribute name/);
    // Attributes the template made itself may go there.
    expect(html`<tr${html` id="${'a-1'}"`}>`.toString()).toBe('<tr id="a-1">');
    // Text after a complete tag is content, and escaped.
    expect(html`<td> ${'<b>'}</td>`.toString()).toBe('<td> &lt;b&gt;</td>');
  });
});
