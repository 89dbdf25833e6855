/**
 * `ringback connect microsoft`: signs in to a Microsoft 365 or Outlook.com account with the
 * user's own app registration through the device-code flow (it works on a machine without a
 * browser: the code is entered on any other device), checks the account, its calendar and its
 * Drafts folder with the new token, and returns one calendar account and one mailbox that share
 * the sign-in.
 *
 * Flags: `--client-id` (asked for when missing), `--tenant` (`common` by default; `consumers` for
 * Outlook.com only, `organizations`, or a tenant id or domain), and, for other clouds, proxies
 * and tests, `--authority` (replaces the tenant) and `--api-root`.
 */
import { createHash } from 'node:crypto';
import type { CalendarConfig, MailboxConfig } from '../../../config/types.js';
import { BadInputError, RunTimeError } from '../../errors.js';
import { createMicrosoftAuth, type TokenCacheStorage } from '../../providers/microsoft/auth.js';
import { createGraphApi, DEFAULT_API_ROOT } from '../../providers/microsoft/graph.js';
import type { FetchLike } from '../../providers/microsoft/graph-transport.js';
import { connectFailure, urlFlag } from './common.js';
import type { ConnectIO, ConnectResult } from './types.js';

export interface MicrosoftConnectFlags {
  /** Application (client) id of the user's app registration. */
  readonly clientId?: string;
  /** @defaultValue 'common' */
  readonly tenant?: string;
  /** The sign-in authority, replacing `https://login.microsoftonline.com/<tenant>`. */
  readonly authority?: string;
  /** Graph's root. @defaultValue 'https://graph.microsoft.com/v1.0' */
  readonly apiRoot?: string;
}

export interface MicrosoftConnectDeps {
  /** @defaultValue the global `fetch` */
  readonly fetch?: FetchLike;
}

/** The advanced overrides, written next to the account only when given. */
interface MicrosoftOverrides {
  readonly authority?: string;
  readonly apiRoot?: string;
}

const CLIENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function connectMicrosoft(flags: MicrosoftConnectFlags, io: ConnectIO, deps: MicrosoftConnectDeps = {}): Promise<ConnectResult> {
  const clientId = (
    flags.clientId ?? (await io.ask('Application (client) ID of your app registration (Azure portal, App registrations, Overview)', { flag: '--client-id' }))
  ).trim();
  if (!CLIENT_ID.test(clientId)) {
    throw new BadInputError('--client-id: expected the Application (client) ID the Azure portal shows, like 00000000-1111-2222-3333-444444444444');
  }
  const tenant = (flags.tenant ?? 'common').trim();
  if (!/^[\w.-]+$/.test(tenant)) {
    throw new BadInputError(`--tenant: "${tenant}" is not a tenant (common, consumers, organizations, a tenant id or a domain like contoso.onmicrosoft.com)`);
  }
  const overrides: MicrosoftOverrides = {
    ...(flags.authority ? { authority: httpsUrl(flags.authority, '--authority') } : tenant !== 'common' ? { authority: `https://login.microsoftonline.com/${tenant}` } : {}),
    ...(flags.apiRoot ? { apiRoot: httpsUrl(flags.apiRoot, '--api-root') } : {}),
  };
  const apiRoot = overrides.apiRoot ?? DEFAULT_API_ROOT;

  // The cache lives here until the CLI stores it, encrypted, with the account's secrets.
  let tokenCache: string | null = null;
  const storage: TokenCacheStorage = {
    load: async () => tokenCache,
    save: async (serialized) => {
      tokenCache = serialized;
    },
  };
  const fetchOption = deps.fetch ? { fetch: deps.fetch } : {};
  try {
    const auth = createMicrosoftAuth({ clientId, ...(overrides.authority ? { authority: overrides.authority } : {}), apiRoot, storage, ...fetchOption });
    io.say('Sign in to Microsoft on any device with a browser; ringback waits here until you have.');
    await auth.signInWithDeviceCode({ signal: io.signal, onPrompt: (prompt) => io.say(oneLine(prompt.message)) });

    const api = createGraphApi({ getToken: auth.getToken, baseUrl: apiRoot, prefer: ['IdType="ImmutableId"'], ...fetchOption });
    const me = await api.get<{ userPrincipalName?: string; mail?: string | null; displayName?: string }>('/me?$select=userPrincipalName,mail,displayName', {
      what: 'reading the signed-in account',
      signal: io.signal,
    });
    const principal = (me.userPrincipalName ?? '').trim();
    if (principal === '') throw new RunTimeError('connect microsoft: Microsoft Graph did not say who signed in');
    const address = (me.mail ?? principal).trim().toLowerCase();
    await api.get('/me/calendar?$select=id', { what: 'opening the calendar', signal: io.signal });
    await api.get('/me/mailFolders/drafts?$select=id', { what: 'opening the Drafts folder', signal: io.signal });
    io.say(`signed in as ${address}: the Outlook calendar and mailbox answered`);

    if (tokenCache === null) throw new RunTimeError('connect microsoft: the sign-in left no token cache to keep');
    const id = `microsoft-${createHash('sha256').update(principal.toLowerCase()).digest('hex').slice(0, 8)}`;
    // `account` and the overrides are new config fields (see the report to the lead).
    const calendarEntry = { type: 'microsoft' as const, id, account: address, ...overrides };
    const mailboxEntry = { type: 'microsoft' as const, id, account: address, ...overrides };
    const calendar: CalendarConfig = calendarEntry;
    const mailbox: MailboxConfig = mailboxEntry;
    return { calendars: [calendar], mailbox, secrets: { [id]: { clientId, tokenCache } } };
  } catch (error) {
    throw connectFailure('microsoft', error);
  }
}

function httpsUrl(value: string, flag: string): string {
  return urlFlag(value, flag, { example: 'https://login.microsoftonline.us/contoso.onmicrosoft.com', httpsOnly: true }).toString().replace(/\/+$/, '');
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').trim();
}
