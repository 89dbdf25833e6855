import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMING } from '../../config/fields.js';
import { ACTION_ORDER, NEEDS_REVIEW, NO_RECIPIENT, plan, type PlanInput } from '../../src/domain/plan.js';
import type { Interview, Millis, Plan, TimingSettings } from '../../src/domain/types.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

const timing: TimingSettings = {
  confirmLeadMinutes: 60,
  minLeadMinutes: 10,
  draftHorizonHours: 24,
  waitMinutes: 15,
  giveUpMinutes: 30,
  thankYouDelayMinutes: 60,
  bufferMinutes: 30,
  // The tables below pin the lead-time rules alone; the review window has its own tests.
  reviewMinutes: 0,
};

/** A wall-clock time in a zone, as epoch milliseconds. */
function at(local: string, zone: string): Millis {
  const t = DateTime.fromISO(local, { zone });
  if (!t.isValid) throw new Error(`bad test time ${local} in ${zone}`);
  return t.toMillis();
}

const T = Date.UTC(2025, 5, 10, 14, 0);
const E = T + 30 * MIN;

function interview(over: Partial<Interview> = {}): Interview {
  return {
    id: 'iv0123456789',
    sourceId: 'ics-main',
    eventId: 'evt-1',
    revision: 1,
    revisionKey: 'rk-1',
    status: 'scheduled',
    rescheduled: 0,
    outcome: null,
    outcomeSource: null,
    firstSeen: T - 7 * DAY,
    title: 'Phone screen with Acme',
    start: T,
    end: E,
    timeZone: 'America/New_York',
    counterpart: { name: 'Sam Lee', email: 'sam@acme.com' },
    company: 'acme.com',
    number: '+14155550100',
    direction: 'interviewer-calls',
    role: 'accepted',
    counterpartRole: 'organizer',
    notes: '',
    taggedOutcome: null,
    ...over,
  };
}

function input(over: Partial<PlanInput> & { iv?: Partial<Interview> } = {}): PlanInput {
  const { iv, ...rest } = over;
  return { interview: interview(iv), timing, fallbackTiming: DEFAULT_TIMING, confirmations: 'send', companyFlagged: false, now: T - 2 * DAY, ...rest };
}

/** The plan's actions as `kind@offset-from-T-in-ms`, which reads well in a failing diff. */
function shape(p: Plan, origin: Millis = T): string[] {
  return p.actions.map((a) => `${a.kind}@${(a.dueAt - origin) / MIN}m`);
}

interface Row {
  readonly name: string;
  readonly input: PlanInput;
  /** Actions as minutes from T. */
  readonly actions: readonly [string, number][];
  readonly skipped?: readonly [string, string][];
  readonly shortNotice?: boolean;
  readonly autoSend?: boolean;
}

const fullFollowUps: [string, number][] = [['noshow-draft', 15], ['noshow-resolve', 30], ['thankyou-draft', 90]];
const draftOnly: [string, number][] = [['confirmation-draft', -1440], ...fullFollowUps];
const started: [string, string] = ['confirmation-draft', 'the call has already started'];
const over = (kind: string): [string, string] => [kind, 'the call is over'];

