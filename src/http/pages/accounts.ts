/**
 * Accounts: each calendar and the mailbox with its last and next sync, its last error, whether it
 * needs the user to sign in again, and the command that reconnects it. The first-run onboarding
 * forms (an .ics calendar, a Maildir mailbox) and the stub page for Google's sign-in callback.
 *
 * Nothing secret is shown: an .ics address is often a secret link and is never printed; other
 * addresses lose any user name, password or query.
 */
import type { CalendarConfig, MailboxConfig, ResolvedConfig } from '../../../config/types.js';
import { bareUrl, reconnectCommand } from '../../engine/account-fix.js';
import { describeTime } from '../../engine/wording.js';
import type { AccountStatus } from '../../store/accounts.js';
import { html, plain, type SafeHtml } from '../html.js';

export interface AccountRow {
  readonly role: 'calendar' | 'mailbox';
  readonly config: CalendarConfig | MailboxConfig;
  readonly status: AccountStatus;
  /** Whether the running daemon could build the account (see "ringback accounts"). */
  readonly built: boolean;
}

function where(config: CalendarConfig | MailboxConfig): string {
  switch (config.type) {
    case 'ics':
      return config.path ? config.path : 'a secret .ics address';
    case 'caldav':
      return bareUrl(config.url);
    case 'maildir':
      return config.path;
    case 'imap':
      return `${config.username} at ${config.host}`;
    default:
      return `${config.type} account`;
  }
}

export function renderAccounts(rows: readonly AccountRow[], zone: string, now: number): SafeHtml {
  const cards = rows.map((r) => {
    const s = r.status;
    const state =
      s.attention === 'needs-reauth'
        ? html`<span class="badge bad">needs re-auth</span>`
        : s.attention === 'unusable' || s.attention === 'unreachable'
          ? html`<span class="badge bad">needs attention</span>`
          : s.attention === 'error' || !r.built
          ? html`<span class="badge warn">error</span>`
          : html`<span class="badge ok">ok</span>`;
    return html`<article class="account" data-account="${r.config.id}">
<h2>${plain(r.config.id, 120)} ${state}</h2>
<p class="meta">${r.role} · ${r.config.type} · ${plain(where(r.config), 300)}</p>
<dl>
${r.role === 'calendar' ? html`<dt>Last sync</dt><dd>${s.lastSyncAt ? describeTime(s.lastSyncAt, zone, now) : 'never'}${s.events !== null ? ` (${s.events} events)` : ''}</dd>
<dt>Next sync</dt><dd>${s.nextSyncAt ? describeTime(s.nextSyncAt, zone, now) : 'when ringback start runs'}</dd>` : ''}
<dt>Last error</dt><dd>${s.lastError ? plain(s.lastError, 500) : r.built ? 'none' : 'the account could not be opened at start; see “ringback doctor”'}</dd>
${s.unusableSince ? html`<dt>Unusable since</dt><dd>${describeTime(s.unusableSince, zone, now)}: actions for it are waiting and run when it works again</dd>` : ''}
${s.attention && s.fix ? html`<dt>Fix</dt><dd class="fix">${plain(s.fix, 300)}</dd>` : ''}
</dl>
${
  s.attention !== null || !r.built
    ? html`<p>To reconnect, run in a terminal, then restart ringback:</p><pre class="cmd">${reconnectCommand(r.config)}</pre>`
    : html`<details><summary>Reconnect</summary><pre class="cmd">${reconnectCommand(r.config)}</pre></details>`
}
</article>`;
  });
  return html`<h1>Accounts</h1>${cards}<p><a class="btn" href="/onboarding">Add an account</a></p>`;
}

export interface OnboardingState {
  readonly configFile: string | null;
  /** Accounts in the config file now (it may have changed since ringback started). */
  readonly calendars: readonly CalendarConfig[];
  readonly mailbox: MailboxConfig | null;
  readonly error: string | null;
  readonly csrf: string;
}

export function renderOnboarding(state: OnboardingState): SafeHtml {
  const csrf = html`<input type="hidden" name="_csrf" value="${state.csrf}">`;
  const have = [
    ...state.calendars.map((c) => `calendar ${c.id} (${c.type}: ${where(c)})`),
    ...(state.mailbox ? [`mailbox ${state.mailbox.id} (${state.mailbox.type}: ${where(state.mailbox)})`] : []),
  ];
  if (!state.configFile) {
    return html`<h1>Connect your accounts</h1><p>ringback is running on its built-in defaults, with no <code>ringback.yaml</code> to write to.
Run <code>ringback init</code> in a terminal first, then start ringback again.</p>`;
  }
  return html`<h1>Connect your accounts</h1>
<p>ringback reads your calendar for phone interviews and writes its drafts into your mailbox. Start with a calendar file and a Maildir folder; other accounts connect from a terminal
(<code>ringback connect caldav | imap | google | microsoft</code>).</p>
${state.error ? html`<p class="error" role="alert">${plain(state.error, 1000)}</p>` : ''}
${have.length > 0 ? html`<p>In <code>${state.configFile}</code> now:</p><ul>${have.map((h) => html`<li>${plain(h, 400)}</li>`)}</ul><p class="notice">Restart <code>ringback start</code> to use new accounts.</p>` : ''}
<section class="card"><h2>Calendar (.ics)</h2>
<form method="post" action="/onboarding/calendar" class="stack">${csrf}
<label>Path to an .ics file on this computer <input name="path" autocomplete="off" placeholder="/home/you/calendar.ics"></label>
<p class="muted">or</p>
<label>Its web address (a secret .ics link) <input name="url" type="url" autocomplete="off" placeholder="https://…/basic.ics"></label>
<button class="btn" type="submit">Add this calendar</button>
</form></section>
<section class="card"><h2>Mailbox (Maildir)</h2>
<form method="post" action="/onboarding/mailbox" class="stack">${csrf}
<label>Maildir folder (created when missing) <input name="path" required autocomplete="off" placeholder="/home/you/Maildir"></label>
<button class="btn" type="submit">Use this folder</button>
</form></section>
<section class="card"><h2>Google</h2><p>Run <code>ringback connect google</code> in a terminal: it opens this browser to sign in and receives Google’s answer itself.</p></section>`;
}

/** Google's sign-in lands here in a later version; for now it explains the terminal command. */
export function renderGoogleCallback(): SafeHtml {
  return html`<h1>Google sign-in</h1>
<p>The dashboard does not take Google sign-ins yet. Run <code>ringback connect google</code> in a terminal: it opens the Google sign-in in this browser,
receives the answer on its own local address, and stores the account encrypted.</p>`;
}

export function hasNoAccount(config: ResolvedConfig): boolean {
  return config.calendars.length === 0 && config.mailbox === null;
}
