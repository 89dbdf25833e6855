/**
 * `ringback connect google`: signs in to Google with the user's own OAuth client (a "Desktop
 * app" client from the Google Cloud console), checks the calendars and Gmail with the new token,
 * and returns one calendar account and one Gmail mailbox that share the sign-in.
 *
 * Flags: `--client-id`, `--client-secret` (asked for when missing), `--calendar <id>` (repeat;
 * default `primary`), and, for tests and proxies only, `--auth-url`, `--token-url`, `--api-root`.
 */
import { createHash } from 'node:crypto';
import type { CalendarConfig, MailboxConfig } from '../../../config/types.js';
import { BadInputError, RunTimeError } from '../../errors.js';
import { PermanentError } from '../../providers/errors.js';
import { SCOPES, createGoogleAuth, type GoogleEndpoints } from '../../providers/google/auth.js';
import { runLoopbackConsent } from '../../providers/google/consent.js';
import { checkGoogleCalendars } from '../../providers/google/calendar.js';
import { gmailAddress } from '../../providers/google/gmail.js';
import { connectFailure, urlFlag } from './common.js';
import type { ConnectIO, ConnectResult } from './types.js';

export interface GoogleConnectFlags {
  readonly clientId?: string;
  readonly clientSecret?: string;
  /** Calendar ids to read. @defaultValue ['primary'] */
  readonly calendar?: readonly string[];
  /** OAuth consent page override. @defaultValue Google's */
  readonly authUrl?: string;
  /** OAuth token endpoint override. @defaultValue Google's */
  readonly tokenUrl?: string;
  /** API root override for Calendar and Gmail. @defaultValue Google's */
  readonly apiRoot?: string;
}

/** The advanced overrides, written next to the account only when given. */
interface GoogleOverrides {
  readonly apiRoot?: string;
  readonly authUrl?: string;
  readonly tokenUrl?: string;
}

export async function connectGoogle(flags: GoogleConnectFlags, io: ConnectIO): Promise<ConnectResult> {
  const clientId = (flags.clientId ?? (await io.ask('OAuth client ID (Google Cloud console, Credentials, "Desktop app")', { flag: '--client-id' }))).trim();
  if (!/^[\w.-]+$/.test(clientId)) {
    throw new BadInputError('--client-id: expected the client ID Google shows, like 1234-abcd.apps.googleusercontent.com');
  }
  const clientSecret = (flags.clientSecret ?? (await io.ask('OAuth client secret', { secret: true, flag: '--client-secret' }))).trim();
  const calendars = flags.calendar && flags.calendar.length > 0 ? [...new Set(flags.calendar.map((id) => id.trim()))] : ['primary'];
  const bad = calendars.find((id) => id.length === 0 || /[\s/]/.test(id));
  if (bad !== undefined) throw new BadInputError(`--calendar: "${bad}" is not a calendar id (like primary, or abc123@group.calendar.google.com)`);
  const overrides: GoogleOverrides = {
    ...(flags.apiRoot ? { apiRoot: httpUrl(flags.apiRoot, '--api-root') } : {}),
    ...(flags.authUrl ? { authUrl: httpUrl(flags.authUrl, '--auth-url') } : {}),
    ...(flags.tokenUrl ? { tokenUrl: httpUrl(flags.tokenUrl, '--token-url') } : {}),
  };
  const endpoints: GoogleEndpoints = {
    ...(overrides.authUrl ? { authUrl: overrides.authUrl } : {}),
    ...(overrides.tokenUrl ? { tokenUrl: overrides.tokenUrl } : {}),
  };
  const rootUrl = overrides.apiRoot ? { rootUrl: overrides.apiRoot } : {};

  try {
    io.say('Sign in to Google in your browser and allow the access ringback asks for; then come back here.');
    const consent = await runLoopbackConsent({
      clientId,
      ...(clientSecret ? { clientSecret } : {}),
      endpoints,
      openUrl: (url) => io.openUrl(url),
      signal: io.signal,
    });
    const missing = SCOPES.filter((scope) => !consent.grantedScopes.includes(scope));
    if (missing.length > 0) {
      const names = missing.map((scope) => scope.replace('https://www.googleapis.com/auth/', '')).join(', ');
      throw new RunTimeError(`Google granted only part of the access ringback needs (missing: ${names}): run ringback connect google again and tick every box`);
    }
    let refreshToken = consent.tokens.refresh_token;
    const auth = createGoogleAuth({
      clientId,
      ...(clientSecret ? { clientSecret } : {}),
      tokens: consent.tokens,
      endpoints,
      // A refresh during the checks may rotate the refresh token: keep the newest.
      onTokens: async (tokens) => {
        refreshToken = tokens.refresh_token;
      },
    });
    const email = await gmailAddress({ auth, ...rootUrl, signal: io.signal });
    try {
      await checkGoogleCalendars({ auth, calendars, ...rootUrl, signal: io.signal });
    } catch (error) {
      if (error instanceof PermanentError) throw new BadInputError(`--calendar: ${error.message}`);
      throw error;
    }
    io.say(`signed in as ${email}: Gmail and ${calendars.length === 1 ? 'the calendar' : `${calendars.length} calendars`} answered`);

    const suffix = createHash('sha256').update(email).digest('hex').slice(0, 8);
    const calendarId = `google-${suffix}`;
    const mailboxId = `gmail-${suffix}`;
    // `account` and the overrides are new config fields (see the report to the lead).
    const calendarEntry = { type: 'google' as const, id: calendarId, account: email, calendars, ...overrides };
    const mailboxEntry = { type: 'gmail' as const, id: mailboxId, account: email, ...overrides };
    const calendar: CalendarConfig = calendarEntry;
    const mailbox: MailboxConfig = mailboxEntry;
    const secret = { clientId, ...(clientSecret ? { clientSecret } : {}), refreshToken };
    return { calendars: [calendar], mailbox, secrets: { [calendarId]: secret, [mailboxId]: secret } };
  } catch (error) {
    throw connectFailure('google', error);
  }
}

function httpUrl(value: string, flag: string): string {
  return urlFlag(value, flag, { example: 'https://proxy.example/', httpsOnly: false }).toString();
}
