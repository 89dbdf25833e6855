/**
 * The CalDAV requests of the `caldav` source: discovery of the calendar home, PROPFIND and REPORT
 * (`sync-collection`, `calendar-multiget`, `calendar-query`) through tsdav, with HTTP failures
 * turned into typed provider errors. No tsdav type leaves this file and `caldav-xml.ts`.
 */
import { createAccount, davRequest, getBasicAuthHeaders } from 'tsdav';
import type { Millis } from '../../domain/types.js';
import { AccountUnusableError, AuthError, PermanentError, ProviderError, RateLimitError, TransientError, parseRetryAfter } from '../errors.js';
import { COLLECTION_PROPS, NS, davTime, failedOutright, keyOf, samePath, text, toCollection, xmlEscape, type Collection, type DavAnswer, type Member } from './caldav-xml.js';
import type { TimeRange } from './types.js';

const MULTIGET_BATCH = 50;
/**
 * How many cut sync-collection answers are asked on before the sync fails as transient: a server
 * that cuts at a hundred members still lists a calendar of thousands.
 */
const SYNC_ROUNDS = 100;

/**
 * An address the server sent ringback to, kept at or above the encryption of the address the user
 * gave. A CalDAV server behind an HTTPS reverse proxy may answer discovery with plain http: Nextcloud's
 * "301 … location: http://cloud.foo.com/remote.php/dav/" for https://cloud.foo.com/.well-known/caldav
 * (https://github.com/nextcloud/docker/issues/2437, https://github.com/NixOS/nixpkgs/issues/113155),
 * or with the proxy's inside port, "http://my.domain.com:8080/…"
 * (https://github.com/nextcloud/server/issues/30854). tsdav takes the Location as it is, and sent
 * every request after it, the app password included, over plain http. On the same host, the
 * address is read over https on the given address's own port, where the proxy serves it; on
 * another host, nothing is sent. An address given as http: (a server on the user's own network)
 * is left as the user chose it.
 */
function keptSecure(url: string, given: string): string {
  const target = new URL(url);
  const home = new URL(given);
  if (home.protocol !== 'https:' || target.protocol !== 'http:') return url;
  if (target.hostname !== home.hostname) throw downgradeRefused(target, home);
  target.protocol = 'https:';
  target.port = home.port;
  return target.href;
}

function downgradeRefused(target: URL, home: URL): AccountUnusableError {
  const shown = `${target.origin}${target.pathname}`;
  return new AccountUnusableError(`the CalDAV server at ${home.host} sent ringback to ${shown}, an address without encryption on another host; nothing was sent there, the app password included`, {
    fix: `the CalDAV server's discovery sends clients to plain http (a reverse proxy in front of it that does not say it serves https: for Nextcloud, set overwriteprotocol to https), and ringback sends your password only over https: fix the server's redirect, or connect the calendar again with the https address of its calendar home (Nextcloud: https://${home.host}/remote.php/dav/)`,
  });
}

/** `input` sent to `url` instead. tsdav asks with strings; a Request keeps its other parts. */
function redirected(input: Parameters<typeof fetch>[0], url: string): Parameters<typeof fetch>[0] {
  if (typeof input === 'string' || input instanceof URL) return url;
  return new Request(url, input);
}

/**
 * Turns HTTP failures into typed provider errors; other statuses go back to the caller.
 * `refusals` keeps each address refused by {@link keptSecure}: tsdav's discovery tries its other
 * candidates after one fails, and says only "cannot find principalUrl" when none works.
 */
function classifyingFetch(given: string, signal: AbortSignal | undefined, now: () => Millis, refusals: AccountUnusableError[]): typeof fetch {
  return async (original, init) => {
    const asked = typeof original === 'string' ? original : original instanceof URL ? original.href : original.url;
    let secure: string;
    try {
      secure = keptSecure(asked, given);
    } catch (error) {
      if (error instanceof AccountUnusableError) refusals.push(error);
      throw error;
    }
    const input = secure === asked ? original : redirected(original, secure);
    let response: Response;
    try {
      response = await fetch(input, { ...init, signal });
    } catch (error) {
      if (signal?.aborted) throw error;
      const code = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      throw new TransientError(`CalDAV server unreachable (${code})`, { cause: error });
    }
    const status = response.status;
    if (status === 401) throw new AuthError('CalDAV server refused the username or app password');
    if (status === 403) {
      // Read here to tell a missing privilege from the other 403s (a sync token refused, a report
      // not offered), which the caller handles; those get the body back.
      const body = await response.text();
      const missing = privilegesMissing(requestUrl(input), body);
      if (missing) throw missing;
      return new Response(body, { status, statusText: response.statusText, headers: response.headers });
    }
    if (status === 429 || status === 503) {
      await response.body?.cancel();
      const wait = parseRetryAfter(response.headers.get('retry-after'), now());
      throw new RateLimitError(`CalDAV server asked to slow down (${status})`, wait);
    }
    if (status >= 500) {
      await response.body?.cancel();
      throw new TransientError(`CalDAV server failed (${status} ${response.statusText})`);
    }
    const type = response.headers.get('content-type') ?? '';
    if (status >= 200 && status < 300 && DAV_METHODS.has(init?.method ?? '') && !/xml/i.test(type)) {
      await response.body?.cancel();
      throw notDav(`${status} ${type.split(';')[0] || 'without a content type'}`);
    }
    return response;
  };
}

