/**
 * Bounces: after an email went out, a report of non-delivery may come back to the Inbox (an
 * address that does not exist, a full mailbox, a policy refusal). The mailbox finds the reports
 * (src/providers/mail/delivery-report.ts); this matches them to the emails ringback sent, records
 * each "not delivered" once with the reason, and tells the user (audit, log). It changes no plan:
 * the call may still happen, and the user decides how else to reach the counterpart.
 *
 * Run with the reconciler (every 10 minutes by default). It asks the mailbox only when an email
 * was sent in the last {@link WATCH_DAYS} days, and only for what arrived since the oldest of them.
 */
import { audit } from '../store/audit.js';
import { getEmails, type EmailRecord } from '../store/drafts.js';
import { listInterviews } from '../store/interviews.js';
import { recordUndelivered } from '../store/undelivered.js';
import type { DeliveryFailure } from '../providers/mail/types.js';
import type { Interview } from '../domain/types.js';
import type { Engine } from './context.js';
import { safeTitle } from './wording.js';

/** How long after a send (or its submission) its bounce is looked for: servers give up retrying after up to 5 days, most report within minutes. */
export const WATCH_DAYS = 3;
const DAY = 86_400_000;
/** Reports are asked for from a little before the oldest send: a Date header written by a server whose clock is behind. */
const CLOCK_SLACK = 10 * 60_000;

const KIND_WORD: Readonly<Record<EmailRecord['kind'], string>> = {
  confirmation: 'confirmation',
  noshow: 'no-show email',
  thankyou: 'thank-you',
  apology: 'apology',
};

export interface BounceSummary {
  /** Emails watched (sent in the last WATCH_DAYS days). */
  readonly watched: number;
  /** Newly found not delivered. */
  readonly undelivered: number;
}

export async function checkDeliveryReports(engine: Engine): Promise<BounceSummary> {
  const mailbox = engine.mailbox;
  if (!mailbox) return { watched: 0, undelivered: 0 };
  const now = engine.now();
  const watched = new Map<string, { interview: Interview; email: EmailRecord; sentAt: number }>();
  // An interview's emails go out from a day before its start to a few days after it.
  for (const interview of await listInterviews(engine.store, { from: now - (WATCH_DAYS + 2) * DAY })) {
    for (const email of await getEmails(engine.store, interview.id)) {
      // A submitted email (the provider accepted it, its copy in Sent not seen yet) can bounce too.
      const sentAt = email.state === 'submitted' ? (email.submittedAt ?? email.updatedAt) : email.updatedAt;
      if ((email.state === 'sent' || email.state === 'submitted') && sentAt >= now - WATCH_DAYS * DAY) watched.set(email.ref.messageId.toLowerCase(), { interview, email, sentAt });
    }
  }
  if (watched.size === 0) return { watched: 0, undelivered: 0 };
  const since = Math.min(...[...watched.values()].map(({ sentAt }) => sentAt)) - CLOCK_SLACK;
  let undelivered = 0;
  for (const report of await mailbox.deliveryReportsSince(since)) {
    for (const id of report.originalMessageIds) {
      const match = watched.get(id.toLowerCase());
      if (!match) continue;
      const { interview, email } = match;
      if (await tellUndelivered(engine, interview, email, failureFor(report.failures, interview.counterpart.email))) undelivered += 1;
    }
  }
  return { watched: watched.size, undelivered };
}

/**
 * Recipients the SMTP relay refused while it took the email for the others (SendOptions
 * `onRecipientsRefused`: the interviewer's address unknown, a Cc the user added accepted): recorded
 * and told at once, as a bounce is, since no report of them will come. The email did leave.
 */
export async function recordRefusedAtSend(engine: Engine, interview: Interview, email: Pick<EmailRecord, 'kind' | 'ref'>, refused: readonly DeliveryFailure[]): Promise<void> {
  // One record per email, as for a bounce: the counterpart's refusal when theirs is among them.
  if (refused.length > 0) await tellUndelivered(engine, interview, email, failureFor(refused, interview.counterpart.email));
}

/** Records the email not delivered for `failure`, once, and tells the user (log, audit); true when it was not known yet. */
async function tellUndelivered(engine: Engine, interview: Interview, email: Pick<EmailRecord, 'kind' | 'ref'>, failure: DeliveryFailure): Promise<boolean> {
  const now = engine.now();
  const recorded = await recordUndelivered(engine.store, interview.id, {
    kind: email.kind,
    messageId: email.ref.messageId,
    recipient: failure.recipient,
    status: failure.status,
    reason: failure.reason,
    reportedAt: now,
    ...(failure.temporary === true ? { temporary: true as const } : {}),
  });
  if (!recorded) return false;
  const message = notDeliveredMessage(interview, email, failure);
  engine.log.warn({ interview: interview.id, kind: email.kind, status: failure.status }, message);
  await audit(engine.store, { type: 'undelivered', interviewId: interview.id, message, at: now });
  return true;
}

/**
 * The failure for the counterpart when the report lists several recipients; else the first (the
 * only one for a counterpart without an address, whose email the user addressed and sent).
 */
function failureFor(failures: readonly DeliveryFailure[], counterpart: string | null): DeliveryFailure {
  const wanted = counterpart?.trim().toLowerCase();
  return (wanted === undefined ? undefined : failures.find((f) => f.recipient === wanted)) ?? failures[0] ?? { recipient: null, status: null, reason: 'the receiving mail server refused it' };
}

function notDeliveredMessage(interview: Interview, email: Pick<EmailRecord, 'kind'>, failure: DeliveryFailure): string {
  const to = failure.recipient ?? interview.counterpart.email ?? 'the recipient';
  if (failure.temporary === true) {
    // Deferred at RCPT (greylisting: https://github.com/schweikert/postgrey/issues/84; RFC 5321
    // §4.5.4.1, a recipient to try again later): the address is likely right. ringback does not
    // send it again by itself, since the others it went to would get it twice.
    return (
      `the ${KIND_WORD[email.kind]} for "${safeTitle(interview.title)}" was not delivered to ${to} yet: their mail server asked to try again later (${failure.reason}).` +
      ' It went to the others it was written to; send it to them again yourself from your mail client in a few minutes (it is in Sent), or reach them another way before the call'
    );
  }
  return (
    `the ${KIND_WORD[email.kind]} for "${safeTitle(interview.title)}" was NOT delivered to ${to}: ${failure.reason}` +
    `${failure.status ? ` (${failure.status})` : ''}. Check the address in the invitation, and reach them another way before the call`
  );
}
