import { describe, expect, it } from 'vitest';
import { validateConfigText, type ConfigValidation } from '../../config/load.js';
import type { ResolvedConfig } from '../../config/types.js';
import { CANDIDATE } from './helpers.js';

const HOME = '/home/ada';

function validate(text: string): ConfigValidation {
  return validateConfigText(text, 'ringback.yaml', '/srv/rb', {}, { platform: 'linux', homedir: HOME });
}
function problems(extra: string): readonly string[] {
  return validate(CANDIDATE + extra).problems;
}
function ok(extra: string): ResolvedConfig {
  const result = validate(CANDIDATE + extra);
  expect(result.problems).toEqual([]);
  if (result.config === null) throw new Error('no config');
  return result.config;
}
const withCandidate = (fields: string) => validate(`candidate: { ${fields} }\n`).problems;

describe('number bounds', () => {
  const table: ReadonlyArray<readonly [section: string, key: string, min: number, max: number]> = [
    ['timing', 'confirmLeadMinutes', 15, 240],
    ['timing', 'minLeadMinutes', 1, 60],
    ['timing', 'draftHorizonHours', 1, 168],
    ['timing', 'waitMinutes', 5, 120],
    ['timing', 'giveUpMinutes', 10, 240],
    ['timing', 'thankYouDelayMinutes', 0, 1440],
    ['timing', 'bufferMinutes', 0, 240],
    ['policy', 'askToCallAfter', 1, 10],
    ['policy', 'moveOnAfter', 1, 10],
    ['sync', 'pollSeconds', 15, 86400],
    ['sync', 'horizonDays', 1, 366],
    ['dashboard', 'port', 1, 65535],
  ];
  // The cross-field rules need room: confirmLead above minLead, giveUp above wait.
  const others: Record<string, string> = {
    minLeadMinutes: ', confirmLeadMinutes: 240',
    confirmLeadMinutes: ', minLeadMinutes: 1',
    waitMinutes: ', giveUpMinutes: 240',
    giveUpMinutes: ', waitMinutes: 5',
  };
  it.each(table)('%s.%s stays within %i–%i', (section, key, min, max) => {
    const line = (v: number | string) => `${section}: { ${key}: ${v}${others[key] ?? ''} }\n`;
    const read = (c: ResolvedConfig): unknown => (c as unknown as Record<string, Record<string, unknown>>)[section]?.[key];
    expect(read(ok(line(min)))).toBe(min);
    expect(read(ok(line(max)))).toBe(max);
    expect(problems(line(min - 1))).toEqual([`ringback.yaml: ${section}.${key}: must be between ${min} and ${max} (got ${min - 1})`]);
    expect(problems(line(max + 1))).toEqual([`ringback.yaml: ${section}.${key}: must be between ${min} and ${max} (got ${max + 1})`]);
    expect(problems(line(min + 0.5))).toEqual([`ringback.yaml: ${section}.${key}: must be a whole number between ${min} and ${max} (got ${min + 0.5})`]);
    expect(problems(line('soon'))).toEqual([`ringback.yaml: ${section}.${key}: must be a number between ${min} and ${max} (got "soon")`]);
  });

  it('keeps minLead below confirmLead and giveUp above wait', () => {
    expect(problems('timing: { confirmLeadMinutes: 30, minLeadMinutes: 30 }\n')).toEqual([
      'ringback.yaml: timing.minLeadMinutes: must be less than confirmLeadMinutes (30) (got 30)',
    ]);
    expect(problems('timing: { waitMinutes: 40 }\n')).toEqual([
      'ringback.yaml: timing.giveUpMinutes: must be more than waitMinutes (40) (got 30)',
    ]);
  });
});

describe('unknown fields', () => {
  it('suggests the closest known key at the top level and nested', () => {
    expect(problems('calendar: []\n')).toEqual(['ringback.yaml: calendar: unknown field (did you mean "calendars"?)']);
    expect(problems('timing: { confirmLeadMinuts: 60 }\n')).toEqual([
      'ringback.yaml: timing.confirmLeadMinuts: unknown field (did you mean "confirmLeadMinutes"?)',
    ]);
    expect(problems('mailbox: { type: maildir, path: ./m, smtp: { host: h, prot: 25 } }\n')).toEqual([
      'ringback.yaml: mailbox.smtp.prot: unknown field (did you mean "port"?)',
    ]);
    expect(problems('colour: blue\n')).toEqual(['ringback.yaml: colour: unknown field']);
  });

  it('names each of several unknown keys', () => {
    expect(problems('timing: { confirmLeadMinuts: 60, bufer: 10 }\n')).toEqual([
      'ringback.yaml: timing.confirmLeadMinuts: unknown field (did you mean "confirmLeadMinutes"?)',
      'ringback.yaml: timing.bufer: unknown field',
    ]);
  });

  it('sends secrets to "ringback connect" and never echoes them', () => {
    const cases = [
      'mailbox: { type: imap, host: h, username: u, smtp: { host: s }, password: hunter2hunter2 }\n',
      'calendars: [{ type: caldav, url: "https://dav.example.org", username: u, token: hunter2hunter2 }]\n',
      'secret: hunter2hunter2\n',
      'mailbox: { type: maildir, path: ./m, smtp: { host: h, apiKey: hunter2hunter2 } }\n',
    ];
    for (const extra of cases) {
      const found = problems(extra);
      expect(found).toHaveLength(1);
      expect(found[0]).toMatch(/secrets do not belong in this file: run "ringback connect" instead, which stores them encrypted$/);
      expect(found[0]).not.toContain('hunter2');
    }
  });

  it('rejects a user and password inside a calendar address without echoing them', () => {
    const found = problems('calendars: [{ type: ics, url: "https://ada:hunter2@cal.example.org/a.ics" }]\n');
    expect(found).toEqual(['ringback.yaml: calendars[0].url: must not hold a user or password: run "ringback connect", which stores them encrypted']);
  });
});

