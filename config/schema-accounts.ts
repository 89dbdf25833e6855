/**
 * The accounts of `ringback.yaml`: the `calendars` list (ics, caldav, google, microsoft) and the
 * `mailbox` (maildir, imap, gmail, microsoft), each entry's shape picked by its `type`, and the id
 * an account gets when the file gives it none.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { suggestion } from './did-you-mean.js';
import { resolveConfigPath } from './paths.js';
import { got, shown, strict, text, webUrl, whole, type SchemaContext } from './schema-fields.js';

function shortHash(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 8);
}

/** What identifies an account when the file gives it no id. Paths must already be absolute. */
export interface AccountKey {
  readonly type: string;
  readonly path?: string | undefined;
  readonly url?: string | undefined;
  readonly host?: string | undefined;
  readonly username?: string | undefined;
}

/**
 * The id of an account that the file gives none, stable as long as its path or address is.
 * Google and Microsoft default to one account each, shared by calendar and mailbox, so that one
 * sign-in serves both.
 */
export function defaultAccountId(account: AccountKey): string {
  switch (account.type) {
    case 'ics':
      return `ics-${shortHash(account.path ?? account.url ?? '')}`;
    case 'caldav':
      return `caldav-${shortHash(account.url ?? '', account.username ?? '')}`;
    case 'maildir':
      return `maildir-${shortHash(account.path ?? '')}`;
    case 'imap':
      return `imap-${shortHash(account.host ?? '', account.username ?? '')}`;
    case 'google':
    case 'gmail':
      return 'google';
    default:
      return account.type;
  }
}

const accountId = z
  .string({ error: (iss) => `must be an account id${got(iss.input)}` })
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, {
    error: (iss) => `must be letters, digits, '.', '_' or '-' (at most 64)${got(iss.input)}`,
  })
  .optional();

/** The account's address, and the advanced endpoint overrides `ringback connect` may write. */
const oauthAccount = text('the account\'s email address');
const googleFields = {
  account: oauthAccount,
  apiRoot: webUrl('the Google API root (advanced)').optional(),
  authUrl: webUrl('the Google OAuth authorization address (advanced)').optional(),
  tokenUrl: webUrl('the Google OAuth token address (advanced)').optional(),
};
const microsoftFields = {
  account: oauthAccount,
  authority: webUrl('the Microsoft sign-in authority (advanced)').optional(),
  apiRoot: webUrl('the Microsoft Graph root (advanced)').optional(),
};

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function calendarSchemas(context: SchemaContext) {
  const where = (p: string) => resolveConfigPath(p, context.baseDir, context.homedir, context.platform);
  const ics = strict({
    type: z.literal('ics'),
    id: accountId,
    path: text('a path to an .ics file').optional(),
    url: webUrl('the address of an .ics calendar').optional(),
  })
    .superRefine((c, ctx) => {
      if (c.path !== undefined && c.url !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['url'], message: 'give either path or url, not both' });
      } else if (c.path === undefined && c.url === undefined) {
        ctx.addIssue({ code: 'custom', message: 'needs path (an .ics file) or url (an http or https address)' });
      }
    })
    .transform((c) => {
      const path = c.path === undefined ? undefined : where(c.path);
      const source = path ?? c.url ?? '';
      const id = c.id ?? defaultAccountId({ type: 'ics', path, url: c.url });
      return path !== undefined ? { type: c.type, id, path } : { type: c.type, id, url: source };
    });
  const caldav = strict({
    type: z.literal('caldav'),
    id: accountId,
    url: webUrl('the CalDAV server address'),
    username: text('the CalDAV user name'),
    calendars: z.array(text('a calendar URL'), { error: 'must be a list of calendar URLs' }).default([]),
  }).transform((c) => ({ ...c, id: c.id ?? defaultAccountId(c) }));
  const google = strict({
    type: z.literal('google'),
    id: accountId,
    ...googleFields,
    calendars: z.array(text('a calendar id'), { error: 'must be a list of calendar ids' }).default(['primary']),
  }).transform((c) => ({ ...withoutUndefined(c), id: c.id ?? defaultAccountId(c) }));
  const microsoft = strict({ type: z.literal('microsoft'), id: accountId, ...microsoftFields }).transform((c) => ({
    ...withoutUndefined(c),
    id: c.id ?? defaultAccountId(c),
  }));
  const calendar = z.discriminatedUnion('type', [ics, caldav, google, microsoft], {
    error: typeError(['ics', 'caldav', 'google', 'microsoft'], 'a calendar'),
  });
  return z
    .array(calendar, { error: (iss) => `must be a list of calendars${got(iss.input)}` })
    .superRefine((calendars, ctx) => uniqueIds(calendars, ctx))
    .default([]);
}

