/**
 * HTML for the dashboard, escaped by default. Every page is built with the {@link html} tag: an
 * interpolated value is escaped unless it is itself the result of `html` (a {@link SafeHtml}), so
 * that a calendar title such as `<script>` can only ever appear as text. Arrays are joined, each
 * element escaped the same way. Nothing else in `src/http/` writes markup by string concatenation.
 */
import { DateTime } from 'luxon';
import type { Millis } from '../domain/types.js';
import { safeZone } from '../domain/format.js';

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Escapes text for element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ESCAPES[c] ?? c);
}

type Interpolation = SafeHtml | string | number | boolean | null | undefined | readonly Interpolation[];

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map((v: Interpolation) => render(v)).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: readonly Interpolation[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return new SafeHtml(out);
}

/** Text as it reads in a page: control and bidi-override characters removed, length bounded. */
export function plain(text: string, max = 300): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** "Tue 10 Mar 14:00" in the candidate's zone. */
export function clock(t: Millis, zone: string, format = 'ccc d LLL HH:mm'): string {
  const dt = DateTime.fromMillis(t, { zone: safeZone(zone) });
  return dt.isValid ? dt.toFormat(format) : 'an unknown time';
}

export type Section = 'week' | 'companies' | 'accounts' | 'queues' | 'onboarding';

export interface PageOptions {
  readonly title: string;
  readonly section: Section;
  /** What the live script reloads on (see assets.ts): `week`, `interview:<id>`, `companies`, `accounts`. */
  readonly live?: string;
  readonly body: SafeHtml;
  /** A short confirmation shown above the page (from a fixed list, never from the request). */
  readonly notice?: string | null;
}

const NAV: readonly { readonly section: Section; readonly href: string; readonly label: string }[] = [
  { section: 'week', href: '/', label: 'Week' },
  { section: 'companies', href: '/companies', label: 'Companies' },
  { section: 'accounts', href: '/accounts', label: 'Accounts' },
  { section: 'queues', href: '/queues', label: 'Queues' },
];

export function page(options: PageOptions): string {
  const nav = NAV.map(
    (n) => html`<a href="${n.href}"${n.section === options.section ? html` aria-current="page"` : ''}>${n.label}</a>`,
  );
  return `<!doctype html>${html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${options.title} · ringback</title>
<link rel="stylesheet" href="/assets/app.css">
<script src="/assets/app.js" defer></script>
</head>
<body${options.live ? html` data-live="${options.live}"` : ''}>
<header class="top"><a class="brand" href="/">ringback</a><nav>${nav}</nav><span class="live-dot" title="live updates"></span></header>
<main id="main">
${options.notice ? html`<p class="notice" role="status">${options.notice}</p>` : ''}
${options.body}
</main>
</body>
</html>`}`;
}

/** A small form that POSTs with the session's CSRF token. */
export function postForm(action: string, csrf: string, fields: Readonly<Record<string, string>>, label: string, className = 'btn'): SafeHtml {
  const hidden = Object.entries(fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`);
  return html`<form method="post" action="${action}" class="inline"><input type="hidden" name="_csrf" value="${csrf}">${hidden}<button type="submit" class="${className}">${label}</button></form>`;
}
