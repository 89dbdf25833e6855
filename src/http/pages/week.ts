/**
 * The week view: the interviews of one week on a real time axis (days as columns on a wide
 * window, as rows on a phone), each with its actions as markers at their due times.
 *
 * Positions are computed here, as percentages of the visible hours, and rounded to half a percent
 * so that the stylesheet can carry one class per position (`p-<n>`, `l-<n>`): the strict content
 * security policy forbids inline styles.
 */
import { DateTime } from 'luxon';
import type { Millis } from '../../domain/types.js';
import { NO_ADDRESS_NOTE, counterpartShown } from '../../domain/counterpart.js';
import { safeZone } from '../../domain/format.js';
import type { InterviewView } from '../../read/interviews.js';
import { clock, html, plain, type SafeHtml } from '../html.js';
import { actionLabel, actionStateClass, actionStateWord, interviewClass, OUTCOME_WORD } from '../labels.js';

/** Positions are in steps of half a percent: 0…200. */
export const POSITION_STEPS = 200;
/** Blocks overlapping in time share the width of a day in up to this many lanes. */
export const MAX_LANES = 3;

export interface Block {
  readonly view: InterviewView;
  readonly start: Millis;
  readonly end: Millis;
  readonly top: number;
  readonly length: number;
  readonly lane: number;
  readonly lanes: number;
}

export interface Marker {
  readonly interviewId: string;
  readonly title: string;
  readonly kind: string;
  readonly state: string;
  readonly dueAt: Millis;
  readonly top: number;
}

export interface Day {
  readonly start: Millis;
  readonly end: Millis;
  readonly blocks: readonly Block[];
  readonly markers: readonly Marker[];
  readonly today: boolean;
  /** Position of "now" when it falls on this day within the visible hours. */
  readonly now: number | null;
}

export interface WeekLayout {
  readonly start: Millis;
  readonly end: Millis;
  readonly zone: string;
  /** Visible hours, e.g. 8 and 19 for 08:00–19:00. */
  readonly fromHour: number;
  readonly toHour: number;
  readonly days: readonly Day[];
}

/** The Monday 00:00 (in `zone`) of the week holding `date` ('YYYY-MM-DD'), or of `now`'s week. */
export function weekStartFor(date: string | undefined, zone: string, now: Millis): Millis {
  const z = safeZone(zone);
  const given = date && /^\d{4}-\d{2}-\d{2}$/.test(date) ? DateTime.fromISO(date, { zone: z }) : null;
  const at = given?.isValid ? given : DateTime.fromMillis(now, { zone: z });
  return at.startOf('week').toMillis();
}

/** Action states that happen at a time and so get a marker on the axis. */
const TIMED = (state: string) => state !== 'skipped' && state !== 'cancelled';

/** The wall-clock hour of `t` on its day (14.5 for 14:30), 24 at or past the day's end; DST-proof. */
function wallHour(t: Millis, dayEnd: Millis, zone: string): number {
  if (t >= dayEnd) return 24;
  const dt = DateTime.fromMillis(t, { zone });
  return dt.hour + dt.minute / 60 + dt.second / 3600;
}

