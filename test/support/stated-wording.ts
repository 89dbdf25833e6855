/**
 * One invitation wording as the stated-time tables hold it, and its reading: the text in one field
 * of an otherwise plain event, at a literal instant, for a candidate in New York unless said.
 */
import { statedTimeOf, type StatedTime } from '../../src/domain/stated-time.js';

const MIN = 60_000;

export interface StatedWording {
  readonly name: string;
  readonly source: string;
  readonly text: string;
  readonly field?: 'title' | 'description' | 'location';
  readonly start: string;
  readonly minutes?: number;
  readonly candidateZone?: string;
}

export function readStated(c: StatedWording): StatedTime {
  const start = Date.parse(c.start);
  const field = c.field ?? 'description';
  return statedTimeOf({
    title: field === 'title' ? c.text : 'Phone screen',
    location: field === 'location' ? c.text : '',
    description: field === 'description' ? c.text : '',
    start,
    end: start + (c.minutes ?? 30) * MIN,
    candidateZone: c.candidateZone ?? 'America/New_York',
  });
}
