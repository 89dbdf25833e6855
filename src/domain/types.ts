/**
 * The words of ringback, and the plain data that the pure domain works on.
 *
 * Glossary
 * - **event**: one occurrence of a calendar entry as a calendar source reports it, normalised into
 *   {@link CalendarEvent}. A recurring entry yields one event per occurrence.
 * - **interview**: an event that qualifies as a phone interview (see `detect.ts`). It keeps the
 *   facts the emails need: when, who, which number, who dials whom.
 * - **candidate**: the person ringback works for (the user). Emails are written in their name.
 * - **counterpart**: the interviewer or recruiter on the other end: the attendee the invitation's
 *   text names as the interviewer when exactly one matches, else the event's organizer, or the
 *   first attendee who is not the candidate. The only possible recipient of any email. When the
 *   invitation comes from an address nobody reads (an ATS's no-reply sender) and names no one else
 *   to write to, the counterpart has no address: the person the invitation names, if any, and the
 *   drafts are written without a recipient.
 * - **company**: the key under which no-shows are remembered: the counterpart's email domain
 *   (free-mail domains give none).
 * - **direction**: who dials whom: `candidate-calls`, `interviewer-calls` or `unknown`.
 * - **revision**: a number that rises whenever the facts an email depends on change (start, end,
 *   number, attendees). Every planned action and every Message-ID carries it, so that an action
 *   planned for an old revision can tell that the world moved on.
 * - **action**: one step of an interview's lifecycle that happens at a due time, such as writing
 *   the confirmation draft or sending it. Actions are computed by `plan.ts`.
 * - **outcome**: how the call went: `held`, `interviewer-no-show` or `candidate-missed`.
 * - **duplicate**: an interview whose call another calendar of the user lists too, recorded after
 *   the interview of that other listing (its owner): recorded and shown, never emailed about.
 *
 * Times are epoch milliseconds (UTC) throughout the domain; zones are IANA names. Each set of words
 * a record holds (statuses, directions, roles…) is a list here, and its type is read from the list:
 * what reads records from outside (an import, src/store/export-check.ts) takes the very same words.
 */
import type { ActionKind } from './actions.js';

/** Milliseconds since the epoch, UTC. */
export type Millis = number;

export interface Person {
  readonly name: string;
  /** Lower-cased address, or '' when the source gave none. */
  readonly email: string;
}

/**
 * The person on the other end of an interview, as far as the invitation tells. `email` is null when
 * there is no address to write to: the invitation came from a no-reply sender and listed no one else.
 */
export interface Counterpart {
  /** As the invitation gives it; '' when it names nobody. */
  readonly name: string;
  /** Lower-cased address of a person who can be written to, or null when there is none. */
  readonly email: string | null;
}

/** An attendee's answer to the invitation (iCalendar PARTSTAT, lower-cased). */
export const PARTICIPATION_STATUSES = ['accepted', 'declined', 'tentative', 'needs-action', 'delegated', 'unknown'] as const;

export type ParticipationStatus = (typeof PARTICIPATION_STATUSES)[number];

export interface Attendee extends Person {
  readonly status: ParticipationStatus;
  /** True when the source itself marks this attendee as the calendar's owner (Google `self`). */
  readonly self?: boolean;
}