const timingRows: Row[] = [
  {
    name: 'two days ahead: draft at the horizon, send at the lead',
    input: input({ now: T - 2 * DAY }),
    actions: [['confirmation-draft', -24 * 60], ['confirmation-send', -60], ...fullFollowUps],
    skipped: [],
    shortNotice: false,
    autoSend: true,
  },
  {
    name: 'exactly at the horizon: draft now',
    input: input({ now: T - DAY }),
    actions: [['confirmation-draft', -24 * 60], ['confirmation-send', -60], ...fullFollowUps],
  },
  {
    name: 'three hours ahead: draft now, send at the lead',
    input: input({ now: T - 3 * HOUR }),
    actions: [['confirmation-draft', -180], ['confirmation-send', -60], ...fullFollowUps],
    shortNotice: false,
  },
  {
    name: 'exactly at sendAt: not short notice',
    input: input({ now: T - HOUR }),
    actions: [['confirmation-draft', -60], ['confirmation-send', -60], ...fullFollowUps],
    shortNotice: false,
  },
  {
    name: '25 minutes ahead: both now, short notice',
    input: input({ now: T - 25 * MIN }),
    actions: [['confirmation-draft', -25], ['confirmation-send', -25], ...fullFollowUps],
    shortNotice: true,
    autoSend: true,
  },
  {
    name: 'exactly minLead ahead: still short notice',
    input: input({ now: T - 10 * MIN }),
    actions: [['confirmation-draft', -10], ['confirmation-send', -10], ...fullFollowUps],
    shortNotice: true,
  },
  {
    name: 'five minutes ahead: no confirmation',
    input: input({ now: T - 5 * MIN }),
    actions: fullFollowUps,
    skipped: [['confirmation-draft', 'the call starts in less than 10 minutes']],
    shortNotice: false,
  },
  {
    name: 'after the start: no confirmation, no-show draft waits',
    input: input({ now: T + 5 * MIN }),
    actions: fullFollowUps,
    skipped: [started],
  },
  {
    name: 'past the wait: the no-show draft is due now',
    input: input({ now: T + 20 * MIN }),
    actions: [['noshow-draft', 20], ['noshow-resolve', 30], ['thankyou-draft', 90]],
  },
  {
    name: 'exactly at give-up: only the resolve, now',
    input: input({ now: T + 30 * MIN }),
    actions: [['noshow-resolve', 30], ['thankyou-draft', 90]],
    skipped: [started, over('noshow-draft')],
  },
  {
    name: 'after give-up: no-show draft skipped, the resolve still settles the outcome, thank-you stays',
    input: input({ now: T + 31 * MIN }),
    actions: [['noshow-resolve', 31], ['thankyou-draft', 90]],
    skipped: [started, over('noshow-draft')],
  },
  {
    name: 'seven days after the end: resolve and thank-you now',
    input: input({ now: E + 7 * DAY }),
    actions: [['noshow-resolve', 30 + 7 * 24 * 60], ['thankyou-draft', 30 + 7 * 24 * 60]],
  },
  {
    name: 'seven days and 1 ms after the end: too late for a thank-you',
    input: input({ now: E + 7 * DAY + 1 }),
    actions: [],
    skipped: [started, over('noshow-draft'), ['noshow-resolve', 'too long after the call'], ['thankyou-draft', 'too long after the call']],
  },
  {
    name: 'no thank-you delay: the thank-you still waits for the resolve',
    input: input({ timing: { ...timing, thankYouDelayMinutes: 0 } }),
    actions: [['confirmation-draft', -1440], ['confirmation-send', -60], ['noshow-draft', 15], ['noshow-resolve', 30], ['thankyou-draft', 31]],
  },
  {
    name: 'a custom minLead shows in the reason',
    input: input({ now: T - 20 * MIN, timing: { ...timing, minLeadMinutes: 30 } }),
    actions: fullFollowUps,
    skipped: [['confirmation-draft', 'the call starts in less than 30 minutes']],
  },
];

