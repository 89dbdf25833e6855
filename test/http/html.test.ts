/** Escaping by default: the only way the dashboard writes markup. */
import { describe, expect, it } from 'vitest';
import { escapeHtml, html, page, plain, postForm } from '../../src/http/html.js';

describe('html', () => {
  it('escapes every interpolated value unless it is itself html', () => {
    const title = `<script>alert("x")</script> & 'y' \`z\``;
    expect(html`<h1>${title}</h1>`.value).toBe('<h1>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39; &#96;z&#96;</h1>');
    expect(html`<p>${html`<b>${'<i>'}</b>`}</p>`.value).toBe('<p><b>&lt;i&gt;</b></p>');
    expect(html`<ul>${['<a>', html`<li>ok</li>`, null, undefined, false, 3]}</ul>`.value).toBe('<ul>&lt;a&gt;<li>ok</li>3</ul>');
    expect(html`<a title="${'" onmouseover="x'}">`.value).toBe('<a title="&quot; onmouseover=&quot;x">');
    expect(escapeHtml('plain')).toBe('plain');
  });

  it('drops control and bidi-override characters and bounds the length', () => {
    expect(plain('a\u202eb\u0000c\nd')).toBe('abc\nd');
    expect(plain('x'.repeat(10), 5)).toBe('xxxx…');
  });

  it('builds pages with the nav, the live marker and no inline script or style', () => {
    const out = page({ title: '<t>', section: 'companies', live: 'interview:iv1', body: html`<p>hi</p>`, notice: 'Done <ok>' });
    expect(out).toContain('<title>&lt;t&gt; · ringback</title>');
    expect(out).toContain('data-live="interview:iv1"');
    expect(out).toContain('<a href="/companies" aria-current="page">');
    expect(out).toContain('Done &lt;ok&gt;');
    expect(out).not.toMatch(/<script>|<style|style=/);
    expect(out).toContain('<script src="/assets/app.js" defer></script>');
  });

  it('puts the CSRF token in a hidden field of each form', () => {
    const form = postForm('/interviews/iv1/outcome', 'tok"en', { outcome: 'held' }, 'It happened').value;
    expect(form).toContain('<input type="hidden" name="_csrf" value="tok&quot;en">');
    expect(form).toContain('<input type="hidden" name="outcome" value="held">');
    expect(form).toContain('method="post" action="/interviews/iv1/outcome"');
  });
});
