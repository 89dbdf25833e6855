import { describe, expect, it } from 'vitest';
import { rebaseHtml, rebaseUrl } from '../../src/http/rebase.js';

const BASE = '/s/abcDEF0123456789_-xyz';

describe('rebase', () => {
  it.each([
    ['/', `${BASE}/`],
    ['/companies?done=cleared#c-acme', `${BASE}/companies?done=cleared#c-acme`],
    [`${BASE}/queues/`, `${BASE}/queues/`],
    [BASE, BASE],
    ['//evil.example/x', '//evil.example/x'],
    ['https://example.org/', 'https://example.org/'],
    ['relative', 'relative'],
  ])('url %s → %s', (url, expected) => {
    expect(rebaseUrl(BASE, url)).toBe(expected);
  });

  it('prefixes root-relative links, sources and form actions only', () => {
    const page = `<a href="/">w</a><link href="/assets/app.css"><script src="/assets/app.js"></script><form action="/interviews/x/outcome">`
      + `<a href="//evil.example/">e</a><a href="https://example.org/">x</a><a href="${BASE}/queues/">q</a><p>href="/not-an-attribute"</p>`;
    expect(rebaseHtml(BASE, page)).toBe(
      `<a href="${BASE}/">w</a><link href="${BASE}/assets/app.css"><script src="${BASE}/assets/app.js"></script><form action="${BASE}/interviews/x/outcome">`
        + `<a href="//evil.example/">e</a><a href="https://example.org/">x</a><a href="${BASE}/queues/">q</a><p>href="/not-an-attribute"</p>`,
    );
  });
});