const roleRows: Row[] = [
  { name: 'organizer sends to an attendee who accepted', input: input({ iv: { role: 'organizer', counterpartRole: 'accepted' } }), actions: [['confirmation-draft', -1440], ['confirmation-send', -60], ...fullFollowUps], autoSend: true },
  { name: 'accepted sends', input: input({ iv: { role: 'accepted' } }), actions: [['confirmation-draft', -1440], ['confirmation-send', -60], ...fullFollowUps], autoSend: true },
  ...(['tentative', 'needs-action', 'declined'] as const).map((role) => ({
    name: `${role} keeps the draft`,
    input: input({ iv: { role } }),
    actions: draftOnly,
    skipped: [['confirmation-send', `you have not accepted the invitation (${role})`]] as [string, string][],
    autoSend: false,
  })),
  ...(['needs-action', 'tentative', 'unknown'] as const).map((theirs) => ({
    // A calendar entry whose ORGANIZER is the user's own address, sent to an attendee who never said yes.
    name: `organizer (spoofed or not) keeps the draft for an attendee who answered ${theirs}`,
    input: input({ iv: { role: 'organizer', counterpartRole: theirs } }),
    actions: draftOnly,
    skipped: [['confirmation-send', `sam@acme.com has not accepted the invitation (${theirs}): the confirmation stays a draft`]] as [string, string][],
    autoSend: false,
  })),
  {
    name: 'accepted sends to an attendee who accepted too (the organizer could not be written to)',
    input: input({ iv: { role: 'accepted', counterpartRole: 'accepted' } }),
    actions: [['confirmation-draft', -1440], ['confirmation-send', -60], ...fullFollowUps],
    autoSend: true,
  },
  {
    name: 'accepted, but the counterpart is an attendee who did not',
    input: input({ iv: { role: 'accepted', counterpartRole: 'tentative' } }),
    actions: draftOnly,
    skipped: [['confirmation-send', 'sam@acme.com has not accepted the invitation (tentative): the confirmation stays a draft']],
    autoSend: false,
  },
  {
    name: 'a record kept before the counterpart role existed keeps the draft',
    input: input({ iv: { counterpartRole: undefined } }),
    actions: draftOnly,
    skipped: [['confirmation-send', 'sam@acme.com has not accepted the invitation (unknown): the confirmation stays a draft']],
    autoSend: false,
  },
  {
    name: 'unknown role keeps the draft',
    input: input({ iv: { role: 'unknown' } }),
    actions: draftOnly,
    skipped: [['confirmation-send', 'ringback cannot tell whether you accepted the invitation']],
    autoSend: false,
  },
  {
    name: 'flagged company keeps the draft',
    input: input({ companyFlagged: true }),
    actions: draftOnly,
    skipped: [['confirmation-send', 'acme.com has a pattern of missed calls: confirmations stay drafts until "ringback company clear acme.com"']],
    autoSend: false,
  },
  {
    name: 'an uncertain detection keeps the draft until the user settles it',
    input: input({ iv: { review: true } }),
    actions: draftOnly,
    skipped: [['confirmation-send', NEEDS_REVIEW]],
    autoSend: false,
  },
  {
    // An invitation from a no-reply address: the confirmation and every follow-up are still drafted,
    // and the send runs at its time for a recipient the user writes into the draft (none: it stays).
    name: 'a counterpart without an address: the send is planned for a recipient you add, but it is not automatic',
    input: input({ iv: { counterpart: { name: 'Sam Lee', email: null }, role: 'accepted', counterpartRole: 'organizer' } }),
    actions: [['confirmation-draft', -1440], ['confirmation-send', -60], ...fullFollowUps],
    autoSend: false,
  },
  {
    name: 'a counterpart without an address in an invitation you have not accepted: nothing is sent, addressed or not',
    input: input({ iv: { counterpart: { name: 'Sam Lee', email: null }, role: 'needs-action', counterpartRole: 'organizer' } }),
    actions: draftOnly,
    skipped: [['confirmation-send', 'you have not accepted the invitation (needs-action)']],
    autoSend: false,
  },
  {
    name: 'a counterpart without an address and another reason: the draft is kept',
    input: input({ confirmations: 'draft', iv: { counterpart: { name: 'Sam Lee', email: null }, role: 'accepted' } }),
    actions: draftOnly,
    skipped: [['confirmation-send', `confirmations: draft in the config; ${NO_RECIPIENT}`]],
    autoSend: false,
  },
  {
    name: 'confirmations: draft keeps the draft',
    input: input({ confirmations: 'draft' }),
    actions: draftOnly,
    skipped: [['confirmation-send', 'confirmations: draft in the config']],
    autoSend: false,
  },
  {
    name: 'every reason at once',
    input: input({ confirmations: 'draft', companyFlagged: true, iv: { role: 'tentative' } }),
    actions: draftOnly,
    skipped: [['confirmation-send', 'confirmations: draft in the config; you have not accepted the invitation (tentative); '
      + 'acme.com has a pattern of missed calls: confirmations stay drafts until "ringback company clear acme.com"']],
  },
  {
    name: 'confirmations: off plans no confirmation',
    input: input({ confirmations: 'off' }),
    actions: fullFollowUps,
    skipped: [['confirmation-draft', 'confirmations: off in the config']],
    autoSend: false,
  },
  {
    name: 'short notice while tentative: draft now, no send',
    input: input({ now: T - 25 * MIN, iv: { role: 'tentative' } }),
    actions: [['confirmation-draft', -25], ...fullFollowUps],
    skipped: [['confirmation-send', 'you have not accepted the invitation (tentative)']],
    shortNotice: true,
    autoSend: false,
  },
];

