/**
 * The "we did not connect" note, prepared at T + wait while the candidate still waits. Short
 * (at most 100 words), calm (the reason is unknown and may well be innocent), no thanks for a
 * call that did not happen. It says until when the candidate stays by the phone (at least half an
 * hour from when it is written) and what should happen next, by level:
 * 1. offer new times (or ask for one);
 * 2. the second miss: ask them to call whenever it suits them, so the next contact is on them;
 * 3. the company keeps missing calls: a short polite note with no times, the door left open.
 */
import { dialsIn } from '../dial-in.js';
import type { NoShowLevel } from '../escalation.js';
import type { ComposedEmail, Escalation, Millis, Slot } from '../types.js';
import { sharedDayPhrase, spokenTime, subjectTime } from '../zones.js';
import {
  type Block,
  type ComposeBase,
  type Facts,
  type ReplyTo,
  candidateNumber,
  displayNumber,
  factsOf,
  finish,
  fitTimes,
  offerTimes,
  greeting,
  para,
  signature,
  subjectLine,
  timeFor,
} from './email.js';

export interface NoShowInput extends ComposeBase {
  readonly escalation: Escalation;
  /** Which note to write; absent: 2 when the escalation asks them to call, else 1. */
  readonly level?: NoShowLevel;
  /** Start + giveUp: the candidate keeps the line free until then, and never less than 30 minutes. */
  readonly availableUntil: Millis;
  /**
   * The start of the candidate's next busy time after `now` (their next call), or null: the line
   * is promised free until then at the latest.
   */
  readonly nextBusy?: Millis | null;
  /** Free times to offer at level 1; never invented when empty. */
  readonly slots: readonly Slot[];
  /** The confirmation, when it was sent: the note answers it. */
  readonly replyTo?: ReplyTo | null;
}

/** The design's limit for this note. */
const WORD_LIMIT = 100;

/** The article: stay available for another 30 minutes after writing. */
const STAY_AVAILABLE_MS = 30 * 60_000;

/**
 * Until when the note promises to stay by the phone: never less than half an hour from now, and
 * never into the candidate's next call. Back to back with another call (10:00 and 10:30), the half
 * hour from 10:15 ran to 10:45: a recruiter who took it at its word and called at 10:35 found the
 * line busy, a second missed call (back-to-back.int.test.ts).
 */
export function availableUntilFor(input: { readonly availableUntil: Millis; readonly now: Millis; readonly nextBusy?: Millis | null }): Millis {
  const least = input.now + STAY_AVAILABLE_MS;
  const promised = Number.isFinite(input.availableUntil) ? Math.max(input.availableUntil, least) : least;
  const busy = input.nextBusy;
  return busy !== undefined && busy !== null && Number.isFinite(busy) && busy > input.now ? Math.min(promised, busy) : promised;
}

function levelOf(input: NoShowInput): NoShowLevel {
  return input.level ?? (input.escalation.ask === 'call-me' ? 2 : 1);
}

function whatHappened(input: NoShowInput, when: string): string {
  // No role here: the subject or the thread says which interview, and the note must stay short.
  // "planned for today at …", but "planned on Tuesday, March 10 at …" when a date is named.
  const planned = `our phone interview was planned ${when.startsWith('on ') ? when : `for ${when}`}`;
  switch (input.interview.direction) {
    case 'candidate-calls': {
      // A meeting's bridge: nobody to have called, only a line to wait on.
      if (dialsIn(input.interview)) return `${capital(planned)}; I joined with the dial-in details from the invitation and waited on the line, but we did not manage to connect.`;
      const theirs = displayNumber(input.interview.number);
      // How many times the candidate tried is theirs to add: ringback knows only that they were to call.
      return `${capital(planned)}, and I called${theirs === null ? '' : ` ${theirs}`} but could not reach you.`;
    }
    case 'interviewer-calls':
      return `${capital(planned)}, and I have not received your call yet.`;
    case 'unknown':
      return `${capital(planned)}, and it seems we have not managed to connect yet.`;
  }
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function nextStep(input: NoShowInput, facts: Facts, until: string): Block[] {
  const mine = candidateNumber(input.interview, input.candidate);
  const atMine = mine === null ? '' : ` at ${mine}`;
  switch (levelOf(input)) {
    case 3:
      // Free until `until`, and the call still welcome after it: "free until 3:45 … call me whenever
      // it suits you" read as two answers to one question.
      return [para(`If you would still like to talk, please call me${atMine}: I will keep my phone free until ${until}, and any time after that suits me too.`)];
    case 2: {
      const times = input.escalation.noShows === 2 ? 'This is the second time our call has not worked out' : 'Our calls have not worked out a few times now';
      return [
        para(`${times}, so it may be easiest if you call me${atMine} whenever it is convenient for you. I am free until ${until}, and I will make time for your call after that too.`),
      ];
    }
    case 1: {
      const now = `If now still works, please call me${atMine}; I will keep my phone free until ${until}.`;
      return offerTimes(facts, input.slots, {
        some: `${now} Otherwise, I am happy to reschedule: would one of these suit you?`,
        one: `${now} Otherwise, I am happy to reschedule: would this time suit you?`,
        none: `${now} Otherwise, I am happy to reschedule: could you suggest a time that suits you?`,
      });
    }
  }
}

export function composeNoShow(input: NoShowInput): ComposedEmail {
  const facts = factsOf(input);
  const start = input.interview.start;
  const day = sharedDayPhrase(start, input.now, facts.candidateZone, facts.recipientZone);
  // The start time named both clocks with "for you" and the recipient's date; the second reading
  // needs neither again.
  const until = spokenTime(availableUntilFor(input), facts.candidateZone, facts.recipientZone, { otherLabel: '', otherWeekdayOnly: true });
  const blocks = fitTimes(WORD_LIMIT, input.slots, (slots) => [
    greeting(facts),
    para(whatHappened(input, `${day} at ${timeFor(facts, start, false)}`)),
    ...nextStep({ ...input, slots }, facts, until),
    signature(facts, input, 'Kind regards,'),
  ]);
  const subject = subjectLine(`Our phone interview ${subjectTime(start, input.now, facts.candidateZone, facts.recipientZone)}`);
  return finish({ base: input, facts, subject, blocks, replyTo: input.replyTo ?? null });
}
