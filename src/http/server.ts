/**
 * The local dashboard: started by `ringback start` (and the demo) next to the workers, on
 * 127.0.0.1 unless `dashboard.host` says otherwise (a container whose port is published on the
 * host's 127.0.0.1). `startDashboard` returns the address to print, with its one-time token.
 *
 * Order of the middleware, and why:
 * 1. security headers (helmet) and the content security policy: strict everywhere (scripts and
 *    styles from this server's own files only, no inline code), looser for bull-board's page only
 *    (see queues.ts);
 * 2. the same-origin check on every write, before anything else looks at the request, so a
 *    cross-origin POST is refused (403) whatever it carries;
 * 3. the host check and the token or session cookie (401 without);
 * 4. under the session's secret path: assets, the live feed, bull-board, then the pages and forms
 *    (forms also check the CSRF token).
 *
 * `GET /healthz` comes before all but the headers: it says only whether Redis answers, and a
 * container's healthcheck asks it from inside, at whatever Host the port has there.
 */
import type { Server } from 'node:http';
import { hostname } from 'node:os';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet, { contentSecurityPolicy } from 'helmet';
import type { Env } from '../../config/paths.js';
import type { RedisHealth } from '../daemon/redis-health.js';
import type { Runtime } from '../daemon/runtime.js';
import type { Engine } from '../engine/context.js';
import { RunTimeError } from '../errors.js';
import { forgetDashboardAddress, renewDashboardAddress, saveDashboardAddress } from '../store/dashboard.js';
import { APP_JS } from './assets/client.js';
import { APP_CSS } from './assets/style.js';
import { createGuard, newDashboardToken } from './auth.js';
import { html, page } from './html.js';
import { startLiveFeed } from './live.js';
import { rebase } from './rebase.js';

export interface DashboardOptions {
  /** 0 takes any free port (tests). @defaultValue config.dashboard.port (7807) */
  readonly port?: number;
  /** The address to listen on. @defaultValue config.dashboard.host ('127.0.0.1') */
  readonly host?: string;
  /** @defaultValue 32 random bytes, base64url */
  readonly token?: string;
  /** Environment used when the onboarding forms write ringback.yaml (home folder for `~`). @defaultValue {} */
  readonly env?: Env;
  /** Takes the live feed's connection faults, reported once by the daemon. @defaultValue each logged */
  readonly health?: RedisHealth;
}

export interface Dashboard {
  /** The address to open, with the token: `http://127.0.0.1:7807/?token=…`. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** The address kept in Redis lives this long unless renewed (every third of it). */
const ADDRESS_TTL_MS = 60_000;

const STRICT_CSP = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'none'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'"],
    connectSrc: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
  },
};

/**
 * bull-board's page: its React UI writes inline styles ('unsafe-inline' for styles only; scripts
 * stay 'self'), sets `<base href>` (base-uri 'self'), and shows data: icons. Its web fonts come
 * from Google and are left blocked: the page falls back to the system font.
 */
const QUEUES_CSP = {
  useDefaults: false,
  directives: {
    ...STRICT_CSP.directives,
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
    fontSrc: ["'self'", 'data:'],
    baseUri: ["'self'"],
  },
};

/** Where bull-board (queues.ts) is mounted under the session's path. */
const QUEUES_PATH = '/queues';

/**
 * A handler built on the first request that reaches it. The pages (routes.ts and what it reads)
 * and bull-board take about 35 MB of the daemon's memory once loaded, and most daemons run for
 * weeks without anyone opening the dashboard (issue 17, footprint benchmark).
 */
function loadedOnFirstUse(load: () => Promise<express.RequestHandler>): express.RequestHandler {
  let handler: Promise<express.RequestHandler> | null = null;
  return (req, res, next) => {
    handler ??= load();
    handler.then((h) => h(req, res, next), next);
  };
}

/** How long `/healthz` waits for Redis before saying it does not answer. */
const HEALTH_TIMEOUT_MS = 2_000;

/**
 * The address that opens the dashboard: the first visit trades the token for a session cookie.
 * `publicUrl` (`dashboard.publicUrl`) is where a browser reaches it when not on the loopback port.
 */
export function dashboardUrl(where: { readonly port: number; readonly publicUrl: string | null }, token: string): string {
  return `${where.publicUrl ?? `http://127.0.0.1:${where.port}`}/?token=${token}`;
}

