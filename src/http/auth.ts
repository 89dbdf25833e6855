/**
 * Who may use the dashboard, and how a request proves it came from the dashboard itself.
 *
 * - **Host**: only `127.0.0.1:<port>` and `localhost:<port>` are served, or, when `dashboard.publicUrl`
 *   says where a browser opens it (a port published by Docker), exactly that address; so a page on
 *   a domain that re-points its DNS to 127.0.0.1 (DNS rebinding) gets nothing.
 * - **Token**: the address printed by `ringback start` carries a random token. The first visit with
 *   `?token=` trades it for a session cookie (HttpOnly, SameSite=Strict) and redirects to the same
 *   page under the session's path, without the token, so the token does not stay in the address
 *   bar or the history. Every other request needs that cookie. The cookie is
 *   `<session id>.<HMAC(token, session id)>`: nothing is kept in memory, and a restart (a new
 *   token) ends every session.
 * - **Path**: browsers send a cookie to every port of a host (RFC 6265 §8.5), so a cookie for
 *   `127.0.0.1` with `Path=/` also reached any other local server a page of the user's opened, which
 *   could then replay it here with any headers it liked. The dashboard therefore lives under a
 *   secret path, `/s/<HMAC(token, "path")>`, and the cookie's Path is that path: a page on another
 *   port never learns the path, so the browser never sends it the cookie.
 * - **Writes** (any method but GET and HEAD) must come from the dashboard's own pages: the browser's
 *   `Sec-Fetch-Site` must say `same-origin`, or, from a browser that does not send it, `Origin`
 *   must be the dashboard's. A request with neither is refused too. Forms also carry a CSRF token
 *   derived from the session (checked by {@link Guard.checkCsrf}).
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

export interface Guard {
  /** The secret path every page lives under, e.g. `/s/3kQ…`; the session cookie is scoped to it. */
  readonly basePath: string;
  /** Host check, then the token or the session cookie; sets `res.locals.session`. */
  readonly authenticate: RequestHandler;
  /** Refuses a write that does not come from the dashboard's own origin. */
  readonly sameOrigin: RequestHandler;
  /** Refuses a form whose `_csrf` field is not this session's. */
  readonly checkCsrf: RequestHandler;
  /** The CSRF token of the request's session (for hidden fields). */
  csrfFor(res: Response): string;
}

const SAFE_METHODS = new Set(['GET', 'HEAD']);

function mac(token: string, purpose: string, sessionId: string): string {
  return createHmac('sha256', token).update(`${purpose}:${sessionId}`).digest('base64url');
}

/** Constant-time comparison of two strings of any length. */
export function sameSecret(a: string, b: string): boolean {
  const da = createHash('sha256').update(a).digest();
  const db = createHash('sha256').update(b).digest();
  return timingSafeEqual(da, db);
}

function readCookie(req: Request, name: string): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return null;
}

function refuse(res: Response, status: 401 | 403, title: string, text: string): void {
  res
    .status(status)
    .type('html')
    .set('Cache-Control', 'no-store')
    .send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1><p>${text}</p></body></html>`);
}

const NEED_TOKEN =
  'This dashboard opens with the address that <code>ringback start</code> printed. Run <code>ringback dashboard</code> to print it again.';

export function createGuard(options: {
  readonly token: string;
  readonly port: () => number;
  /** The origin a browser opens the dashboard at, when not the loopback one (`dashboard.publicUrl`). */
  readonly publicOrigin?: string | null;
}): Guard {
  const { token } = options;
  const cookieName = () => `ringback_${options.port()}`;
  const publicHost = options.publicOrigin ? new URL(options.publicOrigin).host : null;
  // 128 bits: as hard to guess as a session id.
  const basePath = `/s/${mac(token, 'path', '').slice(0, 22)}`;
  const underBase = (path: string): boolean => path === basePath || path.startsWith(`${basePath}/`);

  const hostAllowed = (host: string | undefined): boolean => {
    if (publicHost !== null) return host === publicHost;
    const port = options.port();
    return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
  };
  const originAllowed = (origin: string, host: string | undefined): boolean =>
    hostAllowed(host) && origin === (options.publicOrigin ?? `http://${host}`);

  const sessionOf = (req: Request): string | null => {
    const cookie = readCookie(req, cookieName());
    if (!cookie) return null;
    const dot = cookie.indexOf('.');
    if (dot <= 0) return null;
    const id = cookie.slice(0, dot);
    return sameSecret(cookie.slice(dot + 1), mac(token, 'session', id)) ? id : null;
  };

  const authenticate: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
    if (!hostAllowed(req.headers.host)) {
      refuse(res, 403, 'Unknown host', `The dashboard answers at ${options.publicOrigin ?? `http://127.0.0.1:${options.port()}`} only.`);
      return;
    }
    const given = req.query.token;
    if (typeof given === 'string' && SAFE_METHODS.has(req.method)) {
      if (!sameSecret(given, token)) {
        refuse(res, 401, 'This address has expired', NEED_TOKEN);
        return;
      }
      const id = randomBytes(16).toString('base64url');
      res.cookie(cookieName(), `${id}.${mac(token, 'session', id)}`, { httpOnly: true, sameSite: 'strict', path: basePath });
      const url = new URL(req.originalUrl, 'http://dashboard.invalid');
      url.searchParams.delete('token');
      // One leading slash only: "//host/…" would send the browser to another site.
      const path = `/${url.pathname.replace(/^\/+/, '')}`;
      const page = underBase(path) ? path : `${basePath}${path}`;
      res.set('Cache-Control', 'no-store').redirect(303, `${page}${url.search}`);
      return;
    }
    const session = underBase(req.path) ? sessionOf(req) : null;
    if (!session) {
      refuse(res, 401, 'Sign-in needed', NEED_TOKEN);
      return;
    }
    res.locals.session = session;
    next();
  };

  const sameOrigin: RequestHandler = (req, res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const site = req.headers['sec-fetch-site'];
    const origin = req.headers.origin;
    const ok =
      site !== undefined
        ? site === 'same-origin'
        : origin !== undefined && originAllowed(origin, req.headers.host);
    if (!ok) {
      refuse(res, 403, 'Refused', 'Changes can only be made from the dashboard’s own pages.');
      return;
    }
    next();
  };

  const csrfFor = (res: Response): string => {
    const session = res.locals.session as string | undefined;
    if (!session) throw new Error('csrfFor called before authenticate');
    return mac(token, 'csrf', session);
  };

  const checkCsrf: RequestHandler = (req, res, next) => {
    const body = req.body as Record<string, unknown> | undefined;
    const given = body?._csrf;
    if (typeof given !== 'string' || !sameSecret(given, csrfFor(res))) {
      refuse(res, 403, 'Refused', 'This form has expired: reload the page and try again.');
      return;
    }
    next();
  };

  return { basePath, authenticate, sameOrigin, checkCsrf, csrfFor };
}

/** A new dashboard token: 32 random bytes, base64url. */
export function newDashboardToken(): string {
  return randomBytes(32).toString('base64url');
}