const outcomeRows: Row[] = [
  {
    name: 'held: only the thank-you',
    input: input({ now: E + 5 * MIN, iv: { outcome: 'held' } }),
    actions: [['thankyou-draft', 90]],
    skipped: [['confirmation-draft', 'the call already has an outcome (held)']],
  },
  {
    name: 'held, delay 0, long after: thank-you now',
    input: input({ now: E + 2 * DAY, iv: { outcome: 'held' }, timing: { ...timing, thankYouDelayMinutes: 0 } }),
    actions: [['thankyou-draft', 30 + 2 * 24 * 60]],
  },
  {
    name: 'held, delay 0: thank-you at the end, no resolve to wait for',
    input: input({ now: T + 10 * MIN, iv: { outcome: 'held' }, timing: { ...timing, thankYouDelayMinutes: 0 } }),
    actions: [['thankyou-draft', 30]],
  },
  {
    name: 'interviewer no-show before the wait: draft at the wait, no resolve, no thank-you',
    input: input({ now: T + 5 * MIN, iv: { outcome: 'interviewer-no-show' } }),
    actions: [['noshow-draft', 15]],
    skipped: [['confirmation-draft', 'the call already has an outcome (interviewer-no-show)']],
  },
  {
    name: 'interviewer no-show recorded later: draft now',
    input: input({ now: T + 3 * DAY, iv: { outcome: 'interviewer-no-show' } }),
    actions: [['noshow-draft', 3 * 24 * 60]],
  },
  {
    name: 'candidate missed: apology now, nothing else',
    input: input({ now: T + 40 * MIN, iv: { outcome: 'candidate-missed' } }),
    actions: [['apology-draft', 40]],
    skipped: [['confirmation-draft', 'the call already has an outcome (candidate-missed)']],
  },
];

describe('plan', () => {
  describe.each([
    ['timing', timingRows],
    ['roles and settings', roleRows],
    ['outcomes', outcomeRows],
  ])('%s', (_group, rows) => {
    it.each(rows)('$name', (row) => {
      const p = plan(row.input);
      expect(shape(p)).toEqual(row.actions.map(([kind, m]) => `${kind}@${m}m`));
      if (row.skipped) expect(p.skipped.map((s) => [s.kind, s.reason])).toEqual(row.skipped);
      if (row.shortNotice !== undefined) expect(p.shortNotice).toBe(row.shortNotice);
      if (row.autoSend !== undefined) expect(p.autoSend).toBe(row.autoSend);
    });
  });

  it('plans nothing for a duplicate of a call another calendar lists, and says nothing skipped', () => {
    const p = plan(input({ now: T - 3 * HOUR, iv: { duplicateOf: 'ivowner00001', duplicateBy: 'uid' } }));
    expect([p.actions, p.skipped]).toEqual([[], []]);
    expect(plan(input({ now: T - 3 * HOUR })).actions.length).toBeGreaterThan(0);
  });

  it('1 ms after sendAt is short notice', () => {
    const now = T - HOUR + 1;
    const p = plan(input({ now }));
    expect(p.shortNotice).toBe(true);
    expect(p.actions.slice(0, 2)).toEqual([
      { kind: 'confirmation-draft', dueAt: now },
      { kind: 'confirmation-send', dueAt: now },
    ]);
  });

  it('1 ms after the horizon opens, the draft is due now', () => {
    const now = T - DAY + 1;
    expect(plan(input({ now })).actions[0]).toEqual({ kind: 'confirmation-draft', dueAt: now });
  });

  it('1 ms inside minLead, no confirmation at all', () => {
    const p = plan(input({ now: T - 10 * MIN + 1 }));
    expect(p.actions.map((a) => a.kind)).not.toContain('confirmation-draft');
    expect(p.actions.map((a) => a.kind)).not.toContain('confirmation-send');
    expect(p.skipped).toContainEqual({ kind: 'confirmation-draft', reason: 'the call starts in less than 10 minutes' });
  });

  it.each(['cancelled', 'declined', 'done'] as const)('status %s plans nothing', (status) => {
    expect(plan(input({ iv: { status } }))).toEqual({ actions: [], skipped: [], autoSend: false, shortNotice: false });
  });
});