/**
 * A 403 that says this account lacks a privilege on the resource: RFC 3744 §7.1.1's
 * DAV:need-privileges, as SabreDAV (Nextcloud, ownCloud, Baïkal) answers a calendar shared no more
 * or never readable: `<d:error><s:exception>Sabre\DAVACL\Exception\NeedPrivileges</s:exception>
 * <s:message>User did not have the required privileges ({DAV:}read) for path "calendars/…"
 * </s:message><d:need-privileges><d:resource><d:href>/server.php/calendars/…</d:href><d:privilege>
 * <d:read/></d:privilege></d:resource></d:need-privileges></d:error>` (sabre-io/katana#285;
 * owncloud/core#14048), and Radicale's plain "Access to the requested resource forbidden." for a
 * collection its rights deny (radicale/httputils.py NOT_ALLOWED, Kozea/Radicale). The account's
 * other calendars are still read (caldav.ts).
 */
export class PrivilegeMissing extends PermanentError {
  constructor(
    /** The calendar (or other resource) refused. */
    readonly url: string,
    /** The privileges the server names (DAV:read, DAV:write-content…), without their namespace; empty when it names none. */
    readonly privileges: readonly string[],
  ) {
    const named = privileges.length > 0 ? `the ${privileges.join(' and ')} privilege` : 'access';
    super(`the CalDAV server refuses this account ${named} on ${url} (403): a calendar no longer shared with you, or whose access was changed`);
  }
}

const RADICALE_NOT_ALLOWED = 'Access to the requested resource forbidden.';

function privilegesMissing(url: string, body: string): PrivilegeMissing | null {
  if (/need-privileges/.test(body)) {
    const named = [...body.matchAll(/<(?:[\w-]+:)?privilege\b[^>]*>\s*<(?:[\w-]+:)?([\w-]+)/g)].map((match) => match[1] ?? '');
    return new PrivilegeMissing(url, [...new Set(named.filter(Boolean))]);
  }
  return body.trim() === RADICALE_NOT_ALLOWED ? new PrivilegeMissing(url, []) : null;
}

/** The address asked, without a user name, query or fragment. */
function requestUrl(input: Parameters<typeof fetch>[0]): string {
  const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  try {
    const url = new URL(href);
    return `${url.origin}${url.pathname}`;
  } catch {
    // tsdav asks only absolute URLs; a relative one is named as it is.
    return href;
  }
}

/** The methods whose success is always a 207 multistatus in XML (RFC 4918 §9.1, RFC 6578 §3.2). */
const DAV_METHODS = new Set(['PROPFIND', 'REPORT']);

/**
 * A success that is not a multistatus: another server's page answered for the CalDAV server's
 * address (a captive portal's sign-in, a proxy's notice). Read as an answer, it would be a
 * calendar with nothing in it, and every interview would be withdrawn; it is transient instead,
 * since such a network usually lets the server through again.
 */
function notDav(what: string): TransientError {
  return new TransientError(
    `CalDAV server answered with something that is not a CalDAV answer (${what}): a network sign-in page or a proxy in the way? Nothing is withdrawn until the server answers`,
  );
}

/** Whether tsdav read the answer as a multistatus (it keeps the parsed XML as `raw`). */
const isMultistatus = (answer: DavAnswer): boolean => typeof answer.raw === 'object' && answer.raw !== null && 'multistatus' in answer.raw;

export class CaldavClient {
  private readonly headers: Record<string, string>;
  private readonly fetch: typeof fetch;
  /** Addresses the server sent ringback to that were refused as a downgrade to plain http. */
  private readonly refusals: AccountUnusableError[] = [];

  constructor(
    private readonly account: { url: string; username: string; password: string },
    /** Discovery result kept by the source between calls. */
    private readonly shared: { homeUrl: string | null },
    private readonly signal: AbortSignal | undefined,
    now: () => Millis,
  ) {
    this.headers = getBasicAuthHeaders({ username: account.username, password: account.password });
    this.fetch = classifyingFetch(account.url, signal, now, this.refusals);
  }

