/**
 * The dashboard's pages and forms. Every handler reads the store afresh; the forms call the same
 * functions as the CLI (`recordOutcome`, the company clear, `addAccountToConfigFile`).
 */
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import express, { type Request, type Response, type Router } from 'express';
import { DateTime } from 'luxon';
import { defaultAccountId } from '../../config/schema.js';
import type { CalendarConfig, MailboxConfig } from '../../config/types.js';
import { loadConfig } from '../../config/load.js';
import type { Env } from '../../config/paths.js';
import { addAccountToConfigFile } from '../../config/write.js';
import type { Runtime } from '../daemon/runtime.js';
import type { Interview } from '../domain/types.js';
import { BadInputError } from '../errors.js';
import type { Engine } from '../engine/context.js';
import { markEvent } from '../engine/mark.js';
import { recordOutcome } from '../engine/outcome.js';
import { callHolder } from '../engine/same-call.js';
import { getAccountStatus } from '../store/accounts.js';
import { accountIds } from '../read/accounts.js';
import { isMarkKind, isOutcome } from '../domain/outcomes.js';
import { interviewViews } from '../read/interviews.js';
import { listCompanies } from '../store/companies.js';
import { findInterview, getInterview } from '../store/interviews.js';
import type { Guard } from './auth.js';
import { checkCounterpartZone, clearCompanyPattern, setCounterpartZoneFor } from '../engine/company.js';
import { listCounterpartZones } from '../store/zones.js';
import { html, page, type PageOptions } from './html.js';
import { hasNoAccount, renderAccounts, renderGoogleCallback, renderOnboarding } from './pages/accounts.js';
import { renderCompanies } from './pages/companies.js';
import { renderInterview } from './pages/interview.js';
import { layoutWeek, renderWeek, weekStartFor } from './pages/week.js';

/** Notices shown after a form, by a fixed key in the address (the text never comes from the request). */
const NOTICES: Readonly<Record<string, string>> = {
  held: 'Recorded: the call took place. The thank-you draft follows after the call.',
  'interviewer-no-show': 'Recorded: they did not call. The “you did not call” note will be in your Drafts shortly.',
  'candidate-missed': 'Recorded: you missed the call. An apology draft with free times will be in your Drafts shortly.',
  cleared: 'Pattern flag cleared: no-shows are counted afresh and confirmations to this company are sent again.',
  'zone-set': 'Time zone saved: emails written from now on show their time too, and so do confirmations waiting in Drafts, unless you changed them.',
  'zone-removed': 'Time zone removed: emails show their time only when the invitation gives it.',
  'calendar-added': 'Calendar added to the config file. Restart “ringback start” to use it.',
  'mailbox-added': 'Mailbox added to the config file. Restart “ringback start” to use it.',
  marked: 'Recorded your answer: it sticks across syncs (a tag in the event still wins).',
};

function notice(req: Request): string | null {
  const done = req.query.done;
  return typeof done === 'string' ? (NOTICES[done] ?? null) : null;
}

function field(req: Request, name: string): string {
  const value = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value.trim() : '';
}

function send(res: Response, options: PageOptions, status = 200): void {
  res.status(status).type('html').set('Cache-Control', 'no-store').send(page(options));
}

function notFound(res: Response, what: string): void {
  send(res, { title: 'Not found', section: 'week', body: html`<h1>Not found</h1><p>${what}</p><p><a href="/">Back to the week</a></p>` }, 404);
}