describe('candidate', () => {
  it('stores the phone as E.164 and refuses invalid numbers', () => {
    expect(ok('').candidate.phone).toBe('+14155550100');
    expect(withCandidate('name: Ada, email: a@example.org, phone: "+1 123", timezone: UTC')).toEqual([
      'ringback.yaml: candidate.phone: must be a valid phone number in international form, like "+1 415 555 0100" (got "+1 123")',
    ]);
    expect(withCandidate('name: Ada, email: a@example.org, phone: "415 555 0100", timezone: UTC')[0]).toMatch(/candidate\.phone: must be a valid phone number/);
    expect(withCandidate('name: Ada, email: a@example.org, phone: +14155550100, timezone: UTC')).toEqual([
      'ringback.yaml: candidate.phone: must be a phone number in quotes, like "+1 415 555 0100" (got 14155550100)',
    ]);
  });

  it('refuses an unknown zone and suggests the right one', () => {
    expect(withCandidate('name: Ada, email: a@example.org, phone: "+1 415 555 0100", timezone: America/NewYork')).toEqual([
      'ringback.yaml: candidate.timezone: "America/NewYork" is not an IANA time zone (did you mean "America/New_York"?)',
    ]);
    expect(withCandidate('name: Ada, email: a@example.org, phone: "+1 415 555 0100", timezone: Europe/Berln')[0]).toContain('(did you mean "Europe/Berlin"?)');
  });

  it('takes a zone in any case and keeps it as tzdata writes it', () => {
    // The runtime takes "america/new_york", but every table read by a zone's name (the 24-hour
    // clock, the words for a zone, the weekend) knows it as tzdata writes it (src/domain/format.ts).
    const zoneOf = (zone: string) => {
      const result = validate(`candidate: { name: Ada, email: a@example.org, phone: "+1 415 555 0100", timezone: ${zone} }\n`);
      expect(result.problems).toEqual([]);
      return result.config?.candidate.timezone;
    };
    expect(zoneOf('america/new_york')).toBe('America/New_York');
    expect(zoneOf('EUROPE/BERLIN')).toBe('Europe/Berlin');
    expect(zoneOf('utc')).toBe('UTC');
    expect(zoneOf('Asia/Kolkata')).toBe('Asia/Kolkata');
  });

  it('needs a name and a valid email', () => {
    expect(withCandidate('name: "  ", email: nope, phone: "+1 415 555 0100", timezone: UTC')).toEqual([
      'ringback.yaml: candidate.name: must not be empty (your name)',
      'ringback.yaml: candidate.email: must be an email address, like ada@example.org (got "nope")',
    ]);
    expect(validate('timing: {}\n').problems).toEqual(['ringback.yaml: candidate: required (your name, email, phone and timezone)']);
  });
});

describe('calendars', () => {
  it('wants exactly one of path and url for ics', () => {
    expect(problems('calendars: [{ type: ics, path: ./a.ics, url: "https://x.example/a.ics" }]\n')).toEqual([
      'ringback.yaml: calendars[0].url: give either path or url, not both',
    ]);
    expect(problems('calendars: [{ type: ics }]\n')).toEqual([
      'ringback.yaml: calendars[0]: needs path (an .ics file) or url (an http or https address)',
    ]);
    expect(problems('calendars: [{ type: ics, url: "ftp://x.example/a.ics" }]\n')).toEqual([
      'ringback.yaml: calendars[0].url: must be the address of an .ics calendar, starting with https:// or http://',
    ]);
  });

  it('derives stable ids and keeps given ones', () => {
    const first = ok('calendars: [{ type: ics, url: "https://x.example/a.ics" }, { type: caldav, url: "https://dav.example.org", username: ada }, { type: google, account: ada@gmail.com }, { type: microsoft, id: work, account: ada@outlook.com }]\n');
    const again = ok('calendars: [{ type: ics, url: "https://x.example/a.ics" }, { type: caldav, url: "https://dav.example.org", username: ada }, { type: google, account: ada@gmail.com }, { type: microsoft, id: work, account: ada@outlook.com }]\n');
    expect(first.calendars).toEqual(again.calendars);
    expect(first.calendars.map((c) => c.id)).toEqual([
      expect.stringMatching(/^ics-[0-9a-f]{8}$/),
      expect.stringMatching(/^caldav-[0-9a-f]{8}$/),
      'google',
      'work',
    ]);
    expect(first.calendars[1]).toMatchObject({ calendars: [] });
    expect(first.calendars[2]).toEqual({ type: 'google', id: 'google', account: 'ada@gmail.com', calendars: ['primary'] });
    const other = ok('calendars: [{ type: ics, url: "https://x.example/b.ics" }]\n');
    expect(other.calendars[0]?.id).not.toBe(first.calendars[0]?.id);
  });

  it('refuses two calendars with one id, and unknown types with a suggestion', () => {
    expect(problems('calendars: [{ type: google, account: a@gmail.com }, { type: google, account: a@gmail.com, calendars: [work] }]\n')).toEqual([
      'ringback.yaml: calendars[1].id: "google" is already the id of calendars[0]; give each an id of its own',
    ]);
    expect(problems('calendars: [{ type: caldaw, url: "https://x" }]\n')).toEqual([
      'ringback.yaml: calendars[0].type: "caldaw" is not one of ics, caldav, google, microsoft (did you mean "caldav"?)',
    ]);
  });
});