/** One normalised event occurrence, as every calendar source reports it. */
export interface CalendarEvent {
  /** Stable within its source: the UID, plus the occurrence's original start for recurring ones. */
  readonly id: string;
  /** Shared by every occurrence of one recurring entry (its UID); absent for a lone event. */
  readonly seriesId?: string;
  /**
   * The iCalendar UID of the invitation, when `id` is not it: Google's `iCalUID` and Graph's
   * `iCalUId` (providers/google/calendar-events.ts, providers/microsoft/calendar-events.ts), which
   * every calendar holding the same invitation keeps, while the provider's own id is its own.
   * Absent where the id is the UID already (the iCalendar sources) or the provider sent none.
   */
  readonly uid?: string;
  readonly title: string;
  readonly description: string;
  readonly location: string;
  readonly start: Millis;
  readonly end: Millis;
  /** The zone the event was written in (its TZID), or null when floating or unknown. */
  readonly timeZone: string | null;
  /**
   * A start written without a zone (an iCalendar floating time, RFC 5545 §3.3.5): the zone it was
   * read in, and whose that is (the zone its calendar names, X-WR-TIMEZONE, or the user's own,
   * `candidate.timezone`). Absent when the entry says its zone (and for all-day dates).
   */
  readonly floating?: { readonly zone: string; readonly from: 'calendar' | 'you' };
  readonly allDay: boolean;
  readonly status: 'confirmed' | 'tentative' | 'cancelled';
  readonly organizer: Person | null;
  readonly attendees: readonly Attendee[];
  /** Outlook categories, iCalendar CATEGORIES. */
  readonly categories: readonly string[];
  /** Google private extended properties and similar provider tags. */
  readonly tags: Readonly<Record<string, string>>;
  /** Phone numbers from conference data (Google entry points, Teams dial-in), as given. */
  readonly conferencePhones: readonly string[];
  /**
   * The meeting the calendar itself attaches, as join links or provider names (Google
   * `conferenceData`, Graph `onlineMeeting`, iCalendar `CONFERENCE`, `X-GOOGLE-CONFERENCE`,
   * `X-MICROSOFT-SKYPETEAMSMEETINGURL`); absent or empty when there is none.
   */
  readonly conference?: readonly string[];
}

/** What an event is, as detection reads it. */
export type EventKind = 'phone' | 'video' | 'in-person' | 'not-interview';

/** Where a piece of evidence was found. */
export const EVIDENCE_FIELDS = ['title', 'location', 'description', 'conference', 'organizer', 'calendar', 'you'] as const;

export type EvidenceField = (typeof EVIDENCE_FIELDS)[number];

/** One reason behind a detection: a phrase or a fact, where it was, and how much it counted. */
export interface Evidence {
  readonly field: EvidenceField;
  /** The words matched, or a short description of the fact ("a phone number written by a person"). */
  readonly text: string;
  /** What it speaks for: `interview`, `phone`, `video`, `inPerson`, `notInterview`, `bridge`… */
  readonly signal: string;
  /** Points towards the signal's side; 0 when it was seen but decided nothing. */
  readonly weight: number;
}

/** What the user may say an event is. */
export const MARK_KINDS = ['phone', 'video', 'not-interview'] as const;

/** The user's own answer for one event (`ringback mark`, the dashboard), kept across syncs. */
export interface UserMark {
  readonly kind: (typeof MARK_KINDS)[number];
  readonly direction?: Direction;
  /** E.164. */
  readonly number?: string;
  readonly at: Millis;
}

export const DIRECTIONS = ['candidate-calls', 'interviewer-calls', 'unknown'] as const;

export type Direction = (typeof DIRECTIONS)[number];

/** How the candidate stands towards the event: only `organizer` and `accepted` allow auto-send. */
export const CANDIDATE_ROLES = ['organizer', 'accepted', 'tentative', 'declined', 'needs-action', 'unknown'] as const;

export type CandidateRole = (typeof CANDIDATE_ROLES)[number];

/**
 * How the counterpart stands towards the event: its organizer, or an attendee with this answer, or
 * `named-by-organizer`: the interviewer the invitation names, an attendee who has not answered,
 * put on the call by an organizer who can be written to (a coordinator's invitation).
 */
export const COUNTERPART_ROLES = ['organizer', 'named-by-organizer', ...PARTICIPATION_STATUSES] as const;

export type CounterpartRole = (typeof COUNTERPART_ROLES)[number];

export const OUTCOMES = ['held', 'interviewer-no-show', 'candidate-missed'] as const;

export type Outcome = (typeof OUTCOMES)[number];

/** Who recorded an outcome: a command, a tag in the event, the no-show email sent, the give-up check, a dashboard button. */
export const OUTCOME_SOURCES = ['cli', 'tag', 'mailbox', 'assumed', 'dashboard'] as const;

export type OutcomeSource = (typeof OUTCOME_SOURCES)[number];

export const INTERVIEW_STATUSES = ['scheduled', 'cancelled', 'declined', 'done'] as const;