export function layoutWeek(views: readonly InterviewView[], options: { readonly weekStart: Millis; readonly zone: string; readonly now: Millis }): WeekLayout {
  const zone = safeZone(options.zone);
  const first = DateTime.fromMillis(options.weekStart, { zone });
  const bounds = Array.from({ length: 8 }, (_, i) => first.plus({ days: i }).toMillis());
  const dayIndex = (t: Millis): number => bounds.findIndex((b, i) => i < 7 && t >= b && t < (bounds[i + 1] as number));
  const weekEnd = bounds[7] as number;

  // Visible hours: 08:00–19:00, widened to whatever this week holds.
  let fromHour = 8;
  let toHour = 19;
  const widen = (t: Millis, until: Millis = t) => {
    const d = dayIndex(t);
    if (d < 0) return;
    const dayEnd = bounds[d + 1] as number;
    fromHour = Math.min(fromHour, Math.floor(wallHour(t, dayEnd, zone)));
    toHour = Math.max(toHour, Math.ceil(wallHour(until, dayEnd, zone)));
  };
  const inWeek = views.filter((v) => dayIndex(Date.parse(v.start)) >= 0);
  for (const v of inWeek) widen(Date.parse(v.start), Math.max(Date.parse(v.end), Date.parse(v.start)));
  for (const v of views) for (const a of v.actions) if (TIMED(a.state)) widen(Date.parse(a.dueAt));
  fromHour = Math.max(0, fromHour);
  toHour = Math.min(24, Math.max(toHour, fromHour + 1));
  // Positions follow the wall clock, so 14:00 sits at the same height on a 23- or 25-hour day.
  const position = (t: Millis, dayEnd: Millis): number => {
    const pct = ((wallHour(t, dayEnd, zone) - fromHour) / (toHour - fromHour)) * POSITION_STEPS;
    return Math.max(0, Math.min(POSITION_STEPS, Math.round(pct)));
  };

  const days: Day[] = [];
  for (let d = 0; d < 7; d++) {
    const dayStart = bounds[d] as number;
    const dayEnd = bounds[d + 1] as number;
    const todays = inWeek
      .filter((v) => dayIndex(Date.parse(v.start)) === d)
      .map((view) => ({ view, start: Date.parse(view.start), end: Math.max(Date.parse(view.end), Date.parse(view.start)) }))
      .sort((a, b) => a.start - b.start || a.view.id.localeCompare(b.view.id));
    const blocks: Block[] = [];
    // Greedy lanes per cluster of overlapping interviews.
    let cluster: { lane: number; item: (typeof todays)[number] }[] = [];
    let clusterEnd = -Infinity;
    const flush = () => {
      const lanes = Math.min(MAX_LANES, Math.max(1, ...cluster.map((c) => c.lane + 1)));
      for (const { lane, item } of cluster) {
        const top = position(item.start, dayEnd);
        const bottom = position(item.end, dayEnd);
        blocks.push({ ...item, top, length: Math.max(0, bottom - top), lane: lane % MAX_LANES, lanes });
      }
      cluster = [];
    };
    for (const item of todays) {
      if (item.start >= clusterEnd) flush();
      const busy = new Set(cluster.filter((c) => c.item.end > item.start).map((c) => c.lane));
      let lane = 0;
      while (busy.has(lane)) lane++;
      cluster.push({ lane, item });
      clusterEnd = Math.max(clusterEnd, item.end);
    }
    flush();
    const markers: Marker[] = [];
    for (const v of views) {
      for (const a of v.actions) {
        const due = Date.parse(a.dueAt);
        if (!TIMED(a.state) || due < dayStart || due >= dayEnd) continue;
        markers.push({ interviewId: v.id, title: v.title, kind: a.kind, state: a.state, dueAt: due, top: position(due, dayEnd) });
      }
    }
    markers.sort((a, b) => a.dueAt - b.dueAt);
    const isToday = options.now >= dayStart && options.now < dayEnd;
    const nowHour = wallHour(options.now, dayEnd, zone);
    days.push({
      start: dayStart,
      end: dayEnd,
      blocks,
      markers,
      today: isToday,
      now: isToday && nowHour >= fromHour && nowHour <= toHour ? position(options.now, dayEnd) : null,
    });
  }
  return { start: options.weekStart, end: weekEnd, zone, fromHour, toHour, days };
}

function hourLabels(layout: WeekLayout): { hour: number; top: number }[] {
  const out = [];
  const span = layout.toHour - layout.fromHour;
  const step = span > 14 ? 2 : 1;
  for (let h = layout.fromHour; h <= layout.toHour; h += step) out.push({ hour: h, top: Math.round(((h - layout.fromHour) / span) * POSITION_STEPS) });
  return out;
}

function chips(view: InterviewView): SafeHtml {
  return html`<span class="chips">${view.actions.map(
    (a) => html`<i class="chip ${actionStateClass(a.kind, a.state)}" title="${actionLabel(a.kind)}: ${actionStateWord(a.kind, a.state)}"></i>`,
  )}</span>`;
}

