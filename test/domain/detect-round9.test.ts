/**
 * What the ninth held-out round taught: ATS and scheduler wording and the user's own entries.
 * "Phone number for candidate to call:" (an ATS's free-text field) and a hiring line's "To join, call
 * … and enter your interview code" give the number the candidate dials; in a note the user typed,
 * "I ring Fiona on …" says the user dials and "Mia will ring me" that she does; "Please ring-fence the
 * hour" asks nothing of a phone; "I'm screening Dev for our opening" is the hiring side. Each phrase
 * has a sentence beside it where the same words must keep their old meaning.
 */
import { describe, expect, it } from 'vitest';
import type { CalendarEvent, Person } from '../../src/domain/types.js';
import { invitation, OWN, readEvent, SELF } from '../support/detection.js';

const RECRUITER: Person = { name: 'Grace Holloway', email: 'grace.holloway@fernwood.example' };
const KATE: Person = { name: 'Kate Burns', email: 'kate.burns@elmstead.example' };

/** An invitation the recruiter sent. */
function sent(title: string, description: string, over: Partial<CalendarEvent> = {}): CalendarEvent {
  return invitation(RECRUITER, { title, description, attendees: [{ ...RECRUITER, status: 'accepted' }, { ...SELF, status: 'accepted' }], ...over });
}

/** A note the user typed in their own calendar, with the interviewer as a guest. */
function typed(title: string, description: string, over: Partial<CalendarEvent> = {}): CalendarEvent {
  return invitation(SELF, { title, description, attendees: [{ ...SELF, status: 'accepted' }, { ...KATE, status: 'accepted' }], ...over });
}

describe('"ring-fence" is no ring', () => {
  // https://www.registerguard.com/special/20191105/bluechip-about-people-joshua-burstein (ho9-typed-ringfence)
  it.each([
    ['Please ring-fence the hour: no other calls. Kate has my mobile.'],
    ['Please ring fence this slot, nothing else that morning.'],
    ['Kindly keep it ring-fenced: Kate calls me.'],
  ])('%s', (description) => {
    expect(readEvent(typed('Phone interview - Elmstead (Kate calls me)', description))).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });

  it('"please ring" before a number still says the candidate dials it', () => {
    expect(readEvent(sent('Phone interview - Fernwood', 'Please ring Grace on (646) 555-0187 at the time of the invite.'))).toEqual({
      kind: 'phone',
      direction: 'candidate-calls',
      number: '+16465550187',
    });
  });
});

describe('a number the candidate is to call, as ATS fields and hiring lines write it', () => {
  it('"Phone number for candidate to call:" (a free-text field of the interview form)', () => {
    // https://silkroadtraining.blob.core.windows.net/recruiting-help-combined/52826.htm (ho9-jobvite-call-in)
    const description = 'This confirms your phone interview for the Logistics Coordinator position.\n\nPhone number for candidate to call: (469) 555-0118\nInterviewer: Grace Holloway';
    expect(readEvent(sent('Interview - Logistics Coordinator', description))).toEqual({ kind: 'phone', direction: 'candidate-calls', number: '+14695550118' });
  });

  it('"To join, call … and enter your interview code" (a hiring line, no conference bridge)', () => {
    // https://hirevuehelpcenter.zendesk.com/hc/en-us/articles/45490742609044 (ho9-hirevue-live-voice)
    const description = 'Your live voice interview is scheduled. To join, call (866) 555-0147 and enter your interview code 48213 when prompted.';
    expect(readEvent(sent('Live Voice Interview: Claims Adjuster', description))).toEqual({ kind: 'phone', direction: 'candidate-calls', number: '+18665550147' });
  });

  it('a provider\'s "To join, call … Meeting ID" stays a bridge, never dialled', () => {
    const description = 'Phone interview, audio only; Kate will call you.\n\nJoin Zoom Meeting\nhttps://zoom.us/j/93312345678\nTo join, call +1 312 555 0191\nMeeting ID: 933 1234 5678\nPasscode: 204817';
    expect(readEvent(sent('Phone interview - Fernwood', description))).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });
});

describe("who rings whom in a note the user typed", () => {
  it('"I ring Fiona in HR on …": the user dials, a number of the country of the event\'s zone', () => {
    // https://pastebin.com/PkN4GVnB (ho9-typed-loc-number)
    const event = typed('ARM telephone interview', 'I ring Fiona in HR on 0113 496 0638, she puts me through to the team.', { timeZone: 'Europe/London' });
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'candidate-calls', number: '+441134960638' });
  });

  it('"Mia will ring me": she dials the number in the config, not the one for when she does not', () => {
    // https://pastebin.com/7rUSv6ZX (ho9-typed-recruiter-cell)
    const event = typed('Recruiter call - Tanager Health (phone)', "Recruiter screen for the Care Coordinator job. Mia will ring me. Her cell if she doesn't: 602-555-0139.");
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });

  it('"I\'ll ring you" in a recruiter\'s email still says the recruiter dials', () => {
    expect(readEvent(sent('Phone screen - Fernwood', "Hi Ada, I'll ring you on 415-555-0100 at the time of the invite."))).toEqual({
      kind: 'phone',
      direction: 'interviewer-calls',
      number: OWN,
    });
  });
});

describe('the user screening a candidate is the hiring side', () => {
  // https://hirevuehelpcenter.zendesk.com/hc/en-us/articles/45490738664980-Manually-schedule-live-interviews (ho9-no-own-screen-teams)
  const dev: Person = { name: 'Dev Patel', email: 'dev.patel@mail.example' };
  const own = (title: string, description: string): CalendarEvent =>
    invitation(SELF, { title, description, attendees: [{ ...SELF, status: 'accepted' }, { ...dev, status: 'accepted' }] });

  it('"I\'m screening Dev" in a note the user typed', () => {
    expect(readEvent(own('Phone screen - Dev Patel', "I'm screening Dev. I call him at 408-555-0177.")).kind).toBe('not-interview');
  });

  it('a recruiter "screening candidates" for the role the user applied to is still their phone screen', () => {
    const description = "We're screening candidates for the Analyst opening this week. I will call you at 415-555-0100.";
    expect(readEvent(sent('Phone screen - Fernwood Analyst', description))).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });
});
