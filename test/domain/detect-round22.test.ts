/**
 * What the twenty-second held-out round taught: the lines a video tool writes are its own, also
 * where its block starts with a line detection did not know (Webex's "When it's time, join the Webex
 * meeting here.", RingCentral's "One tap to join audio only from a smartphone:"), so its links and
 * product names are not read as a person's words for video; and "press #" on a keypad is no press
 * interview. Each case is written after the round's sources, in other words than its entries.
 */
import { describe, expect, it } from 'vitest';
import { analyse } from '../../src/domain/detect.js';
import type { Person } from '../../src/domain/types.js';
import { detectSettings, readEvent, sender } from '../support/detection.js';

const RECRUITER: Person = { name: 'Noor Haddad', email: 'noor.haddad@quillmark.example' };
const sent = sender(RECRUITER);

// Webex's invitation as its own help and a W3C group's copy of it write it:
// https://help.webex.com/en-us/n9fvlr0/Add-a-Participant-to-an-Ongoing-Call-or-Meeting-From-Your-Room-or-Desk-Device,
// https://github.com/w3c/publ-wg/blob/main/Meetings/webex.md
const WEBEX = [
  "When it's time, join the Webex meeting here.",
  'Meeting number (access code): 2590 331 4478',
  'Meeting password: Vt6kPq2',
  'Join meeting',
  'https://quillmark.webex.com/quillmark/j.php?MTID=m41c7be9a0d2f',
  '',
  'Join by phone',
  '+1-312-555-0176 United States Toll',
  'Global call-in numbers',
].join('\n');

// RingCentral Video's invitation template (rcvInviteMeetingContent, rcvInviteMeetingContentDial and
// rcvTeleconference of its en-US strings; public exact-string index file 35982849277):
// "One tap to join audio only from a smartphone:", "Or dial:", "Access Code / Meeting ID:",
// "International numbers available: …"; https://developers.ringcentral.com/guide/video/api/dialing-in
const RINGCENTRAL = [
  'Noor Haddad has invited you to a RingCentral Video meeting.',
  '',
  'Please join using this link:',
  '    https://v.ringcentral.com/join/771204556',
  '',
  'One tap to join audio only from a smartphone:',
  '    +17205550131,,771204556# United States (Denver)',
  '',
  'Or dial:',
  '    +17205550131 United States (Denver)',
  '    Access Code / Meeting ID: 771 204 556',
  '',
  'International numbers available: https://v.ringcentral.com/teleconference',
].join('\n');

const dialIn = (title: string, ask: string, block: string) => analyse(sent(title, `${ask}\n\n${block}`), detectSettings);

describe("a video tool's own lines are its block, also where it starts with a line not known before", () => {
  it("Webex's \"When it's time, join the Webex meeting here.\": a phone interview dialled in on it needs no review", () => {
    const analysis = dialIn('Telephone interview – Records Clerk', 'Hello Ada, the panel will hold this interview by phone. Please dial in with the Webex number below and enter the access code.', WEBEX);
    expect(analysis.kind).toBe('phone');
    expect(analysis.review).toBe(false);
    expect(analysis.evidence.filter((e) => e.signal === 'video').map((e) => e.text)).toEqual([expect.stringContaining("a meeting provider's joining block")]);
  });

  it('RingCentral\'s "One tap to join audio only from a smartphone:": a phone interview dialled in on it needs no review', () => {
    const analysis = dialIn('Phone interview – Account Executive', 'Hi Ada, this round is audio only; please dial in with the RingCentral number and access code below.', RINGCENTRAL);
    expect(analysis.kind).toBe('phone');
    expect(analysis.review).toBe(false);
  });

  it('(guard) a video interview on Webex stays a video interview', () => {
    expect(readEvent(sent('Video interview – Records Clerk', `Please join from a computer with your camera on.\n\n${WEBEX}`)).kind).toBe('video');
  });

  it('(guard) a video interview on RingCentral stays a video interview', () => {
    expect(readEvent(sent('Interview – Account Executive', `Looking forward to seeing you on video.\n\n${RINGCENTRAL}`)).kind).toBe('video');
  });

  it('(guard) a number a person gives above the block is still theirs to call', () => {
    expect(readEvent(sent('Phone interview – Records Clerk', `Please call me at (312) 555-0119 at the time above.\n\n${WEBEX}`))).toEqual({ kind: 'phone', direction: 'candidate-calls', number: '+13125550119' });
  });
});

describe('"press #" is a key on a phone, not the press', () => {
  // "Dial the number provided in the mail and then use the access code and Attendee ID to connect when
  // prompted" (https://github.com/ipbes/ict-guide, video-teleconferencing/webex.md); a bridge's prompts
  // ask to "press #" or "press 1".
  it.each([
    { name: '"press #"', text: 'Please dial 1-877-555-0148, enter participant code 4471920 and press # when prompted.' },
    { name: '"press the pound key"', text: 'Please dial 1-877-555-0148, enter participant code 4471920, then press the pound key.' },
    { name: '"press 1"', text: 'Please dial 1-877-555-0148 and press 1 to join the interview line, then enter code 4471920.' },
  ])('$name counts nothing against the interview', ({ text }) => {
    const analysis = analyse(sent('Phone screen – Records Clerk', text), detectSettings);
    expect(analysis.evidence.filter((e) => e.text === 'press')).toEqual([]);
  });

  it('(guard) "press" as the press still counts against it', () => {
    expect(analyse(sent('Interview – Tribune', 'A press interview about the new plant for Sunday\'s paper.'), detectSettings).evidence.some((e) => e.text === 'press' && e.signal === 'notInterview')).toBe(true);
  });
});
