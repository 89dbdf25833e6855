/**
 * "Local time" without a place, and the reader's own clock on an offset that is not the candidate's
 * (src/domain/stated-time.ts): whose clock is meant cannot be told, so the call waits for review
 * and `explain` says why. Each wording comes from public text, cited beside it; the candidate is in
 * New York unless said otherwise. Pure: every instant is a literal.
 */
import { describe, expect, it } from 'vitest';
import { analyse } from '../../src/domain/detect.js';
import { statedTimeOf, type StatedTime } from '../../src/domain/stated-time.js';
import { readStated } from '../support/stated-wording.js';

const MIN = 60_000;
const textOf = (r: StatedTime): string => (r.kind === 'none' || r.evidence === null ? r.kind : r.evidence.text);

describe('"local time" with no place beside it', () => {
  // stored file #56830896024 ("… um 18:00 Uhr Ortszeit startet"), read by a candidate in New York.
  const ortszeit = 'Die Session startet um 18:00 Uhr Ortszeit.';
  it('on neither the candidate\'s clock nor the event\'s zone: review, saying whose is not known', () => {
    const r = readStated({ name: '', source: '', text: ortszeit, start: '2026-03-29T16:00:00Z' });
    expect(r.kind).toBe('unclear');
    expect(textOf(r)).toBe('the invitation gives the call\'s time as "18:00 Uhr Ortszeit." without saying whose local time that is; the calendar entry is at 12:00 noon Eastern, another time on your clock: check which before the confirmation is sent');
  });
  it('on the zone the organizer\'s calendar wrote the event in: theirs, nothing to review', () => {
    const start = Date.parse('2026-03-29T16:00:00Z');
    const r = statedTimeOf({ title: 'Phone screen', location: '', description: ortszeit, start, end: start + 30 * MIN, candidateZone: 'America/New_York', timeZone: 'Europe/Berlin' });
    expect(r).toEqual({ kind: 'agrees', zone: null, offset: null, evidence: null });
  });
  it('UTC, the zone of exported feeds, is nobody\'s local time', () => {
    const start = Date.parse('2026-03-29T18:00:00Z');
    const r = statedTimeOf({ title: 'Phone screen', location: '', description: ortszeit, start, end: start + 30 * MIN, candidateZone: 'America/New_York', timeZone: 'UTC' });
    expect(r.kind).toBe('unclear');
  });
  it('a "Local Time" named by its offset is that offset, given for the call alone (stored file #24024049226)', () => {
    const r = readStated({ name: '', source: '', text: 'at 6:00 Local Time (GMT+02:00)', start: '2026-06-02T04:00:00Z' });
    expect(r.kind === 'agrees' ? [r.zone, r.offset] : r.kind).toEqual([null, 120]);
  });
  it('a stated time that is not the event\'s says so first, as any other (a variant of stored file #9928393591, "at 10 a.m. local time", beside an ET time)', () => {
    const r = readStated({ name: '', source: '', text: 'Phone screen at 10:00 AM ET, 16:00 local time.', start: '2026-06-02T15:00:00Z' });
    expect(r.kind).toBe('differs');
  });
});

describe('the reader\'s own clock stated on an offset that is not the candidate\'s', () => {
  // stored file #67574259523 ('"1:30 PM your time (GMT+3)"'): a candidate configured in London (GMT+1 in June).
  const line = 'Your phone screen: Tuesday 1:30 PM your time (GMT+3).';
  it('on that offset at the event: candidate.timezone may be out of date, review and say so', () => {
    const r = readStated({ name: '', source: '', text: line, start: '2026-06-02T10:30:00Z', candidateZone: 'Europe/London' });
    expect(r.kind).toBe('unclear');
    expect(textOf(r)).toBe('the invitation gives your own time as "1:30 PM your time (GMT+3).", 1:30 PM GMT+3, and your candidate.timezone (Europe/London) reads 11:30 UK time then: if you are there now, change candidate.timezone in ringback.yaml; check before the confirmation is sent');
  });
  it('on the candidate\'s own offset: their clock, nothing to say', () => {
    const r = readStated({ name: '', source: '', text: line, start: '2026-06-02T10:30:00Z', candidateZone: 'Europe/Moscow' });
    expect(r).toEqual({ kind: 'agrees', zone: null, offset: null, evidence: null });
  });
  it('on neither: a time that is not the event\'s, on the candidate\'s clock', () => {
    const r = readStated({ name: '', source: '', text: line, start: '2026-06-02T14:00:00Z', candidateZone: 'Europe/London' });
    expect(r.kind).toBe('differs');
  });
  it('a standard offset written in summer for the candidate\'s own zone is their clock still (Outlook writes "(UTC-05:00)" all year)', () => {
    const r = readStated({ name: '', source: '', text: 'Your phone screen: Tuesday 10:00 AM your time (GMT-5).', start: '2026-06-02T14:00:00Z' });
    expect(r).toEqual({ kind: 'agrees', zone: null, offset: null, evidence: null });
  });
  it('the offset is never taken as the interviewer\'s clock', () => {
    const r = readStated({ name: '', source: '', text: line, start: '2026-06-02T10:30:00Z', candidateZone: 'Europe/Moscow' });
    expect(r.kind === 'agrees' ? r.offset : r.kind).toBeNull();
  });
});

describe('detection holds such a call for review', () => {
  const settings = {
    candidate: { name: 'Ada Park', email: 'ada@example.org', phone: '+14155550100', timezone: 'America/New_York' },
    detection: { keywords: [], defaultDirection: 'interviewer-calls' as const, freeMailDomains: [] },
  };
  const event = (start: string, description: string, timeZone: string) => {
    const t = Date.parse(start);
    return {
      id: 'e1', title: 'Phone Screen - Ada Park', description, location: 'Phone', start: t, end: t + 30 * MIN, timeZone,
      allDay: false, status: 'confirmed' as const, organizer: { name: 'Dana Lee', email: 'dana@acme.example' },
      attendees: [{ name: 'Ada Park', email: 'ada@example.org', status: 'accepted' as const }, { name: 'Dana Lee', email: 'dana@acme.example', status: 'accepted' as const }],
      categories: [], tags: {}, conferencePhones: [],
    };
  };
  // stored file #70073920056 ("Vendredi 25 septembre 2026, 10 h (heure locale).") in an invitation's sentence: a variant.
  const line = 'Entretien téléphonique vendredi 25 septembre 2026, 10 h (heure locale). Dana vous appellera.';
  it('an ATS entry in UTC: review, with the explain line first', () => {
    const a = analyse(event('2026-09-25T08:00:00Z', line, 'UTC'), settings);
    expect(a.review).toBe(true);
    if (a.result.kind !== 'interview') throw new Error('not an interview');
    expect(a.result.detection.evidence?.[0]?.text).toContain('without saying whose local time that is');
    expect(a.result.detection.statedZone).toBeUndefined();
  });
  it('the organizer\'s calendar in Paris: their local time, no review', () => {
    const a = analyse(event('2026-09-25T08:00:00Z', line, 'Europe/Paris'), settings);
    expect(a.review).toBe(false);
  });
  it('a user\'s mark settles it', () => {
    const a = analyse(event('2026-09-25T08:00:00Z', line, 'UTC'), settings, { kind: 'phone', at: 0 });
    expect(a.review).toBe(false);
  });
});