describe('mailbox, redis and the rest', () => {
  it('fills SMTP and IMAP defaults', () => {
    const imap = ok('mailbox: { type: imap, host: imap.example.org, username: ada, smtp: { host: smtp.example.org, port: 465 } }\n');
    expect(imap.mailbox).toEqual({
      type: 'imap', id: expect.stringMatching(/^imap-[0-9a-f]{8}$/), host: 'imap.example.org', port: 993, secure: true,
      username: 'ada', smtp: { host: 'smtp.example.org', port: 465, secure: true }, serverFilesSent: false,
    });
    const maildir = ok('mailbox: { type: maildir, path: mail, smtp: { host: smtp.example.org, username: ada } }\n');
    expect(maildir.mailbox).toMatchObject({ path: '/srv/rb/mail', smtp: { host: 'smtp.example.org', port: 587, secure: false, username: 'ada' } });
    expect(ok('mailbox: { type: gmail, account: ada@gmail.com }\n').mailbox).toEqual({ type: 'gmail', id: 'google', account: 'ada@gmail.com' });
    expect(problems('mailbox: { type: gmail }\n')[0]).toContain('mailbox.account');
  });

  it('accepts managed and redis URLs, and nothing else', () => {
    expect(ok('redis: managed\n').redis).toEqual({ mode: 'managed' });
    expect(ok('redis: "unix:///run/redis.sock"\n').redis).toEqual({ mode: 'url', url: 'unix:///run/redis.sock' });
    expect(ok('redis: "rediss://cache.example.org:6380/1"\n').redis).toMatchObject({ mode: 'url' });
    expect(problems('redis: mysql://db\n')).toEqual(['ringback.yaml: redis: must be "managed" or a redis://, rediss:// or unix: URL']);
  });

  it('checks working hours, prefix and dataDir', () => {
    expect(ok('workingHours: { days: [5, 1, 1], start: "08:30", end: "12:00" }\n').workingHours).toEqual({ days: [1, 5], start: '08:30', end: '12:00' });
    expect(problems('workingHours: { start: "18:00" }\n')).toEqual(['ringback.yaml: workingHours.end: must be later than start (18:00) (got "17:00")']);
    expect(problems('workingHours: { start: "9:00", days: [0] }\n')).toEqual([
      'ringback.yaml: workingHours.start: must be a time like "09:00" (HH:MM, 24-hour) (got "9:00")',
      'ringback.yaml: workingHours.days[0]: must be between 1 and 7 (got 0)',
    ]);
    expect(problems('prefix: "a b"\n')).toEqual([`ringback.yaml: prefix: must be letters, digits, '_' or '-' (got "a b")`]);
    expect(ok('dataDir: ~/rb\n').dataDir).toBe('/home/ada/rb');
  });

  it('checks detection settings', () => {
    const config = ok('detection: { keywords: [tech screen], defaultDirection: candidate-calls, freeMailDomains: [Example.COM] }\n');
    expect(config.detection).toEqual({ keywords: ['tech screen'], defaultDirection: 'candidate-calls', freeMailDomains: ['example.com'] });
    expect(problems('detection: { defaultDirection: candidate-call }\n')).toEqual([
      'ringback.yaml: detection.defaultDirection: "candidate-call" is not one of unknown, candidate-calls, interviewer-calls (did you mean "candidate-calls"?)',
    ]);
  });

  it('takes extra detection words by word list, and names a wrong list', () => {
    const config = ok('detection: { words: { phone: [Telefonat, belletje], personal: [Steuerbüro] } }\n');
    expect(config.detection.words).toEqual({ phone: ['Telefonat', 'belletje'], personal: ['Steuerbüro'] });
    const wrong = problems('detection: { words: { phones: [x] } }\n');
    expect(wrong).toHaveLength(1);
    expect(wrong[0]).toMatch(/detection\.words.*phones/);
    expect(problems('detection: { words: { phone: Telefonat } }\n')[0]).toMatch(/detection\.words\.phone: must be a list of phrases/);
  });
});