export function dashboardRoutes(runtime: Runtime, engine: Engine, guard: Guard, env: Env): Router {
  const router = express.Router();
  const form = [express.urlencoded({ extended: false, limit: '16kb' }), guard.checkCsrf];
  const config = runtime.config;
  const zone = config.candidate.timezone;

  router.get('/', async (req, res) => {
    if (hasNoAccount(config)) return res.redirect(303, '/onboarding');
    const now = engine.now();
    const week = typeof req.query.week === 'string' ? req.query.week : undefined;
    const start = weekStartFor(week, zone, now);
    const end = DateTime.fromMillis(start, { zone }).plus({ weeks: 1 }).toMillis();
    // A week's markers include actions of interviews just before or after it (a draft the day before).
    const views = await interviewViews(runtime.store, { from: start - 7 * 86_400_000, to: end + 7 * 86_400_000 });
    const layout = layoutWeek(views, { weekStart: start, zone, now });
    send(res, { title: 'Week', section: 'week', live: 'week', notice: notice(req), body: renderWeek(layout, views) });
  });

  router.get('/interviews/:id', async (req, res) => {
    const interview = await findInterview(runtime.store, req.params.id);
    if (!interview) return notFound(res, 'No interview has this id.');
    const body = await renderInterview(engine, interview, guard.csrfFor(res));
    send(res, { title: interview.title || 'Interview', section: 'week', live: `interview:${interview.id}`, notice: notice(req), body });
  });

  /** A button of the interview page: a choice the page offers, on an interview that exists, then back to the page with its notice. */
  const interviewButton =
    <T extends string>(button: {
      readonly field: string;
      readonly valid: (value: string) => value is T;
      readonly unknown: string;
      readonly act: (interview: Interview, choice: T) => Promise<unknown>;
      readonly done: (choice: T) => string;
    }) =>
    async (req: Request<{ id: string }>, res: Response) => {
      const choice = field(req, button.field);
      if (!button.valid(choice)) {
        return send(res, { title: 'Bad request', section: 'week', body: html`<h1>${button.unknown}</h1><p>Use one of the page’s buttons.</p>` }, 400);
      }
      const interview = await getInterview(runtime.store, req.params.id);
      if (!interview) return notFound(res, 'No interview has this id.');
      await button.act(interview, choice);
      res.redirect(303, `/interviews/${encodeURIComponent(interview.id)}?done=${button.done(choice)}`);
    };

  router.post(
    '/interviews/:id/outcome',
    ...form,
    interviewButton({
      field: 'outcome',
      valid: isOutcome,
      unknown: 'Unknown outcome',
      // A duplicate's outcome is its call's (same-call.ts); its page offers no buttons, a stale form may.
      act: async (interview, outcome) => await recordOutcome(engine, (await callHolder(runtime.store, interview)).interview.id, outcome, 'dashboard'),
      done: (outcome) => outcome,
    }),
  );

  router.post(
    '/interviews/:id/mark',
    ...form,
    interviewButton({ field: 'kind', valid: isMarkKind, unknown: 'Unknown choice', act: (interview, kind) => markEvent(engine, { interview }, { kind }), done: () => 'marked' }),
  );

  const companiesPage = async (res: Response, shown: string | null): Promise<void> => {
    const body = renderCompanies({
      companies: await listCompanies(runtime.store),
      views: await interviewViews(runtime.store),
      policy: config.policy,
      zone,
      csrf: guard.csrfFor(res),
      zones: await listCounterpartZones(runtime.store),
    });
    send(res, { title: 'Companies', section: 'companies', live: 'companies', notice: shown, body });
  };

  router.get('/companies', async (req, res) => {
    await companiesPage(res, notice(req));
  });

  router.post('/companies/:company/clear', ...form, async (req: Request<{ company: string }>, res: Response) => {
    const company = req.params.company.trim().toLowerCase();
    if (!(await clearCompanyPattern(engine, company))) return notFound(res, 'No record of this company.');
    res.redirect(303, `/companies?done=cleared#c-${encodeURIComponent(company)}`);
  });

  router.post('/companies/:company/zone', ...form, async (req: Request<{ company: string }>, res: Response) => {
    const typed = field(req, 'zone');
    const checked = checkCounterpartZone(req.params.company, typed === '' ? 'none' : typed);
    // The page again with the reason (escaped like every notice), so the field can be corrected.
    if (typeof checked === 'string') return await companiesPage(res, `Time zone not saved: ${checked}`);
    await setCounterpartZoneFor(engine, checked.subject, checked.zone);
    res.redirect(303, `/companies?done=${checked.zone === null ? 'zone-removed' : 'zone-set'}#c-${encodeURIComponent(checked.subject)}`);
  });

  router.get('/accounts', async (req, res) => {
    if (hasNoAccount(config)) return res.redirect(303, '/onboarding');
    const rows = [];
    for (const a of accountIds(config)) {
      const account = a.role === 'calendar' ? config.calendars.find((c) => c.id === a.id) : config.mailbox;
      if (!account) continue;
      const built = a.role === 'calendar' ? engine.calendars.has(a.id) : engine.mailbox !== null;
      rows.push({ role: a.role, config: account, status: await getAccountStatus(runtime.store, a.id), built });
    }
    send(res, { title: 'Accounts', section: 'accounts', live: 'accounts', notice: notice(req), body: renderAccounts(rows, zone, engine.now()) });
  });

  const onboarding = async (req: Request, res: Response, error: string | null) => {
    let calendars: readonly CalendarConfig[] = config.calendars;
    let mailbox: MailboxConfig | null = config.mailbox;
    let problem = error;
    if (config.file) {
      // The file may have changed since the start (an account added here): show it as it is now.
      try {
        const now = await loadConfig({ file: config.file, env, cwd: path.dirname(config.file) });
        calendars = now.calendars;
        mailbox = now.mailbox;
      } catch (readError) {
        problem ??= readError instanceof Error ? readError.message : String(readError);
      }
    }
    const body = renderOnboarding({ configFile: config.file, calendars, mailbox, error: problem, csrf: guard.csrfFor(res) });
    send(res, { title: 'Connect your accounts', section: 'onboarding', notice: notice(req), body }, error ? 400 : 200);
  };

  router.get('/onboarding', async (req, res) => onboarding(req, res, null));

  const writeAccount = async (req: Request, res: Response, build: (baseDir: string) => Promise<{ calendars?: CalendarConfig[]; mailbox?: MailboxConfig }>, done: string) => {
    if (!config.file) return onboarding(req, res, 'There is no ringback.yaml to write to: run "ringback init" first.');
    try {
      await addAccountToConfigFile(config.file, await build(path.dirname(config.file)), env);
    } catch (error) {
      if (error instanceof BadInputError) return onboarding(req, res, error.message);
      throw error;
    }
    res.redirect(303, `/onboarding?done=${done}`);
  };

  router.post('/onboarding/calendar', ...form, async (req: Request, res: Response) => {
    await writeAccount(
      req,
      res,
      async (baseDir) => {
        const file = field(req, 'path');
        const url = field(req, 'url');
        if (!file && !url) throw new BadInputError('Give the path of an .ics file or its web address.');
        if (file && url) throw new BadInputError('Give either a path or a web address, not both.');
        if (file) {
          const abs = path.resolve(baseDir, file);
          const found = await stat(abs).catch((error: NodeJS.ErrnoException) => {
            throw new BadInputError(`${abs}: ${error.code === 'ENOENT' ? 'no such file' : `cannot be read (${error.code ?? error.message})`}`);
          });
          if (!found.isFile()) throw new BadInputError(`${abs}: not a file`);
          return { calendars: [{ type: 'ics', id: defaultAccountId({ type: 'ics', path: abs }), path: abs }] };
        }
        let parsed: URL;
        try {
          parsed = new URL(url);
        } catch {
          throw new BadInputError('The web address is not a valid address (it should start with https://).');
        }
        if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new BadInputError('The web address should start with https://.');
        return { calendars: [{ type: 'ics', id: defaultAccountId({ type: 'ics', url }), url }] };
      },
      'calendar-added',
    );
  });

  router.post('/onboarding/mailbox', ...form, async (req: Request, res: Response) => {
    await writeAccount(
      req,
      res,
      async (baseDir) => {
        const dir = field(req, 'path');
        if (!dir) throw new BadInputError('Give the Maildir folder (it is created when missing).');
        const root = path.resolve(baseDir, dir);
        for (const sub of ['cur', 'new', 'tmp']) {
          await mkdir(path.join(root, sub), { recursive: true, mode: 0o700 }).catch((error: NodeJS.ErrnoException) => {
            throw new BadInputError(`${root}: cannot create the folder (${error.code ?? error.message})`);
          });
        }
        return { mailbox: { type: 'maildir', id: defaultAccountId({ type: 'maildir', path: root }), path: root } };
      },
      'mailbox-added',
    );
  });

  router.get('/oauth/google/callback', (_req, res) => {
    send(res, { title: 'Google sign-in', section: 'accounts', body: renderGoogleCallback() });
  });

  return router;
}