describe('plan across zones and DST', () => {
  const NY = 'America/New_York';
  const LON = 'Europe/London';
  interface ZoneRow {
    readonly name: string;
    readonly zone: string;
    readonly start: string;
    readonly end: string;
    readonly now: string;
    /** Expected due times as wall clock in the zone (or with an explicit offset when ambiguous). */
    readonly due: Readonly<Record<string, string>>;
  }
  const rows: ZoneRow[] = [
    {
      name: 'New York, the day clocks spring forward: 24 h before is 09:00 the day before',
      zone: NY, start: '2025-03-09T10:00', end: '2025-03-09T10:30', now: '2025-03-07T12:00',
      due: { 'confirmation-draft': '2025-03-08T09:00', 'confirmation-send': '2025-03-09T09:00', 'thankyou-draft': '2025-03-09T11:30' },
    },
    {
      name: 'New York, first hour after the gap: one real hour before is 01:30 EST',
      zone: NY, start: '2025-03-09T03:30', end: '2025-03-09T04:00', now: '2025-03-08T00:00',
      due: { 'confirmation-send': '2025-03-09T01:30', 'noshow-draft': '2025-03-09T03:45', 'noshow-resolve': '2025-03-09T04:00' },
    },
    {
      name: 'New York, the day clocks fall back: 24 h before is 11:00 the day before',
      zone: NY, start: '2025-11-02T10:00', end: '2025-11-02T11:00', now: '2025-10-31T12:00',
      due: { 'confirmation-draft': '2025-11-01T11:00', 'confirmation-send': '2025-11-02T09:00', 'thankyou-draft': '2025-11-02T12:00' },
    },
    {
      name: 'New York, 02:00 EST: an hour before is the second 01:00',
      zone: NY, start: '2025-11-02T02:00', end: '2025-11-02T02:30', now: '2025-11-01T00:00',
      due: { 'confirmation-send': '2025-11-02T01:00:00-05:00', 'confirmation-draft': '2025-11-01T03:00:00-04:00' },
    },
    {
      name: 'London, clocks spring forward',
      zone: LON, start: '2025-03-30T09:00', end: '2025-03-30T09:45', now: '2025-03-28T09:00',
      due: { 'confirmation-draft': '2025-03-29T08:00', 'confirmation-send': '2025-03-30T08:00', 'thankyou-draft': '2025-03-30T10:45' },
    },
    {
      name: 'London, clocks fall back',
      zone: LON, start: '2025-10-26T09:00', end: '2025-10-26T09:45', now: '2025-10-24T09:00',
      due: { 'confirmation-draft': '2025-10-25T10:00', 'confirmation-send': '2025-10-26T08:00' },
    },
    {
      name: 'a call across midnight',
      zone: NY, start: '2025-06-10T23:30', end: '2025-06-11T00:30', now: '2025-06-09T08:00',
      due: { 'confirmation-send': '2025-06-10T22:30', 'noshow-resolve': '2025-06-11T00:00', 'thankyou-draft': '2025-06-11T01:30' },
    },
    {
      name: 'Kiritimati (UTC+14), where the local date is a day ahead of UTC',
      zone: 'Pacific/Kiritimati', start: '2025-06-10T08:00', end: '2025-06-10T08:30', now: '2025-06-09T06:00',
      due: { 'confirmation-draft': '2025-06-09T08:00', 'confirmation-send': '2025-06-10T07:00', 'thankyou-draft': '2025-06-10T09:30' },
    },
    {
      name: 'Pago Pago (UTC−11), a short-notice evening call',
      zone: 'Pacific/Pago_Pago', start: '2025-06-10T20:00', end: '2025-06-10T20:30', now: '2025-06-10T19:35',
      due: { 'confirmation-draft': '2025-06-10T19:35', 'confirmation-send': '2025-06-10T19:35', 'noshow-draft': '2025-06-10T20:15' },
    },
  ];

  it.each(rows)('$name', (row) => {
    const start = at(row.start, row.zone);
    const now = at(row.now, row.zone);
    const p = plan(input({ now, iv: { start, end: at(row.end, row.zone), timeZone: row.zone } }));
    const due = Object.fromEntries(p.actions.map((a) => [a.kind, a.dueAt]));
    for (const [kind, local] of Object.entries(row.due)) {
      expect({ kind, dueAt: due[kind] }).toEqual({ kind, dueAt: at(local, row.zone) });
    }
    // Durations are real elapsed time, whatever the wall clock did.
    expect(due['confirmation-send']).toBe(Math.max(now, start - HOUR));
  });
});

