/**
 * `ringback explain` (why detection decided what it did about an event) and `ringback mark` (the
 * user settles it: phone, video or not an interview, with direction and number if they want).
 */
import type { Direction, UserMark } from '../../domain/types.js';
import { BadInputError } from '../../errors.js';
import { markEvent, type MarkTarget } from '../../engine/mark.js';
import { safeTitle } from '../../engine/wording.js';
import { isMarkKind, MARK_DIRECTIONS, MARK_KINDS } from '../../domain/outcomes.js';
import { explanationOf, findEvent } from '../../read/explain.js';
import { printJson, say } from '../io.js';
import { withEngine, withRuntime, type GlobalOptions } from '../session.js';

export async function explainCommand(query: string, options: GlobalOptions & { json?: boolean }): Promise<void> {
  await withRuntime(options, async (runtime) => {
    const e = explanationOf(await findEvent(runtime.store, query));
    if (options.json) return printJson(e);
    say(`${e.id}  "${safeTitle(e.title, 80)}"  ${e.start}`);
    say(`  class: ${e.kind}${e.confidence === null ? '' : `, confidence ${e.confidence}`}${e.decidedBy === 'detection' ? '' : ` (decided by ${e.decidedBy === 'you' ? 'your mark' : 'a tag in the event'})`}`);
    say(`  ${e.outcome}`);
    if (e.check !== null) say(`  ${e.check}`);
    if (e.timeRead !== null) say(`  time: ${e.timeRead}`);
    if (e.direction !== null) {
      say(e.dialIn ? `  who dials: ${e.direction}, dialling in to the meeting's bridge; number: none (its number and ID are in the invitation)` : `  who dials: ${e.direction}; number: ${e.number ?? 'none'}`);
    }
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
  if (isMarkKind(value)) return value;
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
