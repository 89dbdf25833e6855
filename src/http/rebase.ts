/**
 * Puts the dashboard's pages under its secret path (see `basePath` in auth.ts) without every page
 * having to know it: the pages keep writing root-relative links (`href="/companies"`), and this
 * middleware, mounted at the secret path, prefixes them in HTML it sends and in redirects.
 *
 * Only root-relative URLs are touched: `//host/…` (another site), absolute and relative URLs, and
 * URLs already under the path (bull-board writes its own, from the base path it was given) stay
 * as they are.
 */
import type { RequestHandler, Response } from 'express';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `/companies` → `<base>/companies`; anything else unchanged. */
export function rebaseUrl(base: string, url: string): string {
  if (!url.startsWith('/') || url.startsWith('//')) return url;
  if (url === base || url.startsWith(`${base}/`) || url.startsWith(`${base}?`)) return url;
  return `${base}${url}`;
}

/** Prefixes the root-relative `href`, `src` and `action` URLs of an HTML document. */
export function rebaseHtml(base: string, document: string): string {
  const attribute = new RegExp(`(\\s(?:href|src|action)=")(/(?!/)(?!${escapeRegExp(base.slice(1))}(?:[/"?]))[^"]*)"`, 'g');
  return document.replace(attribute, (_match, head: string, url: string) => `${head}${base}${url}"`);
}

export function rebase(base: string): RequestHandler {
  return (_req, res, next) => {
    const location = res.location.bind(res);
    res.location = (url: string): Response => location(rebaseUrl(base, url));
    const send = res.send.bind(res);
    res.send = (body?: unknown): Response => {
      const type = String(res.get('Content-Type') ?? '');
      const html = typeof body === 'string' && (type === '' ? /^\s*<!doctype html/i.test(body) : type.startsWith('text/html'));
      return send(html ? rebaseHtml(base, body as string) : body);
    };
    next();
  };
}