/** Messages of a list entry whose `type` picks its shape. */
function typeError(types: readonly string[], what: string) {
  return (iss: z.core.$ZodRawIssue): string => {
    const list = types.join(', ');
    if (iss.code !== 'invalid_union') return `must be ${what}: a mapping with a type (${list})${got(iss.input)}`;
    const input: unknown = iss.input;
    const type = typeof input === 'object' && input !== null ? (input as Record<string, unknown>).type : undefined;
    if (type === undefined) return `required (one of ${list})`;
    const s = shown(type);
    if (typeof type === 'string' && s !== undefined) return `${s} is not one of ${list}${suggestion(type, types)}`;
    return `must be one of ${list}${got(type)}`;
  };
}

function uniqueIds(accounts: readonly { id: string }[], ctx: z.RefinementCtx): void {
  const seen = new Map<string, number>();
  accounts.forEach((a, i) => {
    const first = seen.get(a.id);
    if (first === undefined) seen.set(a.id, i);
    else ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `"${a.id}" is already the id of calendars[${first}]; give each an id of its own` });
  });
}

export function mailboxSchema(context: SchemaContext) {
  const smtp = (defaultPort: number) =>
    strict({
      host: text('the SMTP server name'),
      port: whole(1, 65535).default(defaultPort),
      secure: z.boolean({ error: (iss) => `must be true or false${got(iss.input)}` }).optional(),
      username: text('the SMTP user name').optional(),
    }, 'the SMTP server settings').transform(({ username, ...s }) => ({
      ...s,
      secure: s.secure ?? s.port === 465,
      ...(username === undefined ? {} : { username }),
    }));
  const maildir = strict({
    type: z.literal('maildir'),
    id: accountId,
    path: text('the path of a Maildir folder'),
    smtp: smtp(587).optional(),
  }).transform(({ smtp, ...m }) => {
    const path = resolveConfigPath(m.path, context.baseDir, context.homedir, context.platform);
    return { type: m.type, id: m.id ?? defaultAccountId({ type: m.type, path }), path, ...(smtp === undefined ? {} : { smtp }) };
  });
  const imap = strict({
    type: z.literal('imap'),
    id: accountId,
    host: text('the IMAP server name'),
    port: whole(1, 65535).default(993),
    secure: z.boolean({ error: (iss) => `must be true or false${got(iss.input)}` }).default(true),
    username: text('the IMAP user name'),
    smtp: smtp(587),
    serverFilesSent: z.boolean({ error: (iss) => `must be true or false${got(iss.input)}` }).default(false),
  }).transform((m) => ({ ...m, id: m.id ?? defaultAccountId(m) }));
  const gmail = strict({ type: z.literal('gmail'), id: accountId, ...googleFields }).transform((m) => ({
    ...withoutUndefined(m),
    id: m.id ?? defaultAccountId(m),
  }));
  const microsoft = strict({ type: z.literal('microsoft'), id: accountId, ...microsoftFields }).transform((m) => ({
    ...withoutUndefined(m),
    id: m.id ?? defaultAccountId(m),
  }));
  return z.discriminatedUnion('type', [maildir, imap, gmail, microsoft], {
    error: typeError(['maildir', 'imap', 'gmail', 'microsoft'], 'a mailbox'),
  });
}
