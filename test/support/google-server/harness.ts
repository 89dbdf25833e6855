/**
 * The Google adapters wired to a fake Google server, as the contract suites and engine tests use
 * them: real `googleapis` and `google-auth-library` clients, pointed at the server with the
 * overrides a user would put in the config.
 */
import { createHash } from 'node:crypto';
import { simpleParser } from 'mailparser';
import type { Millis } from '../../../src/domain/types.js';
import { readHeaders } from '../../../src/providers/mail/mime.js';
import type { CalendarSource } from '../../../src/providers/calendar/types.js';
import type { Mailbox } from '../../../src/providers/mail/types.js';
import { createGoogleAuth, type GoogleAuthClient, type GoogleTokens } from '../../../src/providers/google/auth.js';
import { createGoogleCalendarSource, type GoogleCalendarSourceOptions } from '../../../src/providers/google/calendar.js';
import { createGmailMailbox } from '../../../src/providers/google/gmail.js';
import type { CalendarHarness, HarnessEvent } from '../../providers/calendar/contract.js';
import type { MailboxHarness, SentMessage } from '../../providers/mail/contract.js';
import { startGoogleServer, type GoogleServer, type GoogleServerOptions } from '../google-server.js';
import type { FakeEvent } from './calendar.js';

export interface AuthFixture {
  readonly auth: GoogleAuthClient;
  /** Every token set handed to `onTokens`, in order. */
  readonly saved: GoogleTokens[];
  readonly refreshToken: string;
}

/** An OAuth client for the fake user, as a finished `connect google` would have left it. */
export function authFor(
  server: GoogleServer,
  options: { refreshToken?: string; timeoutMs?: number; onTokens?: (tokens: GoogleTokens) => Promise<void> } = {},
): AuthFixture {
  const saved: GoogleTokens[] = [];
  const refreshToken = options.refreshToken ?? server.issueRefreshToken();
  const auth = createGoogleAuth({
    clientId: server.clientId,
    clientSecret: server.clientSecret,
    tokens: { refresh_token: refreshToken },
    endpoints: { tokenUrl: server.tokenUrl, authUrl: server.authUrl },
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    onTokens: async (tokens) => {
      saved.push(tokens);
      await options.onTokens?.(tokens);
    },
  });
  return { auth, saved, refreshToken };
}

/** A Google event id (base32hex characters) derived from a harness UID. */
export function googleEventId(uid: string): string {
  return createHash('sha1').update(uid).digest('hex').slice(0, 26);
}

const STATUS: Record<string, 'needsAction' | 'declined' | 'tentative' | 'accepted'> = {
  accepted: 'accepted',
  declined: 'declined',
  tentative: 'tentative',
  'needs-action': 'needsAction',
};

/** A contract-suite event as Google would hold it. */
export function toFakeEvent(event: HarnessEvent, userEmail: string): FakeEvent {
  const time = (at: Millis) =>
    event.allDay ? { date: new Date(at).toISOString().slice(0, 10) } : { dateTime: new Date(at).toISOString().replace('.000Z', 'Z'), timeZone: 'UTC' };
  return {
    id: googleEventId(event.uid),
    // The invitation's UID, as another calendar holding it has it.
    iCalUID: event.uid,
    summary: event.title,
    start: time(event.start),
    end: time(event.end),
    ...(event.description !== undefined ? { description: event.description } : {}),
    ...(event.location !== undefined ? { location: event.location } : {}),
    ...(event.organizer ? { organizer: { email: event.organizer.email, displayName: event.organizer.name, self: event.organizer.email === userEmail } } : {}),
    ...(event.attendees
      ? {
          attendees: event.attendees.map((attendee) => ({
            email: attendee.email,
            displayName: attendee.name,
            responseStatus: STATUS[attendee.status] ?? 'needsAction',
            ...(attendee.email === userEmail ? { self: true } : {}),
          })),
        }
      : {}),
    ...(event.recurrence ? { recurrence: [`RRULE:FREQ=${event.recurrence.freq};COUNT=${event.recurrence.count}`] } : {}),
  };
}

export async function googleCalendarHarness(
  serverOptions: GoogleServerOptions = {},
  sourceOptions: Partial<GoogleCalendarSourceOptions> = {},
): Promise<CalendarHarness & { server: GoogleServer; source: CalendarSource }> {
  const server = await startGoogleServer(serverOptions);
  const { auth } = authFor(server);
  const source = createGoogleCalendarSource({ id: 'google-test', auth, horizonDays: 30, now: () => Date.now(), rootUrl: server.url, ...sourceOptions });
  return {
    server,
    source,
    async putEvent(event) {
      server.putEvent(toFakeEvent(event, server.userEmail));
      return googleEventId(event.uid);
    },
    async removeEvent(uid) {
      server.removeEvent(googleEventId(uid));
    },
    async close() {
      await source.close();
      await server.close();
    },
  };
}

export async function gmailHarness(serverOptions: GoogleServerOptions = {}): Promise<MailboxHarness & { server: GoogleServer; mailbox: Mailbox }> {
  const server = await startGoogleServer(serverOptions);
  const { auth } = authFor(server);
  const mailbox = createGmailMailbox({ id: 'gmail-test', auth, rootUrl: server.url, userEmail: server.userEmail, zone: 'UTC' });
  const sentMessages = async (messageId: string): Promise<SentMessage[]> => {
    const sent: SentMessage[] = [];
    for (const record of server.gmail.sent.filter((entry) => entry.messageId === messageId)) {
      const parsed = await simpleParser(record.raw);
      const headers = readHeaders(record.raw);
      sent.push({
        subject: parsed.subject ?? '',
        recipients: [...headers.to, ...headers.cc],
        text: parsed.text ?? '',
        inReplyTo: parsed.inReplyTo ?? null,
      });
    }
    return sent;
  };
  return {
    server,
    mailbox,
    async userEditsDraft(ref, newText) {
      server.gmail.userEditsDraft(ref.providerId, newText);
    },
    async userAddressesDraft(ref, to) {
      server.gmail.userAddressesDraft(ref.providerId, to);
    },
    async userDeletesDraft(ref) {
      server.gmail.userDeletesDraft(ref.providerId);
    },
    async deliverReply(reply) {
      server.gmail.deliverReply(reply);
    },
    async deliverRaw(raw, date) {
      server.gmail.deliverRaw(raw, date);
    },
    async sentCount(messageId) {
      return server.gmail.sentCount(messageId);
    },
    sentMessages,
    async close() {
      await mailbox.close();
      await server.close();
    },
  };
}
