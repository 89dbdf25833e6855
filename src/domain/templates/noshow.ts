/**
 * The "we did not connect" note, prepared at T + wait while the candidate still waits. Worded by
 * who dials whom, it says how long the candidate stays available and what should happen next:
 * another time (first miss) or a call from them whenever it suits (repeated misses), so that the
 * next contact is on their side. Calm: the reason is unknown, and it may well be innocent.
 */
import type { ComposedEmail, Escalation, Millis, Slot } from '../types.js';
import { dayPhrase, formatClockIn } from '../format.js';
import {
  type Block,
  type ComposeBase,
  type Facts,
  candidateNumber,
  displayNumber,
  factsOf,
  finish,
  greeting,
  para,
  signature,
  slotList,
  subjectWithTitle,
  timeFor,
  titleRef,
} from './email.js';

export interface NoShowInput extends ComposeBase {
  readonly escalation: Escalation;
  /** Start + giveUp: until then the candidate keeps the line free. */
  readonly availableUntil: Millis;
  /** Free times to offer when the escalation asks to reschedule; never invented when empty. */
  readonly slots: readonly Slot[];
}

function whatHappened(input: NoShowInput): string {
  switch (input.interview.direction) {
    case 'candidate-calls': {
      const theirs = displayNumber(input.interview.number);
      const at = theirs === null ? '' : ` at ${theirs}`;
      return `I called twice and could not reach you${at}, so I wanted to follow up here.`;
    }
    case 'interviewer-calls':
      return 'I have not received your call yet, so I wanted to check in here in case something came up.';
    case 'unknown':
      return 'It looks like we have not managed to connect yet, so I wanted to check in here.';
  }
}

function stillAvailable(input: NoShowInput, facts: Facts): string {
  const until = timeFor(facts, input.availableUntil, false);
  // When the next sentence asks them to call, the number is given there, not twice.
  const mine = input.escalation.ask === 'call-me' ? null : candidateNumber(input.interview, input.candidate);
  const reach = mine === null ? '' : ` at ${mine}`;
  return `I will stay available${reach} until ${until}, in case now still works for you.`;
}

function nextStep(input: NoShowInput, facts: Facts): Block[] {
  if (input.escalation.ask === 'call-me') {
    const mine = candidateNumber(input.interview, input.candidate);
    return mine === null
      ? [para('If that is easier, please give me a call whenever it is convenient for you, and I will make the time to talk.')]
      : [para(`If that is easier, please call me at ${mine} whenever it is convenient for you, and I will make the time to talk.`)];
  }
  if (input.slots.length === 0) {
    return [para('If today no longer works, I am happy to find another time that suits you.')];
  }
  return [
    para('If today no longer works, I would be glad to reschedule. Any of these times would suit me:'),
    slotList(facts, input.slots),
  ];
}

export function composeNoShow(input: NoShowInput): ComposedEmail {
  const facts = factsOf(input);
  const start = input.interview.start;
  const day = dayPhrase(start, input.now, facts.candidateZone);
  const blocks: Block[] = [
    greeting(facts),
    para(`I am writing about our phone interview${titleRef(facts)}, planned for ${day} at ${timeFor(facts, start, false)}.`),
    para(whatHappened(input)),
    para(stillAvailable(input, facts)),
    ...nextStep(input, facts),
    para('Thank you for your time, and I look forward to speaking with you.'),
    signature(facts, input.candidate, 'Kind regards,'),
  ];
  const subject = subjectWithTitle(`Our phone interview ${day} at ${formatClockIn(start, facts.candidateZone)}`, facts);
  return finish({ base: input, facts, subject, blocks });
}
