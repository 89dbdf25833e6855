/** The check of an export before import writes it: a table of entries, sound and damaged. */
import { describe, expect, it } from 'vitest';
import { checkExport } from '../../src/store/export-check.js';

const SOUND = {
  id: 'iv3f9a0c12d4',
  sourceId: 'cal',
  eventId: 'evt-1',
  title: 'Phone screen\nwith Dana',
  start: 1_800_000_000_000,
  end: 1_800_001_800_000,
  timeZone: 'America/New_York',
  counterpart: { name: 'Dana Whitfield', email: 'dana@acme.example' },
  company: 'acme.example',
  number: '+14155550199',
  direction: 'candidate-calls',
  role: 'accepted',
  notes: 'Please call.',
  taggedOutcome: null,
  revision: 1,
  revisionKey: 'abc',
  status: 'scheduled',
  rescheduled: 0,
  outcome: null,
  outcomeSource: null,
  firstSeen: 1_799_000_000_000,
  actions: [{ kind: 'confirmation-send', dueAt: 1_799_999_100_000, state: 'sent', revision: 1 }],
  emails: [{ kind: 'confirmation', ref: { providerId: 'p1', messageId: '<ringback.iv3f9a0c12d4.confirmation.1@example.org>' }, revision: 1, state: 'sent', subject: 'Our call', updatedAt: 1_799_999_100_000 }],
};

function file(interviews: unknown[], rest: Record<string, unknown> = {}): unknown {
  return { format: 'ringback-export', version: 1, exportedAt: '2026-12-06T00:00:00Z', interviews, companies: [], audit: [], ...rest };
}