export type InterviewStatus = (typeof INTERVIEW_STATUSES)[number];

/** Who decided what an event is: detection reading it, a tag in it, or the user's mark. */
export const DECIDERS = ['detection', 'tag', 'you'] as const;

export type DecidedBy = (typeof DECIDERS)[number];

/** A clock an invitation stated on a bare offset, for one instant: `offset` minutes east of UTC at `at`. */
export interface StatedOffset {
  readonly at: Millis;
  readonly offset: number;
}

/** What `detect` concludes about one event; the rest of the interview record is kept by the store. */
export interface Detection {
  readonly title: string;
  readonly start: Millis;
  readonly end: Millis;
  readonly timeZone: string | null;
  readonly counterpart: Counterpart;
  readonly company: string | null;
  /** E.164 number to be dialled, or null when none was found. */
  readonly number: string | null;
  readonly direction: Direction;
  /**
   * The candidate dials in to the meeting's own bridge with the details of the invitation (a phone
   * interview held on Teams, Zoom or Webex audio): `direction` is `candidate-calls` and `number` null,
   * since a bridge is never a number to call a person at. Absent: false.
   */
  readonly dialIn?: boolean;
  /**
   * The interviewer's zone as the invitation's text states it beside the call's own time ("3:00pm -
   * 3:30pm PDT" on an event stored in UTC): see stated-time.ts. Absent when the text states none,
   * or none sure. A set company zone and the organizer's own event zone win over it (zones.ts).
   */
  readonly statedZone?: string;
  /**
   * The call's time as the invitation's text states it on a bare offset ("3:30 PM (GMT+05:30)"),
   * with the instant it was stated for: the recipient's clock at that instant and no other, since
   * an offset names no place (zones.ts, `recipientZoneAt`). Absent when a place is known or none
   * is stated.
   */
  readonly statedOffset?: StatedOffset;
  readonly role: CandidateRole;
  /**
   * The counterpart's part in the event. Absent on records written before it was kept: counts as
   * `unknown`, so such an interview is not sent by itself until the next sync re-reads its event.
   */
  readonly counterpartRole?: CounterpartRole;
  /** Free text of the event, kept for the brief. */
  readonly notes: string;
  /** The outcome tag (#held, #noshow, #missed) the user wrote into the event, if any. */
  readonly taggedOutcome: Outcome | null;
  /** 0.5 (a guess) … 0.99 (no doubt); 1 when a tag or the user said so. Absent on old records. */
  readonly confidence?: number;
  /** Uncertain: listed for review, and the confirmation is never sent without the user. */
  readonly review?: boolean;
  /** Why it is a phone interview, strongest first. */
  readonly evidence?: readonly Evidence[];
  /** Who decided: detection reading the event, a tag in the event, or the user's mark. */
  readonly decidedBy?: DecidedBy;
}

/** Why an event is not an interview; every reason is audited once per event revision. */
export type NotAnInterview =
  | { readonly reason: 'no-match' }
  | { readonly reason: 'excluded'; readonly detail: string }
  | { readonly reason: 'all-day' }
  | { readonly reason: 'cancelled' }
  | { readonly reason: 'no-counterpart' }
  | { readonly reason: 'own-block'; readonly detail: string }
  | { readonly reason: 'video'; readonly detail: string }
  | { readonly reason: 'in-person'; readonly detail: string }
  | { readonly reason: 'not-interview'; readonly detail: string }
  | { readonly reason: 'marked'; readonly detail: string };

export type DetectResult =
  | { readonly kind: 'interview'; readonly detection: Detection }
  | ({ readonly kind: 'skip' } & NotAnInterview);

