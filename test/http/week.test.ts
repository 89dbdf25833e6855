/** The week view's layout, as plain data: days, visible hours, positions, lanes and markers. */
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { InterviewView } from '../../src/read/interviews.js';
import { layoutWeek, POSITION_STEPS, renderWeek, weekStartFor } from '../../src/http/pages/week.js';

const ZONE = 'America/New_York';
const at = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toMillis();

function view(id: string, start: string, minutes: number, actions: InterviewView['actions'] = [], title = `Interview ${id}`): InterviewView {
  const s = at(start);
  return {
    id,
    title,
    start: new Date(s).toISOString(),
    end: new Date(s + minutes * 60_000).toISOString(),
    counterpart: { name: 'Dana', email: 'dana@acme.example' },
    company: 'acme.example',
    number: null,
    direction: 'interviewer-calls',
    dialIn: false,
    status: 'scheduled',
    outcome: null,
    pattern: false,
    actions,
    undelivered: [],
  };
}

describe('weekStartFor', () => {
  it('takes the Monday 00:00 of the given date in the zone, or of now', () => {
    expect(weekStartFor('2026-03-12', ZONE, 0)).toBe(at('2026-03-09T00:00'));
    expect(weekStartFor(undefined, ZONE, at('2026-03-15T23:59'))).toBe(at('2026-03-09T00:00'));
    expect(weekStartFor('not-a-date', ZONE, at('2026-03-10T12:00'))).toBe(at('2026-03-09T00:00'));
    expect(weekStartFor('2026-02-31', ZONE, at('2026-03-10T12:00'))).toBe(at('2026-03-09T00:00'));
  });
});

describe('layoutWeek', () => {
  const weekStart = at('2026-03-09T00:00');

  it('places an interview on its day, scaled to the visible hours', () => {
    const layout = layoutWeek([view('a', '2026-03-10T13:30', 30)], { weekStart, zone: ZONE, now: 0 });
    expect(layout.days).toHaveLength(7);
    expect([layout.fromHour, layout.toHour]).toEqual([8, 19]);
    const [block] = layout.days[1]?.blocks ?? [];
    // 13:30 is 5.5 of 11 hours: half way; 30 minutes is 1/22 of the axis.
    expect(block?.top).toBe(POSITION_STEPS / 2);
    expect(block?.length).toBe(Math.round(POSITION_STEPS / 22));
    expect(layout.days.filter((d) => d.blocks.length > 0)).toHaveLength(1);
  });

  it('widens the hours to early and late interviews and markers', () => {
    const layout = layoutWeek([view('a', '2026-03-11T06:15', 45, [{ kind: 'confirmation-draft', dueAt: new Date(at('2026-03-10T21:10')).toISOString(), state: 'done' }])], {
      weekStart,
      zone: ZONE,
      now: 0,
    });
    expect([layout.fromHour, layout.toHour]).toEqual([6, 22]);
    expect(layout.days[1]?.markers.map((m) => m.kind)).toEqual(['confirmation-draft']);
    expect(layout.days[2]?.blocks[0]?.top).toBe(Math.round((0.25 / 16) * POSITION_STEPS));
  });

  it('splits overlapping interviews into lanes', () => {
    const layout = layoutWeek([view('a', '2026-03-12T10:00', 60), view('b', '2026-03-12T10:30', 60), view('c', '2026-03-12T14:00', 30)], {
      weekStart,
      zone: ZONE,
      now: 0,
    });
    const blocks = layout.days[3]?.blocks ?? [];
    expect(blocks.map((b) => [b.view.id, b.lane, b.lanes])).toEqual([
      ['a', 0, 2],
      ['b', 1, 2],
      ['c', 0, 1],
    ]);
  });

  it('puts markers of interviews outside the week on the days they fall, and leaves skipped ones off the axis', () => {
    const nextMonday = view('n', '2026-03-16T09:00', 30, [
      { kind: 'confirmation-draft', dueAt: new Date(at('2026-03-15T09:00')).toISOString(), state: 'pending' },
      { kind: 'noshow-draft', dueAt: new Date(at('2026-03-16T09:00')).toISOString(), state: 'skipped' },
    ]);
    const layout = layoutWeek([nextMonday], { weekStart, zone: ZONE, now: 0 });
    expect(layout.days.flatMap((d) => d.blocks)).toHaveLength(0);
    expect(layout.days[6]?.markers.map((m) => [m.kind, m.state])).toEqual([['confirmation-draft', 'pending']]);
  });

  it('keeps a week across the spring DST change to 7 days with the right hours', () => {
    // 8 March 2026: clocks go forward in New York.
    const start = at('2026-03-02T00:00');
    const layout = layoutWeek([view('d', '2026-03-08T14:00', 60)], { weekStart: start, zone: ZONE, now: at('2026-03-08T13:00') });
    expect(layout.days[6]?.end).toBe(at('2026-03-09T00:00'));
    expect(layout.days[6]?.end ?? 0).toBe((layout.days[6]?.start ?? 0) + 23 * 3_600_000);
    expect(layout.days[6]?.blocks[0]?.top).toBe(Math.round((6 / 11) * POSITION_STEPS));
    expect(layout.days[6]?.today).toBe(true);
    expect(layout.days[6]?.now).toBe(Math.round((5 / 11) * POSITION_STEPS));
  });

  it('flags an interview whose email was not delivered', () => {
    const bounced = { ...view('b', '2026-03-10T10:00', 30), undelivered: [{ kind: 'confirmation', recipient: 'dana@acme.example', status: '5.1.1', reason: 'no such user', reportedAt: '2026-03-10T09:10:00Z' }] };
    const out = renderWeek(layoutWeek([bounced, view('c', '2026-03-11T10:00', 30)], { weekStart, zone: ZONE, now: 0 }), []).value;
    expect(out.match(/not delivered<\/span>/g)).toHaveLength(1);
  });

  it('names a counterpart without an address as such, and flags it', () => {
    const addressless = { ...view('n', '2026-03-10T10:00', 30), counterpart: { name: 'Sam Lee', email: null } };
    const out = renderWeek(layoutWeek([addressless, view('c', '2026-03-11T10:00', 30)], { weekStart, zone: ZONE, now: 0 }), []).value;
    expect(out).toContain('Sam Lee (no address)');
    expect(out.match(/no address<\/span>/g)).toHaveLength(1);
  });

  it('renders titles as text', () => {
    const layout = layoutWeek([view('x', '2026-03-10T10:00', 30, [], '<script>alert(1)</script>')], { weekStart, zone: ZONE, now: 0 });
    const out = renderWeek(layout, []).value;
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out).not.toContain('<script>');
    expect(out).toContain('href="/?week=2026-03-02"');
    expect(out).toContain('href="/?week=2026-03-16"');
  });
});
