/**
 * Detection's reading of whole invitations: classes, evidence, bridges never dialled, the
 * sentence around each number, the user's mark against a tag, and words added in the config.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_FREE_MAIL_DOMAINS, DEFAULT_INTERVIEW_KEYWORDS } from '../../config/fields.js';
import { analyse, detect, type DetectSettings } from '../../src/domain/detect.js';
import { LANGUAGES, SIGNALS, buildLexicon, readable, scan } from '../../src/domain/detection/words.js';
import type { CalendarEvent, Detection, DetectResult } from '../../src/domain/types.js';

const OWN = '+14155550100';
const settings: DetectSettings = {
  candidate: { name: 'Ada Park', email: 'ada@example.org', phone: OWN, timezone: 'America/New_York' },
  detection: { keywords: DEFAULT_INTERVIEW_KEYWORDS, defaultDirection: 'unknown', freeMailDomains: DEFAULT_FREE_MAIL_DOMAINS },
};

function event(over: Partial<CalendarEvent>): CalendarEvent {
  return {
    id: 'e1',
    title: 'Phone screen - Acme',
    description: '',
    location: '',
    start: Date.UTC(2031, 2, 4, 15),
    end: Date.UTC(2031, 2, 4, 15, 30),
    timeZone: 'America/New_York',
    allDay: false,
    status: 'confirmed',
    organizer: { name: 'Ravi Shah', email: 'ravi@acme.example' },
    attendees: [{ name: 'Ada Park', email: 'ada@example.org', status: 'accepted' }],
    categories: [],
    tags: {},
    conferencePhones: [],
    ...over,
  };
}

function interview(result: DetectResult): Detection {
  if (result.kind !== 'interview') throw new Error(`expected an interview, got ${JSON.stringify(result)}`);
  return result.detection;
}

const MEET_BLOCK = [
  '-::~:~::~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~::~:~::-',
  'Join with Google Meet: https://meet.google.com/xpq-rstu-vwy',
  'Or dial: (US) +1 609-555-0133 PIN: 482 913 776#',
  'More phone numbers: https://tel.meet/xpq-rstu-vwy?pin=4829137760123',
  '-::~:~::~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~::~:~::-',
].join('\n');

describe('the word lists', () => {
  it('cover seventy-one languages, and every signal the classifier reads', () => {
    expect([...LANGUAGES].sort()).toEqual(['af', 'am', 'ar', 'az', 'be', 'bg', 'bn', 'ca', 'cs', 'cy', 'da', 'de', 'el', 'en', 'es', 'et', 'eu', 'fa', 'fi', 'fr', 'ga', 'gu', 'he', 'hi', 'hr', 'hu', 'hy', 'id', 'is', 'it', 'ja', 'ka', 'kk', 'km', 'kn', 'ko', 'ky', 'lt', 'lv', 'ml', 'mn', 'mr', 'ms', 'nb', 'ne', 'nl', 'pa', 'pl', 'ps', 'pt', 'ro', 'ru', 'si', 'sk', 'sl', 'sq', 'sr', 'sv', 'sw', 'ta', 'te', 'th', 'tk', 'tl', 'tr', 'uk', 'ur', 'uz', 'vi', 'xh', 'zh']);
    expect(SIGNALS).toEqual(expect.arrayContaining(['bridge', 'dialIn']));
  });

  it.each([
    { text: '【ファブリカム】電話面接のご案内', phrases: ['電話面接'], signals: ['phone', 'interview'] },
    { text: '当日は採用担当よりお電話いたします。', phrases: ['採用担当', 'お電話いたします'], signals: ['interview', 'interviewerCalls'] },
    { text: 'Zoomミーティングに参加する', phrases: ['zoomミーティングに参加する'], signals: ['blockOpen', 'video'] },
    { text: 'ミーティングID: 977 1234 5601', phrases: ['ミーティングid'], signals: ['bridge'] },
    { text: '面接練習', phrases: ['面接練習'], signals: ['notInterview'] },
  ])('read Japanese, which has no spaces, one kana or kanji a word: $text', ({ text, phrases, signals }) => {
    const hits = scan(readable(text), buildLexicon().byFirst);
    expect(hits.map((h) => h.phrase)).toEqual(phrases);
    expect(hits.flatMap((h) => h.signals)).toEqual(expect.arrayContaining(signals));
  });

  it('match whole words, the longest phrase first, carrying what the phrases inside say', () => {
    const lexicon = buildLexicon();
    const hits = scan(readable('Telephone Interview, then microphones, interviewx'), lexicon.byFirst);
    expect(hits.map((h) => h.phrase)).toEqual(['telephone interview']);
    expect(hits[0]?.signals).toEqual(expect.arrayContaining(['phone', 'interview']));
  });
});

describe('classes', () => {
  it.each([
    { why: 'a Meet block under an "Intro call" title', over: { title: 'Intro call - Priya / Northwind', description: `About the analyst role.\n\n${MEET_BLOCK}` }, kind: 'video' },
    { why: 'the calendar’s own Teams meeting', over: { title: 'Interview - Acme', conference: ['https://teams.microsoft.com/l/meetup-join/x'] }, kind: 'video' },
    { why: 'a phone screen despite Meet added by default', over: { description: `Ravi will call you.\n\n${MEET_BLOCK}` }, kind: 'phone' },
    { why: 'an address as the location', over: { title: 'Onsite interview - Acme', location: '1 Main St, Springfield' }, kind: 'in-person' },
    { why: 'own preparation', over: { title: 'Phone interview prep' }, kind: 'not-interview' },
    { why: 'a webinar about phone screens', over: { title: 'Webinar: how to ace your phone screen' }, kind: 'not-interview' },
    { why: 'the hiring side', over: { title: 'Phone Interview: Jo Lee for Engineer', description: 'Scorecard: https://x\nPlease call the candidate at 212-555-0190.' }, kind: 'not-interview' },
    { why: 'a private call', over: { title: 'Phone call with landlord', organizer: { name: 'Ada', email: 'ada@example.org' }, attendees: [{ name: 'Bo', email: 'bo@gmail.com', status: 'accepted' as const }] }, kind: 'not-interview' },
    { why: 'a later round', over: { title: 'Phone screen (follow-up) - Acme', description: 'Second round with the hiring manager.' }, kind: 'phone' },
    { why: 'German', over: { title: 'Telefoninterview mit Contoso', description: 'Wir rufen Sie an.' }, kind: 'phone' },
    { why: 'French', over: { title: 'Entretien téléphonique', description: 'Suite à votre candidature, je vous appellerai.' }, kind: 'phone' },
    { why: 'Spanish', over: { title: 'Entrevista telefónica', description: 'Te llamaremos.' }, kind: 'phone' },
    { why: 'Portuguese', over: { title: 'Entrevista por telefone', description: 'Vamos ligar para você.' }, kind: 'phone' },
    { why: 'Italian', over: { title: 'Colloquio telefonico', description: 'Ti chiameremo.' }, kind: 'phone' },
    { why: 'Dutch', over: { title: 'Telefonisch sollicitatiegesprek', description: 'We bellen je.' }, kind: 'phone' },
    { why: 'Polish', over: { title: 'Rozmowa kwalifikacyjna (telefoniczna) - Fabrikam', description: 'Zadzwonimy do Pani w ustalonym terminie.' }, kind: 'phone' },
    { why: 'Japanese', over: { title: '電話面接のご案内', description: '当日は採用担当よりお電話いたします。' }, kind: 'phone' },
    { why: 'a Japanese Zoom invitation', over: { title: '一次面接（オンライン）', description: 'Zoomミーティングに参加する\nhttps://zoom.us/j/977\nミーティングID: 977 1234 5601\n+81355550142,,97712345601# 日本' }, kind: 'video' },
    { why: 'a Japanese press interview', over: { title: '取材のお願い', description: 'インタビューのため、お電話いたします。' }, kind: 'not-interview' },
    { why: 'a German Skype invitation', over: { title: 'Zweitgespräch - Contoso', description: 'Skype-Besprechung teilnehmen <https://meet.contoso.example/x>\n\nPer Telefon teilnehmen\n+49 30 23125 600\nKonferenzkennung: 48201937' }, kind: 'video' },
    { why: 'a BlueJeans invitation', over: { title: 'Technical interview - Acme', description: 'To join the Meeting:\nhttps://bluejeans.com/512884901\n\nTo join via phone :\n1)  Dial:\n\t+1.408.555.0163 (United States(San Jose))\n2)  Enter Meeting ID: 512884901, followed by #' }, kind: 'video' },
    { why: 'a bridge line’s "telephone" and "dial"', over: { title: 'Interview - Acme', description: 'To join by telephone, dial +1 408 555 0163 and enter PIN 512 884#\nVideo: https://video.acme.example/r/42' }, kind: 'video' },
    { why: 'Québec French', over: { title: 'Entrevue téléphonique - Fabrikam', description: 'Je vous téléphonerai au +1 415 555 0100.' }, kind: 'phone' },
    { why: 'a Dutch mortgage adviser’s first talk', over: { title: 'Eerste gesprek hypotheekadviseur', description: 'Uw adviseur belt u.' }, kind: 'not-interview' },
    { why: 'a college alumni interview', over: { title: 'Alumni interview - Brown University', description: "I'll call you at 415-555-0100 for your alumni interview." }, kind: 'not-interview' },
    { why: 'a scholarship interview', over: { title: 'Scholarship interview - Rotary', description: 'The committee will call you about your scholarship application.' }, kind: 'not-interview' },
    { why: 'the hiring side’s pipeline sync', over: { title: 'Hiring manager sync - Backend Engineer', description: 'Candidates in phone screen and onsite. Dial-in: 312-555-0170, PIN 8812#' }, kind: 'not-interview' },
    { why: 'an exit interview', over: { title: 'Exit interview - Ada Park', description: "I'll call you on 415-555-0100." }, kind: 'not-interview' },
    { why: 'a radio interview', over: { title: 'Live phone interview - Morning Show', description: "Our producer will call you; you'll be on air at 7:45." }, kind: 'not-interview' },
  ])('$why → $kind', ({ over, kind }) => {
    expect(analyse(event(over), settings).kind).toBe(kind);
  });

  it('gives every decision its evidence: field, words and weight', () => {
    const analysis = analyse(event({ location: 'Phone', description: 'Ravi will call you.' }), settings);
    expect(analysis.evidence).toEqual(
      expect.arrayContaining([
        { field: 'title', text: 'phone screen', signal: 'phone', weight: 4 },
        { field: 'location', text: 'phone', signal: 'phone', weight: 5 },
        expect.objectContaining({ field: 'description', text: 'will call you', signal: 'interviewerCalls' }),
      ]),
    );
    expect(analysis.confidence).toBeGreaterThan(0.9);
  });

  it('marks a bare "Interview" with no hint of how it is held as needing review', () => {
    const detection = interview(detect(event({ title: 'Interview with Acme' }), settings));
    expect(detection.review).toBe(true);
    expect(detection.confidence).toBeLessThan(0.65);
  });

  it('says why a video interview is skipped', () => {
    expect(detect(event({ title: 'Interview - Acme', description: MEET_BLOCK }), settings)).toMatchObject({ kind: 'skip', reason: 'video' });
  });
});

describe('bridges and the sentence around each number', () => {
  it('never dials a Meet, Zoom or Teams bridge, even for a phone interview', () => {
    const zoom = 'Join Zoom Meeting\nhttps://us02web.zoom.us/j/812\nMeeting ID: 812 3456 7890\nDial by your location\n+1 646 555 0134 US (New York)';
    for (const block of [MEET_BLOCK, zoom, 'Or call in (audio only)\n+1 323-555-0136,,577201934#\nPhone Conference ID: 577 201 934#']) {
      const detection = interview(detect(event({ title: 'Phone interview - Acme', description: `Please dial in at the time.\n${block}` }), settings));
      expect(['+16095550133', '+16465550134', '+13235550136']).not.toContain(detection.number);
    }
  });

  it('reads "will call your cell at …" as the interviewer dialling the candidate', () => {
    const detection = interview(detect(event({ description: 'Ravi will call your cell at (415) 555-0100.' }), settings));
    expect(detection).toMatchObject({ direction: 'interviewer-calls', number: OWN });
  });

  it('takes the number in a "they will call you on …" sentence as the one they dial', () => {
    const detection = interview(detect(event({ title: 'Telefoninterview', description: 'Jonas ruft Sie unter +49 151 23456789 an.' }), settings));
    expect(detection).toMatchObject({ direction: 'interviewer-calls', number: '+4915123456789' });
  });

  it('takes "call me at …" as the number to dial, not the one in a fallback sentence', () => {
    const detection = interview(detect(event({ description: 'In case we get cut off: 646-555-0111.\nCall me at 212-555-0148.' }), settings));
    expect(detection).toMatchObject({ direction: 'candidate-calls', number: '+12125550148' });
  });
});

describe('the user’s mark and tags', () => {
  const video = event({ title: 'Interview - Acme', description: MEET_BLOCK });

  it('makes a video call a phone interview, with the direction and number given', () => {
    const detection = interview(detect(video, settings, { kind: 'phone', direction: 'candidate-calls', number: '+12125550177', at: 1 }));
    expect(detection).toMatchObject({ direction: 'candidate-calls', number: '+12125550177', review: false, confidence: 1, decidedBy: 'you' });
  });

  it('drops a phone interview marked not-interview, but a tag in the event still wins', () => {
    const phone = event({ description: 'Ravi will call you.' });
    expect(detect(phone, settings, { kind: 'not-interview', at: 1 })).toMatchObject({ kind: 'skip', reason: 'marked' });
    const tagged = { ...phone, description: 'Ravi will call you. #interview' };
    expect(interview(detect(tagged, settings, { kind: 'not-interview', at: 1 })).decidedBy).toBe('tag');
  });
});

describe('words added in the config', () => {
  it('extend the built-in lists', () => {
    const custom: DetectSettings = { ...settings, detection: { ...settings.detection, words: { notInterview: ['sparring'], phone: ['ring-ring'] } } };
    const sparring = event({ title: 'Phone screen sparring with Jo', description: 'Jo will call you.' });
    expect(analyse(sparring, settings).kind).toBe('phone');
    expect(analyse(sparring, custom).kind).toBe('not-interview');
    expect(analyse(event({ title: 'Interview Acme: ring-ring' }), custom).evidence).toEqual(
      expect.arrayContaining([expect.objectContaining({ text: 'ring ring', signal: 'phone' })]),
    );
  });
});