describe('plan with hostile input', () => {
  it('treats an end before the start as the start', () => {
    const p = plan(input({ iv: { end: T - HOUR } }));
    expect(p.actions.find((a) => a.kind === 'thankyou-draft')?.dueAt).toBe(T + 60 * MIN);
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, -1e300])('treats an end of %s as the start', (end) => {
    const p = plan(input({ iv: { end } }));
    expect(p.actions.find((a) => a.kind === 'thankyou-draft')?.dueAt).toBe(T + 60 * MIN);
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, 1e20])('plans nothing for a start of %s, and says why', (start) => {
    const p = plan(input({ iv: { start } }));
    expect(p.actions).toEqual([]);
    expect(p.skipped).toEqual([{ kind: 'confirmation-draft', reason: 'the event has no usable start time' }]);
  });

  it('plans nothing for an unusable now', () => {
    expect(plan(input({ now: Number.NaN })).actions).toEqual([]);
  });

  it.each([Number.NaN, -5, Number.POSITIVE_INFINITY])('falls back to the defaults for settings of %s', (bad) => {
    const broken = Object.fromEntries(Object.keys(timing).map((k) => [k, bad])) as unknown as TimingSettings;
    expect(shape(plan(input({ timing: broken })))).toEqual(shape(plan(input())));
  });

  it('keeps absurdly long settings finite', () => {
    const p = plan(input({ now: T - 400 * DAY, timing: { ...timing, draftHorizonHours: 1e300, confirmLeadMinutes: 1e300 } }));
    for (const a of p.actions) expect(Number.isFinite(a.dueAt)).toBe(true);
  });

  it('never resolves before the no-show draft (giveUp shorter than wait)', () => {
    const p = plan(input({ timing: { ...timing, waitMinutes: 30, giveUpMinutes: 10 } }));
    expect(shape(p).slice(2, 4)).toEqual(['noshow-draft@30m', 'noshow-resolve@30m']);
  });

  it('never drafts after sending (horizon shorter than lead)', () => {
    const p = plan(input({ timing: { ...timing, draftHorizonHours: 0.5 } }));
    expect(shape(p).slice(0, 2)).toEqual(['confirmation-draft@-60m', 'confirmation-send@-60m']);
  });

  it('keeps every promise for any input: finite, not before now, sorted, each kind once', () => {
    const num = fc.oneof(
      fc.double({ noNaN: false }),
      fc.integer({ min: -1000, max: 100_000 }),
      fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -0),
    );
    const arbTiming = fc.record({
      confirmLeadMinutes: num, minLeadMinutes: num, draftHorizonHours: num, waitMinutes: num,
      giveUpMinutes: num, thankYouDelayMinutes: num, bufferMinutes: num, reviewMinutes: num,
    });
    fc.assert(
      fc.property(
        fc.integer({ min: -3 * DAY, max: 10 * DAY }),
        fc.oneof(fc.integer({ min: -DAY, max: DAY }), fc.constant(Number.NaN)),
        arbTiming,
        fc.constantFrom('send', 'draft', 'off') as fc.Arbitrary<'send' | 'draft' | 'off'>,
        fc.constantFrom(null, 'held', 'interviewer-no-show', 'candidate-missed') as fc.Arbitrary<Interview['outcome']>,
        fc.constantFrom('organizer', 'accepted', 'tentative', 'needs-action') as fc.Arbitrary<Interview['role']>,
        fc.boolean(),
        (offset, length, t, confirmations, outcome, role, companyFlagged) => {
          const now = T + offset;
          const p = plan({ interview: interview({ end: T + length, outcome, role }), timing: t, confirmations, companyFlagged, now });
          const kinds = p.actions.map((a) => a.kind);
          expect(new Set(kinds).size).toBe(kinds.length);
          p.actions.forEach((a, i) => {
            expect(Number.isFinite(a.dueAt)).toBe(true);
            expect(a.dueAt).toBeGreaterThanOrEqual(now);
            const prev = p.actions[i - 1];
            if (prev) {
              const order = Math.sign(prev.dueAt - a.dueAt) || Math.sign(ACTION_ORDER.indexOf(prev.kind) - ACTION_ORDER.indexOf(a.kind));
              expect(order).toBe(-1);
            }
          });
          if (kinds.includes('confirmation-send')) expect(p.autoSend).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('review window (timing.reviewMinutes)', () => {
  const review = { ...timing, reviewMinutes: 5 };
  const sendOf = (p: Plan) => p.actions.find((a) => a.kind === 'confirmation-send')?.dueAt;
  const draftOf = (p: Plan) => p.actions.find((a) => a.kind === 'confirmation-draft')?.dueAt;

  it.each([
    { name: 'found a day ahead: drafted at the horizon, sent at T - lead', now: T - 2 * DAY, draft: T - DAY, send: T - HOUR },
    { name: 'found 20 minutes ahead: drafted now, sent 5 minutes later', now: T - 20 * MIN, draft: T - 20 * MIN, send: T - 15 * MIN },
    { name: 'found exactly at T - lead: sent 5 minutes after the draft', now: T - HOUR, draft: T - HOUR, send: T - 55 * MIN },
    { name: 'found 13 minutes ahead: the window shrinks to keep minLead (and a minute)', now: T - 13 * MIN, draft: T - 13 * MIN, send: T - 11 * MIN },
    { name: 'found 10 minutes ahead: no time left to review, sent at once', now: T - 10 * MIN, draft: T - 10 * MIN, send: T - 10 * MIN },
  ])('$name', ({ now, draft, send }) => {
    const p = plan(input({ timing: review, now }));
    expect(draftOf(p)).toBe(draft);
    expect(sendOf(p)).toBe(send);
  });

  it('counts from when the draft was written, so a later replan does not push the send out', () => {
    const first = plan(input({ timing: review, now: T - 20 * MIN }));
    const again = plan(input({ timing: review, now: T - 18 * MIN, confirmationDraftedAt: T - 20 * MIN }));
    expect(sendOf(first)).toBe(T - 15 * MIN);
    expect(sendOf(again)).toBe(T - 15 * MIN);
  });

  it('0 sends a short-notice confirmation at once', () => {
    expect(sendOf(plan(input({ timing: { ...timing, reviewMinutes: 0 }, now: T - 20 * MIN })))).toBe(T - 20 * MIN);
  });
});

describe('a confirmation the interviewer already has, word for word (confirmationStands)', () => {
  it('plans no confirmation draft or send, says why, and keeps the follow-ups', () => {
    const p = plan(input({ now: T - 50 * MIN, confirmationStands: true }));
    expect(shape(p).filter((s) => s.startsWith('confirmation'))).toEqual([]);
    expect(p.skipped.map((s) => s.kind)).toEqual(['confirmation-draft', 'confirmation-send']);
    expect(p.skipped[0]?.reason).toMatch(/already got a confirmation that says all this one would/);
    expect(shape(p).some((s) => s.startsWith('thankyou-draft'))).toBe(true);
  });
});