function block(b: Block, zone: string): SafeHtml {
  const v = b.view;
  const who = plain(counterpartShown(v.counterpart), 80);
  return html`<a class="iv ${interviewClass(v.status, v.outcome)} p-${b.top} l-${b.length} ln-${b.lane}-${b.lanes}" href="/interviews/${encodeURIComponent(v.id)}" data-interview="${v.id}">
<span class="iv-time">${clock(b.start, zone, 'HH:mm')}–${clock(b.end, zone, 'HH:mm')}</span>
<span class="iv-title">${plain(v.title, 120) || '(untitled)'}</span>
<span class="iv-who">${who}${v.company ? html` · ${plain(v.company, 80)}` : ''}</span>
${v.pattern ? html`<span class="flag" title="this company keeps missing calls">pattern</span>` : ''}${v.review && !v.duplicateOf ? html`<span class="flag" title="detection is not sure: open it to confirm or correct">needs review</span>` : ''}${v.counterpart.email === null ? html`<span class="flag" title="${NO_ADDRESS_NOTE}">no address</span>` : ''}${v.undelivered.length > 0 ? html`<span class="flag" title="an email to them was not delivered">not delivered</span>` : ''}${chips(v)}
</a>`;
}

function marker(m: Marker, zone: string): SafeHtml {
  const text = `${clock(m.dueAt, zone, 'HH:mm')} ${actionLabel(m.kind)}: ${actionStateWord(m.kind, m.state)} — ${plain(m.title, 80)}`;
  return html`<a class="mk ${actionStateClass(m.kind, m.state)} p-${m.top}" href="/interviews/${encodeURIComponent(m.interviewId)}" title="${text}" aria-label="${text}"></a>`;
}

const LEGEND: readonly [string, string][] = [
  ['s-due', 'due'],
  ['s-drafted', 'drafted'],
  ['s-sent', 'sent'],
  ['s-vetoed', 'vetoed'],
  ['s-kept-as-draft', 'kept as draft'],
  ['s-skipped', 'skipped'],
  ['s-failed', 'failed'],
];

export function renderWeek(layout: WeekLayout, views: readonly InterviewView[]): SafeHtml {
  const zone = layout.zone;
  const first = DateTime.fromMillis(layout.start, { zone });
  const prev = first.minus({ weeks: 1 }).toISODate();
  const next = first.plus({ weeks: 1 }).toISODate();
  const labels = hourLabels(layout);
  const days = layout.days.map(
    (d) => html`<section class="day${d.today ? ' today' : ''}">
<h2>${clock(d.start, zone, 'ccc d')}</h2>
<div class="track">
${labels.map((l) => html`<span class="gl p-${l.top}" data-h="${String(l.hour).padStart(2, '0')}"></span>`)}
${d.markers.map((m) => marker(m, zone))}
${d.blocks.map((b) => block(b, zone))}
${d.now === null ? '' : html`<span class="now p-${d.now}" title="now"></span>`}
</div>
</section>`,
  );
  const listed = layout.days.flatMap((d) => d.blocks);
  return html`<div class="week-head">
<a class="btn" href="/?week=${prev}" rel="prev">← Previous</a>
<h1>Week of ${first.toFormat('d LLLL yyyy')}</h1>
<a class="btn" href="/?week=${next}" rel="next">Next →</a>
</div>
<p class="legend">${LEGEND.map(([cls, word]) => html`<span><i class="chip ${cls}"></i>${word}</span>`)}<span><span class="flag">pattern</span> company keeps missing calls</span></p>
<div class="week">
<div class="axis">${labels.map((l) => html`<span class="hr p-${l.top}">${String(l.hour).padStart(2, '0')}:00</span>`)}</div>
${days}
</div>
${
  listed.length === 0
    ? html`<p class="empty">No phone interviews this week${views.length > 0 ? '' : ' yet'}.</p>`
    : html`<h2 class="list-head">This week</h2><ol class="ivlist">${listed.map(
        (b) => html`<li><a href="/interviews/${encodeURIComponent(b.view.id)}">${clock(b.start, zone)}</a> — ${plain(b.view.title, 120) || '(untitled)'}
<span class="badge ${interviewClass(b.view.status, b.view.outcome)}">${b.view.outcome ? OUTCOME_WORD[b.view.outcome] : b.view.status}</span>${b.view.pattern ? html` <span class="flag">pattern</span>` : ''}
<span class="acts">${b.view.actions.map((a) => html`<span class="act ${actionStateClass(a.kind, a.state)}">${actionLabel(a.kind)}: ${actionStateWord(a.kind, a.state)}</span>`)}</span></li>`,
      )}</ol>`
}`;
}