/** A recorded interview: a detection plus what ringback remembers about it. */
export interface Interview extends Detection {
  /** Short stable id derived from source and event id, e.g. `iv3f9a0c12d4`. */
  readonly id: string;
  readonly sourceId: string;
  readonly eventId: string;
  /** The invitation's iCalendar UID when the event id is not it (`CalendarEvent.uid`); absent otherwise. */
  readonly uid?: string;
  readonly revision: number;
  /** Hash of the facts the revision follows (see `revisionKey` in detect.ts). */
  readonly revisionKey: string;
  readonly status: InterviewStatus;
  /** How many times the start moved after it was first seen. */
  readonly rescheduled: number;
  readonly outcome: Outcome | null;
  readonly outcomeSource: OutcomeSource | null;
  readonly firstSeen: Millis;
  /**
   * Set when another calendar of the user lists the same call and its interview was recorded
   * first (duplicates.ts): the id of that interview, which alone gets the emails. Absent otherwise.
   */
  readonly duplicateOf?: string;
  /** Why it is the same call: the same UID at the same start, or the same start and counterpart. */
  readonly duplicateBy?: SameCallBy;
  /**
   * Set when the interview was withdrawn because its event left its calendar while it was
   * scheduled (removed, or the calendar no longer lists it): the one way a call's first listing
   * stops owning the call (duplicates.ts). Dropped when the event is listed again.
   */
  readonly vanished?: true;
  /**
   * Set when the interview was withdrawn because its organizer cancelled the call: the id of the
   * listing whose calendar showed the cancellation (its own id when its own calendar did; another
   * calendar's listing of the same invitation otherwise: declined-call.ts). A reinstatement of the
   * call plans it again; dropped then.
   */
  readonly cancelledIn?: string;
}

/** How two events of different calendars were found to be one call (duplicates.ts). */
export const SAME_CALL_BY = ['uid', 'counterpart'] as const;

export type SameCallBy = (typeof SAME_CALL_BY)[number];

/** The kinds of action in an interview's lifecycle, listed in `actions.ts`. */
export type { ActionKind };

export interface PlannedAction {
  readonly kind: ActionKind;
  readonly dueAt: Millis;
}

/** An action that the plan decided not to take, with the reason the audit shows. */
export interface SkippedAction {
  readonly kind: ActionKind;
  readonly reason: string;
}

export interface Plan {
  readonly actions: readonly PlannedAction[];
  readonly skipped: readonly SkippedAction[];
  /** Confirmation goes out without review only when this is true. */
  readonly autoSend: boolean;
  /** Set when the confirmation is sent late inside the lead window ("in 25 minutes"). */
  readonly shortNotice: boolean;
}

/** Timing settings, all in minutes or hours as in the config, resolved with defaults (config/fields.ts). */
export interface TimingSettings {
  readonly confirmLeadMinutes: number;
  readonly minLeadMinutes: number;
  readonly draftHorizonHours: number;
  readonly waitMinutes: number;
  readonly giveUpMinutes: number;
  readonly thankYouDelayMinutes: number;
  readonly bufferMinutes: number;
  /**
   * A confirmation draft stays in Drafts at least this long before it is sent, when the call is
   * far enough ahead, so that the user can read it. 0 sends a short-notice confirmation at once.
   */
  readonly reviewMinutes: number;
}

export interface PolicySettings {
  readonly askToCallAfter: number;
  readonly moveOnAfter: number;
}

export type ConfirmationMode = 'send' | 'draft' | 'off';

export interface Candidate {
  readonly name: string;
  readonly email: string;
  /** E.164. */
  readonly phone: string;
  readonly timezone: string;
}

/** An email ready to be written into a mailbox. Header values never contain CR or LF. */
export interface ComposedEmail {
  readonly messageId: string;
  readonly from: Person;
  /** Empty for a counterpart without an address: a draft the user addresses; never sent by ringback. */
  readonly to: readonly Person[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly inReplyTo?: string;
  readonly references?: readonly string[];
  readonly date: Millis;
}

/** A proposed time for a call, free in the candidate's calendar with buffers on both sides. */
export interface Slot {
  readonly start: Millis;
  readonly end: Millis;
}

/** What a company's record of missed calls means for the next email to it. */
export interface Escalation {
  /** Interviewer no-shows counted, including the one the email is about. */
  readonly noShows: number;
  /** `reschedule`: offer free slots. `call-me`: ask them to call the candidate when convenient. */
  readonly ask: 'reschedule' | 'call-me';
  /** True once no-shows reach `moveOnAfter`: confirmations to the company stay drafts. */
  readonly pattern: boolean;
}
