/**
 * Who received an email, as its record tells it: what threading (followups.ts) and the wording of
 * a confirmation after a move (confirmation.ts) are decided from. Records of earlier versions kept
 * no recipient; they are never taken to have reached anyone.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { confirmationSays } from '../../src/domain/compose.js';
import type { Candidate, Interview } from '../../src/domain/types.js';
import { confirmedStart, receivedBy, recipientOf, saysNothingNew, type EmailRecord } from '../../src/store/drafts.js';
import { storedInterview } from '../support/interview-record.js';

const T = Date.UTC(2026, 2, 10, 19, 0);

function record(overrides: Partial<EmailRecord>): EmailRecord {
  return {
    kind: 'confirmation',
    ref: { providerId: 'p1', messageId: '<ringback.iv1.confirmation.1@example.org>', threadId: null },
    revision: 1,
    state: 'sent',
    subject: 'Confirming our phone interview today at 3:00 PM Eastern',
    updatedAt: T - 3_600_000,
    to: 'casey.brooks@contoso.example',
    start: T,
    ...overrides,
  };
}

describe('receivedBy', () => {
  it.each([
    ['sent to that address', record({}), 'casey.brooks@contoso.example', true],
    ['sent to that address, written in capitals by the calendar', record({}), 'Casey.Brooks@Contoso.example', true],
    ['sent to the coordinator, asked for the interviewer', record({}), 'morgan.lee@contoso.example', false],
    ['a draft nobody received', record({ state: 'draft' }), 'casey.brooks@contoso.example', false],
    ['handed to the provider, its copy not seen in Sent yet', record({ state: 'submitted' }), 'casey.brooks@contoso.example', false],
    ['a record of an earlier version, without its recipient', record({ to: undefined }), 'casey.brooks@contoso.example', false],
    ['sent without a recipient', record({ to: null }), 'casey.brooks@contoso.example', false],
    ['a counterpart without an address', record({}), null, false],
    ['no record', null, 'casey.brooks@contoso.example', false],
  ] as const)('%s', (_why, r, address, expected) => {
    expect(receivedBy(r, address)).toBe(expected);
  });
});

describe('confirmedStart', () => {
  it('is the time a confirmation sent to the same address named', () => {
    expect(confirmedStart(record({}), 'casey.brooks@contoso.example')).toBe(T);
    expect(confirmedStart(record({ state: 'submitted' }), 'casey.brooks@contoso.example')).toBe(T);
  });
  it('is carried by a draft rewritten for the same recipient, and only by it', () => {
    const rewritten = record({ state: 'draft', revision: 2, start: T + 3_600_000, confirmed: T });
    expect(confirmedStart(rewritten, 'casey.brooks@contoso.example')).toBe(T);
    expect(confirmedStart(rewritten, 'morgan.lee@contoso.example')).toBeNull();
  });
  it('is nothing for a draft never sent, a new recipient, a record without its recipient, or a veto', () => {
    expect(confirmedStart(record({ state: 'draft' }), 'casey.brooks@contoso.example')).toBeNull();
    expect(confirmedStart(record({}), 'morgan.lee@contoso.example')).toBeNull();
    expect(confirmedStart(record({ to: undefined }), 'casey.brooks@contoso.example')).toBeNull();
    expect(confirmedStart(record({ state: 'vetoed' }), 'casey.brooks@contoso.example')).toBeNull();
  });
});

describe('recipientOf', () => {
  it('keeps the first recipient, lower-cased, or null for none', () => {
    expect(recipientOf({ to: [{ email: 'Morgan.Lee@Contoso.example' }] })).toBe('morgan.lee@contoso.example');
    expect(recipientOf({ to: [] })).toBeNull();
  });
});

describe('saysNothingNew, for a confirmation record of an earlier version', () => {
  const candidate: Candidate = { name: 'Ada Park', email: 'ada@example.org', phone: '+1 415 555 0100', timezone: 'America/New_York' };
  const sent: Interview = storedInterview('iv1', {
    title: 'Backend Engineer, Contoso', start: T, end: T + 1_800_000, timeZone: 'America/New_York',
    counterpart: { name: 'Casey Brooks', email: 'casey.brooks@contoso.example' }, company: 'Contoso',
    number: '+12125550199', direction: 'interviewer-calls', revision: 1,
  });
  const longer: Interview = { ...sent, end: T + 2_700_000, revision: 2 };
  /** The digest as the version before this one wrote it: the interview's fields alone, hashed by hand here. */
  function earlierDigest(interview: Interview): string {
    const { title, start, timeZone, counterpart, company, number, direction, dialIn, statedZone, statedOffset, role, counterpartRole } = interview;
    const said = JSON.stringify({ title, start, timeZone, counterpart, company, number, direction, dialIn, statedZone, statedOffset, role, counterpartRole });
    return createHash('sha256').update(said, 'utf8').digest('base64url').slice(0, 16);
  }

  it('takes a call made longer as nothing new, whichever version wrote the digest', () => {
    expect(saysNothingNew(record({ says: confirmationSays(sent, candidate) }), longer, candidate, null)).toBe(true);
    // Written before the candidate was part of it: without this, the first change after an upgrade
    // wrote a second confirmation for every call whose confirmation had gone out.
    expect(saysNothingNew(record({ says: earlierDigest(sent) }), longer, candidate, null)).toBe(true);
  });

  it("sees the recipient's zone set since the digest was made, unless the digest is of the version before it was part of it", () => {
    const withZone = confirmationSays(sent, candidate, null);
    expect(saysNothingNew(record({ says: withZone }), longer, candidate, 'America/Chicago')).toBe(false);
    expect(saysNothingNew(record({ says: confirmationSays(sent, candidate, 'America/Chicago') }), longer, candidate, 'America/Chicago')).toBe(true);
    // The digest the version before wrote: '2', the interview and the candidate, hashed by hand here.
    const { title, start, timeZone, counterpart, company, number, direction, dialIn, statedZone, statedOffset, role, counterpartRole } = sent;
    const me = { name: 'Ada Park', email: 'ada@example.org', phone: '+1 415-555-0100', timezone: 'America/New_York' };
    const said = JSON.stringify({ title, start, timeZone, counterpart, company, number, direction, dialIn, statedZone, statedOffset, role, counterpartRole, me });
    const before = `2${createHash('sha256').update(said, 'utf8').digest('base64url').slice(0, 16)}`;
    // Written before the zone was part of it: after an upgrade, no second confirmation for every call.
    expect(saysNothingNew(record({ says: before }), longer, candidate, 'America/Chicago')).toBe(true);
  });

  it('still sees a moved call in a digest of the earlier version (guard)', () => {
    const moved: Interview = { ...sent, start: T + 3_600_000, end: T + 5_400_000, revision: 2 };
    expect(saysNothingNew(record({ says: earlierDigest(sent) }), moved, candidate, null)).toBe(false);
    expect(saysNothingNew(record({ says: confirmationSays(sent, candidate) }), { ...longer }, { ...candidate, phone: '+1 212 555 0177' }, null)).toBe(false);
  });
});