async function redisAnswers(runtime: Runtime): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), HEALTH_TIMEOUT_MS);
  });
  try {
    return await Promise.race([runtime.store.redis.ping().then((r) => r === 'PONG'), late]);
  } catch (error) {
    runtime.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'dashboard: health check could not reach Redis');
    return false;
  } finally {
    clearTimeout(timer);
  }
}

export async function startDashboard(runtime: Runtime, engine: Engine, options: DashboardOptions = {}): Promise<Dashboard> {
  const token = options.token ?? newDashboardToken();
  let port = options.port ?? runtime.config.dashboard.port;
  const host = options.host ?? runtime.config.dashboard.host;
  const { publicUrl } = runtime.config.dashboard;
  const guard = createGuard({ token, port: () => port, publicOrigin: publicUrl });
  const live = startLiveFeed({ redisUrl: runtime.redisUrl, prefix: runtime.config.prefix, log: runtime.log, ...(options.health ? { health: options.health } : {}) });

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // Plain http on the loopback: no HSTS, and no upgrade of requests to https.
  app.use(helmet({ contentSecurityPolicy: false, strictTransportSecurity: false }));
  const strict = contentSecurityPolicy(STRICT_CSP);
  const loose = contentSecurityPolicy(QUEUES_CSP);
  const queuesPath = `${guard.basePath}${QUEUES_PATH}`;
  app.use((req, res, next) => (req.path === queuesPath || req.path.startsWith(`${queuesPath}/`) ? loose : strict)(req, res, next));
  app.get('/healthz', (_req, res, next) => {
    redisAnswers(runtime).then(
      (ok) => res.status(ok ? 200 : 503).type('text/plain').set('Cache-Control', 'no-store').send(ok ? 'ok\n' : 'Redis does not answer\n'),
      next,
    );
  });
  app.use(guard.sameOrigin);
  // Browsers ask for it at the root on every page, outside the secret path; there is none.
  app.get('/favicon.ico', (_req, res) => {
    res.status(204).end();
  });
  app.use(guard.authenticate);

  // Every page lives under the session's secret path (see auth.ts); the pages write root-relative
  // links, which rebase() prefixes.
  const pages = express.Router();
  app.use(guard.basePath, rebase(guard.basePath), pages);
  pages.get('/assets/app.css', (_req, res) => {
    res.type('text/css').set('Cache-Control', 'no-cache').send(APP_CSS);
  });
  pages.get('/assets/app.js', (_req, res) => {
    res.type('text/javascript').set('Cache-Control', 'no-cache').send(APP_JS);
  });
  pages.get('/events', (req, res) => live.handle(req, res));
  pages.use(QUEUES_PATH, loadedOnFirstUse(async () => (await import('./queues.js')).queuesBoard(runtime.queues, queuesPath)));
  pages.use(loadedOnFirstUse(async () => (await import('./routes.js')).dashboardRoutes(runtime, engine, guard, options.env ?? {})));
  pages.use((_req: Request, res: Response) => {
    res
      .status(404)
      .type('html')
      .send(page({ title: 'Not found', section: 'week', body: html`<h1>Not found</h1><p><a href="/">Back to the week</a></p>` }));
  });
  app.use((error: Error, _req: Request, res: Response, next: NextFunction) => {
    runtime.log.error({ err: error.message }, 'dashboard: a page failed');
    if (res.headersSent) return next(error);
    res
      .status(500)
      .type('html')
      .send(page({ title: 'Error', section: 'week', body: html`<h1>Something went wrong</h1><p>The details are in ringback’s log. Reload to try again.</p>` }));
  });

  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(port, host);
    s.once('listening', () => resolve(s));
    s.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new RunTimeError(`dashboard: port ${port} on ${host} is in use; set dashboard.port in ringback.yaml to a free port`)
          : error,
      );
    });
  }).catch(async (error: unknown) => {
    await live.close();
    throw error;
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : port;

  await saveDashboardAddress(runtime.store, { token, port, hostname: hostname(), pid: process.pid, startedAt: Date.now() }, ADDRESS_TTL_MS);
  const renew = setInterval(() => {
    renewDashboardAddress(runtime.store, token, ADDRESS_TTL_MS).catch((error: unknown) =>
      runtime.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'dashboard: could not renew its address in Redis'),
    );
  }, ADDRESS_TTL_MS / 3);
  renew.unref();

  return {
    url: dashboardUrl({ port, publicUrl }, token),
    port,
    async close() {
      clearInterval(renew);
      await live.close();
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      await forgetDashboardAddress(runtime.store, token);
    },
  };
}