  /** tsdav throws plain Errors for what it cannot find; those are permanent for us. */
  private async dav<T>(what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof ProviderError || this.signal?.aborted) throw error;
      throw new PermanentError(`CalDAV ${what} failed: ${(error as Error).message}`, { cause: error });
    }
  }

  async discover(): Promise<Collection[]> {
    if (!this.shared.homeUrl) {
      const account = await this.dav('discovery', async () =>
        createAccount({
          account: { serverUrl: this.account.url, accountType: 'caldav' },
          headers: this.headers,
          fetch: this.fetch,
        }).catch((error: unknown) => {
          // Discovery that found nothing else says why: the one way on was a refused downgrade. A
          // failure that says something else (a password refused, a server down or asking to slow
          // down, at an address the given one leads to) is said as it is: it is what to fix first.
          if (error instanceof AuthError || error instanceof RateLimitError || error instanceof TransientError) throw error;
          throw this.refusals[0] ?? error;
        }),
      );
      // Kept at the given address's encryption, so that the calendars' addresses are too.
      this.shared.homeUrl = account.homeUrl ? keptSecure(account.homeUrl, this.account.url) : null;
    }
    const home = this.shared.homeUrl;
    if (!home) throw new PermanentError(`CalDAV server at ${this.account.url} named no calendar home`);
    const answers = await this.request(home, 'PROPFIND', '1', `<d:propfind ${NS}><d:prop>${COLLECTION_PROPS}</d:prop></d:propfind>`, true);
    if (failedOutright(answers[0])) {
      // The home moved (or never was): discover again next time rather than report no calendars.
      this.shared.homeUrl = null;
      throw new PermanentError(`CalDAV calendar home ${home} failed (${answers[0]?.status})`);
    }
    return answers.flatMap((answer) => {
      const found = answer.ok && answer.href ? toCollection(new URL(answer.href, home).href, answer.props ?? {}) : null;
      return found ? [found] : [];
    });
  }

  /** A calendar named in the config, described directly: it may live outside the home set. */
  async describe(url: string): Promise<Collection> {
    const [answer] = await this.request(url, 'PROPFIND', '0', `<d:propfind ${NS}><d:prop>${COLLECTION_PROPS}</d:prop></d:propfind>`);
    const found = answer?.ok ? toCollection(url, answer.props ?? {}) : null;
    if (!found) throw new PermanentError(`CalDAV URL ${url} is not a calendar of events`);
    return found;
  }

  /** One PROPFIND or REPORT; an answer that is not a multistatus fails it unless `tolerate`. */
  async request(url: string, method: 'PROPFIND' | 'REPORT', depth: '0' | '1', body: string, tolerate = false): Promise<DavAnswer[]> {
    const answers = await this.dav(`${method} ${url}`, async () =>
      davRequest({
        url,
        init: { method, headers: { ...this.headers, depth }, body: `<?xml version="1.0" encoding="utf-8"?>${body}` },
        convertIncoming: false,
        fetch: this.fetch,
      }),
    );
    const first = answers[0];
    if (first?.ok && !isMultistatus(first)) throw notDav(`${first.status} to ${method}, not a multistatus`);
    if (!tolerate && failedOutright(first)) throw new PermanentError(`CalDAV ${method} ${url} failed (${first?.status})`);
    return answers;
  }

  /**
   * `sync-collection`: members changed since `token` (every member for null) and the new token.
   * 'invalid' when the server rejects the token; 'unsupported' when it does not do the report.
   * An answer the server cut short is asked on with the token it ended on, until one is whole.
   */
  async syncMembers(url: string, token: string | null) {
    const changed = new Map<string, Member>();
    const removed = new Map<string, string>();
    let asked = token;
    for (let round = 1; ; round += 1) {
      const page = await this.syncPage(url, asked);
      if (typeof page === 'string') return page;
      for (const member of page.changed) {
        removed.delete(keyOf(member.href, url));
        changed.set(keyOf(member.href, url), member);
      }
      for (const href of page.removed) {
        changed.delete(keyOf(href, url));
        removed.set(keyOf(href, url), href);
      }
      if (!page.truncated) return { changed: [...changed.values()], removed: [...removed.values()], token: page.token };
      if (page.token === null || page.token === asked || round >= SYNC_ROUNDS) {
        throw new TransientError(`CalDAV server cut its sync answer for ${url} short without a way on (round ${round}); nothing is withdrawn until it answers in full`);
      }
      asked = page.token;
    }
  }

  /**
   * One sync-collection answer. `truncated`: the server cut it short (RFC 6578 §3.6: a response
   * for the collection itself, "507 Insufficient Storage", with a token to ask on with).
   */
  private async syncPage(url: string, token: string | null) {
    const answers = await this.request(url, 'REPORT', '0',
      `<d:sync-collection ${NS}><d:sync-token>${xmlEscape(token ?? '')}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>`, true);
    const first = answers[0];
    if (first && failedOutright(first)) {
      const body = typeof first.raw === 'string' ? first.raw : JSON.stringify(first.raw ?? '');
      if (token && (body.includes('valid-sync-token') || [409, 410, 412].includes(first.status))) return 'invalid' as const;
      if ([400, 403, 405, 501].includes(first.status)) return 'unsupported' as const;
      throw new PermanentError(`CalDAV sync of ${url} failed (${first.status})`);
    }
    const changed: Member[] = [];
    const removed: string[] = [];
    let truncated = false;
    for (const answer of answers) {
      if (!answer.href) continue;
      if (samePath(answer.href, url)) {
        truncated ||= answer.status === 507;
        continue;
      }
      if (answer.status === 404) removed.push(answer.href);
      else changed.push({ href: answer.href, etag: text(answer.props?.getetag) ?? '' });
    }
    return { changed, removed, truncated, token: text(first?.raw?.multistatus?.syncToken) };
  }

  /** PROPFIND depth 1: every object in the calendar with its ETag. */
  async listMembers(url: string): Promise<Member[]> {
    const answers = await this.request(url, 'PROPFIND', '1', `<d:propfind ${NS}><d:prop><d:getetag/><d:resourcetype/></d:prop></d:propfind>`);
    return answers
      .filter((a) => a.ok && a.href && !samePath(a.href, url))
      .filter((a) => !(a.props?.resourcetype && typeof a.props.resourcetype === 'object' && 'collection' in a.props.resourcetype))
      .map((a) => ({ href: a.href ?? '', etag: text(a.props?.getetag) ?? '' }));
  }

  /** `calendar-multiget`; an object gone meanwhile comes back with null data. */
  async fetchObjects(url: string, hrefs: readonly string[]) {
    const out: { href: string; etag: string; data: string | null }[] = [];
    for (let i = 0; i < hrefs.length; i += MULTIGET_BATCH) {
      const batch = hrefs.slice(i, i + MULTIGET_BATCH).map((href) => `<d:href>${xmlEscape(href)}</d:href>`);
      const answers = await this.request(url, 'REPORT', '1',
        `<c:calendar-multiget ${NS}><d:prop><d:getetag/><c:calendar-data/></d:prop>${batch.join('')}</c:calendar-multiget>`);
      const answered = new Set<string>();
      for (const a of answers) {
        if (!a.href) continue;
        answered.add(keyOf(a.href, url));
        out.push({ href: a.href, etag: text(a.props?.getetag) ?? '', data: a.ok ? text(a.props?.calendarData) : null });
      }
      // One response per href, a 404 for one that is gone (RFC 4791 §7.9): one left out is
      // unknown, not gone, and a listing without it would withdraw its interviews.
      const asked = hrefs.slice(i, i + MULTIGET_BATCH);
      const missing = asked.filter((href) => !answered.has(keyOf(href, url))).length;
      if (missing > 0) {
        throw new TransientError(`CalDAV server left out ${missing} of the ${asked.length} calendar objects asked for in ${url}; nothing is withdrawn until it answers for all`);
      }
    }
    return out;
  }

  /** `calendar-query` over a time range: the objects with an event in it. */
  async queryRange(url: string, range: TimeRange): Promise<{ href: string; data: string }[]> {
    return this.query(url, `<c:time-range start="${davTime(range.from)}" end="${davTime(range.to)}"/>`);
  }

  /**
   * The objects of the calendar whose event has the UID `uid` (RFC 4791 §9.7.5 `text-match` on
   * the `UID` property, as §7.8.6's example asks for one event, and python-caldav's
   * `Calendar.object_by_uid` does): one event read without knowing its href. The match is a
   * substring one, so the caller keeps only the event it asked for.
   */
  async queryUid(url: string, uid: string): Promise<{ href: string; data: string }[]> {
    return this.query(url, `<c:prop-filter name="UID"><c:text-match collation="i;octet">${xmlEscape(uid)}</c:text-match></c:prop-filter>`);
  }

  /** A `calendar-query` of the calendar's events (VEVENT) that `filter` keeps, with their data. */
  private async query(url: string, filter: string): Promise<{ href: string; data: string }[]> {
    const answers = await this.request(url, 'REPORT', '1',
      `<c:calendar-query ${NS}><d:prop><d:getetag/><c:calendar-data/></d:prop><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT">${filter}</c:comp-filter></c:comp-filter></c:filter></c:calendar-query>`);
    return answers.flatMap((a) => {
      const data = a.ok ? text(a.props?.calendarData) : null;
      return a.href && data ? [{ href: a.href, data }] : [];
    });
  }
}
