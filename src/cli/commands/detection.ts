/**
 * `ringback explain` (why detection decided what it did about an event) and `ringback mark` (the
 * user settles it: phone, video or not an interview, with direction and number if they want).
 */
import type { Direction, Evidence, UserMark } from '../../domain/types.js';
import { BadInputError } from '../../errors.js';
import { markEvent, type MarkTarget } from '../../engine/mark.js';
import { safeTitle } from '../../engine/wording.js';
import { getSeen, listSeen, type SeenEvent } from '../../store/detections.js';
import { findInterview, listInterviews } from '../../store/interviews.js';
import type { Store } from '../../store/store.js';
import { printJson, say } from '../io.js';
import { MARK_DIRECTIONS } from './mark-directions.js';
import { withEngine, withRuntime, type GlobalOptions } from '../session.js';
import type { Interview } from '../../domain/types.js';

export const MARK_KINDS: readonly UserMark['kind'][] = ['phone', 'video', 'not-interview'];

type Found = { readonly interview: Interview } | { readonly seen: SeenEvent };

/** An interview or a seen event by id, unique id prefix, or words of its title. */
export async function findEvent(store: Store, query: string): Promise<Found> {
  const wanted = query.trim();
  if (wanted === '') throw new BadInputError('give an interview id or words of the title');
  const interview = await findInterview(store, wanted);
  if (interview) return { interview };
  const seenExact = await getSeen(store, wanted);
  if (seenExact) return { seen: seenExact };
  const seen = await listSeen(store);
  const byPrefix = wanted.length >= 4 ? seen.filter((s) => s.id.startsWith(wanted)) : [];
  if (byPrefix.length === 1) return { seen: byPrefix[0]! };
  const words = wanted.toLowerCase();
  const interviews = (await listInterviews(store)).filter((iv) => iv.title.toLowerCase().includes(words));
  const seenByTitle = seen.filter((s) => s.event.title.toLowerCase().includes(words) && !interviews.some((iv) => iv.id === s.id));
  const all: Found[] = [...interviews.map((iv) => ({ interview: iv })), ...seenByTitle.map((s) => ({ seen: s }))];
  if (all.length === 1) return all[0]!;
  if (all.length === 0) {
    throw new BadInputError(
      `no event matches "${safeTitle(wanted, 80)}": ids are in "ringback interviews"; events with no word about a job or a call are not kept`,
    );
  }
  const list = all.slice(0, 10).map((f) => `  ${idOf(f)}  ${safeTitle(titleOf(f), 70)}`);
  throw new BadInputError(`"${safeTitle(wanted, 80)}" matches ${all.length} events; give one id:\n${list.join('\n')}`);
}

function idOf(found: Found): string {
  return 'interview' in found ? found.interview.id : found.seen.id;
}

function titleOf(found: Found): string {
  return 'interview' in found ? found.interview.title : found.seen.event.title;
}

export interface Explanation {
  readonly id: string;
  readonly title: string;
  readonly start: string;
  readonly kind: string;
  readonly confidence: number | null;
  readonly review: boolean;
  readonly decidedBy: string;
  readonly outcome: string;
  readonly direction: Direction | null;
  readonly number: string | null;
  readonly evidence: readonly Evidence[];
}

export function explanationOf(found: Found): Explanation {
  if ('interview' in found) {
    const iv = found.interview;
    return {
      id: iv.id,
      title: iv.title,
      start: new Date(iv.start).toISOString(),
      kind: 'phone',
      confidence: iv.confidence ?? null,
      review: iv.review === true,
      decidedBy: iv.decidedBy ?? 'detection',
      outcome: iv.review === true ? 'phone interview, needs review: the confirmation stays a draft' : `phone interview (${iv.status})`,
      direction: iv.direction,
      number: iv.number,
      evidence: iv.evidence ?? [],
    };
  }
  const s = found.seen;
  return {
    id: s.id,
    title: s.event.title,
    start: new Date(s.event.start).toISOString(),
    kind: s.kind,
    confidence: s.confidence,
    review: false,
    decidedBy: 'detection',
    outcome: `not planned: ${s.reason}`,
    direction: null,
    number: null,
    evidence: s.evidence,
  };
}

export async function explainCommand(query: string, options: GlobalOptions & { json?: boolean }): Promise<void> {
  await withRuntime(options, async (runtime) => {
    const e = explanationOf(await findEvent(runtime.store, query));
    if (options.json) return printJson(e);
    say(`${e.id}  "${safeTitle(e.title, 80)}"  ${e.start}`);
    say(`  class: ${e.kind}${e.confidence === null ? '' : `, confidence ${e.confidence}`}${e.decidedBy === 'detection' ? '' : ` (decided by ${e.decidedBy === 'you' ? 'your mark' : 'a tag in the event'})`}`);
    say(`  ${e.outcome}`);
    if (e.direction !== null) say(`  who dials: ${e.direction}; number: ${e.number ?? 'none'}`);
    if (e.evidence.length === 0) say('  no evidence recorded (a tag or your mark decided, or the record predates explanations)');
    else say('  evidence (field, words, weight):');
    for (const x of e.evidence) say(`    ${x.field.padEnd(11)} ${x.weight > 0 ? `+${x.weight}` : '  '}  ${x.signal.padEnd(16)} "${safeTitle(x.text, 90)}"`);
    if (e.review || e.kind !== 'phone') say(`  settle it: ringback mark ${e.id} phone|video|not-interview`);
  });
}

export interface MarkFlags {
  readonly direction?: string;
  readonly number?: string;
}

function parseKind(value: string): UserMark['kind'] {
  if ((MARK_KINDS as readonly string[]).includes(value)) return value as UserMark['kind'];
  throw new BadInputError(`mark: "${value}" is not one of ${MARK_KINDS.join(', ')}`);
}

function parseDirection(value: string | undefined): Direction | undefined {
  if (value === undefined) return undefined;
  if ((MARK_DIRECTIONS as readonly string[]).includes(value)) return value as Direction;
  throw new BadInputError(`--direction: "${value}" is not one of ${MARK_DIRECTIONS.join(', ')}`);
}

export async function markCommand(query: string, kindText: string, flags: MarkFlags, options: GlobalOptions): Promise<void> {
  const kind = parseKind(kindText);
  const direction = parseDirection(flags.direction);
  if (kind !== 'phone' && (direction !== undefined || flags.number !== undefined)) {
    throw new BadInputError('--direction and --number only go with "phone"');
  }
  await withEngine(options, async (engine) => {
    const found = await findEvent(engine.store, query);
    const target: MarkTarget = 'interview' in found ? { interview: found.interview } : { seen: found.seen };
    const message = await markEvent(engine, target, { kind, ...(direction ? { direction } : {}), ...(flags.number !== undefined ? { number: flags.number } : {}) });
    say(message);
  });
}