describe('checkExport', () => {
  it('takes a sound entry of an earlier version (no optional fields, no undelivered) as it is', () => {
    const checked = checkExport(file([SOUND]));
    if (typeof checked === 'string') throw new Error(checked);
    const { actions, emails, ...interview } = SOUND;
    expect(checked.entries).toEqual([{ interview, actions, emails, undelivered: [] }]);
  });

  it('drops fields it does not know instead of writing them', () => {
    const checked = checkExport(file([{ ...SOUND, secretish: 'x' }]));
    if (typeof checked === 'string') throw new Error(checked);
    expect(checked.entries[0]?.interview).not.toHaveProperty('secretish');
  });

  it('keeps where the organizer\'s cancellation of a call was shown, so a reinstatement still plans it after an import', () => {
    const cancelled = { ...SOUND, status: 'cancelled', cancelledIn: 'iv0123456789' };
    const checked = checkExport(file([cancelled]));
    if (typeof checked === 'string') throw new Error(checked);
    expect(checked.entries[0]?.interview.cancelledIn).toBe('iv0123456789');
  });

  it('keeps the clock an invitation stated on a bare offset, with its instant', () => {
    const statedOffset = { at: SOUND.start, offset: 330 };
    const checked = checkExport(file([{ ...SOUND, statedOffset }]));
    if (typeof checked === 'string') throw new Error(checked);
    expect(checked.entries[0]?.interview.statedOffset).toEqual(statedOffset);
  });

  it('keeps when a company was last cleared, and reads a company record without it as never cleared', () => {
    const cleared = { company: 'acme.example', noShows: [], candidateMisses: [], pattern: false, clearedAt: 1_799_500_000_000 };
    const checked = checkExport(file([SOUND], { companies: [cleared, { company: 'globex.example', noShows: ['iv0000000001'] }] }));
    if (typeof checked === 'string') throw new Error(checked);
    expect(checked.companies).toEqual([cleared, { company: 'globex.example', noShows: ['iv0000000001'], candidateMisses: [], pattern: false, clearedAt: null }]);
  });

  it('keeps the marks of events and the zones set for companies; an export of an earlier version has none', () => {
    const mark = { kind: 'phone', direction: 'candidate-calls', number: '+12125550177', at: 1_799_000_000_000, sourceId: 'cal', eventId: 'evt-9' };
    const checked = checkExport(file([SOUND], { marks: { iv00000000aa: mark }, zones: { 'acme.example': 'America/Chicago' } }));
    if (typeof checked === 'string') throw new Error(checked);
    expect(checked.marks).toEqual({ iv00000000aa: mark });
    expect(checked.zones).toEqual({ 'acme.example': 'America/Chicago' });
    const earlier = checkExport(file([SOUND]));
    if (typeof earlier === 'string') throw new Error(earlier);
    expect([earlier.marks, earlier.zones]).toEqual([{}, {}]);
  });

  const refused: [string, unknown, string][] = [
    ['not an export', { interviews: [] }, 'not a ringback export'],
    ['a zone that is none', file([{ ...SOUND, timeZone: 'Mars/Olympus' }]), 'interviews[0] (iv3f9a0c12d4): timeZone must be an IANA time zone'],
    ['a stated offset past any in use', file([{ ...SOUND, statedOffset: { at: SOUND.start, offset: 5000 } }]), 'interviews[0] (iv3f9a0c12d4): statedOffset.offset must be an offset in whole minutes'],
    ['an id twice', file([SOUND, SOUND]), 'interviews[1] (iv3f9a0c12d4): id appears twice'],
    ['an id of upper-case hex', file([{ ...SOUND, id: 'iv3F9A0C12D4' }]), 'interviews[0]: id must be "iv" and 10 lower-case hex digits'],
    ['a duplicateOf that is no id', file([{ ...SOUND, duplicateOf: 'x|y' }]), 'interviews[0] (iv3f9a0c12d4): duplicateOf must be'],
    ['a cancelledIn that is no id', file([{ ...SOUND, cancelledIn: 'x|y' }]), 'interviews[0] (iv3f9a0c12d4): cancelledIn must be'],
    ['an end before the start', file([{ ...SOUND, end: SOUND.start - 1 }]), 'end must not be before start'],
    ['a number with a newline', file([{ ...SOUND, number: '+1415\n5550199' }]), 'number must be one line'],
    ['evidence of an unknown field', file([{ ...SOUND, evidence: [{ field: 'body', text: 'x', signal: 'phone', weight: 1 }] }]), 'evidence[0].field must be one of'],
    ['a bounce without its reason', file([{ ...SOUND, undelivered: [{ kind: 'confirmation', messageId: '<a@b>', recipient: null, status: null, reportedAt: 1 }] }]), 'undelivered[0].reason must be a string'],
    ['an email without its ref', file([{ ...SOUND, emails: [{ ...SOUND.emails[0], ref: undefined }] }]), 'emails[0].ref must be an object'],
    ['a company cleared at a time that is text', file([SOUND], { companies: [{ company: 'acme.example', clearedAt: 'yesterday' }] }), 'companies[0]: clearedAt must be a time'],
    ['a mark of an unknown kind', file([SOUND], { marks: { iv00000000aa: { kind: 'maybe', at: 1, sourceId: 'cal', eventId: 'e' } } }), 'marks[0].kind must be one of phone, video, not-interview'],
    ['a mark under a name that is no id', file([SOUND], { marks: { 'dana@acme.example': { kind: 'phone', at: 1, sourceId: 'cal', eventId: 'e' } } }), 'marks[0] name must be "iv"'],
    ['a zone that is none, without echoing the company', file([SOUND], { zones: { 'acme.example': 'Mars/Olympus' } }), 'zones[0] must be an IANA time zone'],
    ['a company whose pattern is text', file([SOUND], { companies: [{ company: 'acme.example', noShows: [], pattern: 'yes' }] }), 'companies[0]: pattern must be true or false'],
  ];
  it.each(refused)('refuses %s, naming the entry and the field', (_what, data, message) => {
    const checked = checkExport(data);
    expect(typeof checked).toBe('string');
    expect(checked).toContain(message);
  });
});
