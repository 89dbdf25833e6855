/**
 * A phone interview held on a conference bridge: the invitation asks the candidate to call in to the
 * meeting's own number (Teams "call in (audio only)", Zoom "join by phone") and enter its ID. The
 * candidate dials, but no number is theirs to dial as a person's: a bridge needs its ID or passcode
 * (DESIGN.md, Detection). So the interview is `candidate-calls` with no number and `dialIn: true`.
 * An interviewer who writes that they will call the candidate despite the block keeps
 * `interviewer-calls`; a block with no sentence about it changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { analyse, revisionKey } from '../../src/domain/detect.js';
import type { CalendarEvent, Detection, Person } from '../../src/domain/types.js';
import { detectSettings, invitation, OWN, SELF } from '../support/detection.js';

const ARJUN: Person = { name: 'Arjun Mehta', email: 'arjun.mehta@greystone.example' };

// The block Teams appends (https://github.com/thiagobeier/thebeier.github.io, as in holdout.yaml).
const TEAMS = [
  '________________________________________________________________________________',
  'Microsoft Teams meeting',
  'Join on your computer, mobile app or room device',
  'Click here to join the meeting<https://teams.microsoft.com/l/meetup-join/19%3ameeting_Zm9vYmFy%40thread.v2/0>',
  'Meeting ID: 245 118 903 217',
  'Passcode: q7Rx2B',
  'Download Teams | Join on the web',
  'Or call in (audio only)',
  '+1 872-555-0148,,618203945#   United States, Chicago',
  'Phone Conference ID: 618 203 945#',
  '________________________________________________________________________________',
].join('\n');

// The block Zoom appends (https://github.com/jskinnercbs/slacktest, as in holdout.yaml).
const ZOOM = [
  'Morgan Lee is inviting you to a scheduled Zoom meeting.',
  '',
  'Join Zoom Meeting',
  'https://zoom.us/j/93312345678?pwd=bGV0bWVpbnBsZWFzZQ',
  '',
  'Meeting ID: 933 1234 5678',
  'Passcode: 204817',
  '',
  'Join by phone number',
  '• +1 312 555 0191 US (Chicago)',
  'Meeting ID: 933 1234 5678',
  'Passcode: 204817',
].join('\n');

function sent(title: string, description: string, over: Partial<CalendarEvent> = {}): CalendarEvent {
  return invitation(ARJUN, { title, description, attendees: [{ ...ARJUN, status: 'accepted' }, { ...SELF, status: 'accepted' }], ...over });
}

function read(event: CalendarEvent): { kind: string; direction: string | null; number: string | null; dialIn: boolean | null } {
  const analysis = analyse(event, detectSettings);
  const d = analysis.result.kind === 'interview' ? analysis.result.detection : null;
  return { kind: analysis.kind, direction: d?.direction ?? null, number: d?.number ?? null, dialIn: d === null ? null : d.dialIn === true };
}

const DIAL_IN = { kind: 'phone', direction: 'candidate-calls', number: null, dialIn: true };

describe('the candidate dials in to the meeting bridge', () => {
  it.each([
    // https://jeffbrown.tech/understanding-microsoft-teams-audio-conferencing-dial-out-capabilities/ (ho9-teams-audio-only)
    ['Teams, audio only', 'Hi Ada, our phone interview will be audio only. Please call in with the Teams number below and enter the conference ID; no camera needed.', TEAMS],
    // https://albany.atlassian.net/wiki/spaces/askit/pages/52351511 (ho9-zoom-phone-only)
    ['Zoom audio, join by phone', 'Dear Ada, the search committee will hold your telephone interview on Zoom audio. Please join by phone using one of the numbers below with the meeting ID and passcode.', ZOOM],
    // https://support.publicinput.com/en/articles/4367223-conference-call-admin-menu ("Call in using the phone number … and enter the project code")
    ['dial in using the number below', 'Hi Ada, for the phone screen please dial in using the number below and enter the meeting ID when prompted.', ZOOM],
  ])('%s', (_, sentence, block) => {
    expect(read(sent('Phone interview - Ada Park / Greystone', `${sentence}\n\n${block}`))).toEqual(DIAL_IN);
  });

  it('the bridge may come only as the calendar\'s conference numbers (Google entry points)', () => {
    const event = sent('Phone screen - Greystone', 'Please dial in using the number in this invitation and enter the PIN. Audio only, no video.', {
      conferencePhones: ['+1 872-555-0148 PIN: 618203945#'],
    });
    expect(read(event)).toEqual(DIAL_IN);
  });
});

describe('what stays as it was', () => {
  it('the interviewer calls the cell despite a Teams block (ho9-teams-cell)', () => {
    // https://learn.microsoft.com/en-us/microsoftteams/audio-conferencing-toll-free-numbers-policy
    const description = `Hi Ada, the Teams details below were added automatically; please ignore them. I will call you on your cell at 415-555-0100.\n\n${TEAMS}`;
    expect(read(sent('Phone Screen - Ada Park (Solutions Engineer)', description))).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN, dialIn: false });
  });

  it('a block nobody writes about: they call the number in the config, as before', () => {
    expect(read(sent('Phone interview - Greystone', `Looking forward to our chat.\n\n${TEAMS}`))).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN, dialIn: false });
  });

  it('a person\'s number to call wins over the bridge: it is dialled, no dial-in', () => {
    const description = `Please call me at (646) 555-0187 at the scheduled time.\n\n${TEAMS}`;
    expect(read(sent('Phone interview - Greystone', description))).toEqual({ kind: 'phone', direction: 'candidate-calls', number: '+16465550187', dialIn: false });
  });

  it('"please call in" with no bridge anywhere is no dial-in', () => {
    expect(read(sent('Phone interview - Greystone', 'Please call in at the time of the interview.'))).toEqual({ kind: 'phone', direction: 'candidate-calls', number: null, dialIn: false });
  });

  it('a dial-in sentence in a fallback does not decide ("if the call drops, dial in …")', () => {
    const description = `I will call you at 415-555-0100. In case the call drops, dial in using the number below and enter the conference ID.\n\n${TEAMS}`;
    expect(read(sent('Phone interview - Greystone', description))).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN, dialIn: false });
  });
});

describe('the revision follows the dial-in', () => {
  function detectionOf(event: CalendarEvent): Detection {
    const result = analyse(event, detectSettings).result;
    if (result.kind !== 'interview') throw new Error(`not an interview: ${result.reason}`);
    return result.detection;
  }

  it('the same direction and number, read as a dial-in, is a new revision (its emails are rewritten)', () => {
    const asked = sent('Phone interview - Greystone', `Please call in with the Teams number below and enter the conference ID.\n\n${TEAMS}`);
    const detection = detectionOf(asked);
    const { dialIn, ...without } = detection;
    expect(dialIn).toBe(true);
    expect(revisionKey(asked, detection)).not.toBe(revisionKey(asked, without));
  });

  it('an interview without a dial-in keeps the key it had (no revision rises on upgrade)', () => {
    const event = sent('Phone interview - Greystone', 'I will call you at 415-555-0100.');
    expect(JSON.parse(revisionKey(event, detectionOf(event)))).not.toHaveProperty('dialIn');
  });
});
