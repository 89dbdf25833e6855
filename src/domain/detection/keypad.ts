/**
 * "Enter the access code and press #", "press 1", "press the pound key": a bridge's prompt names a
 * key on the phone's keypad, and its "press" is no press interview. Held-out round 22: a Webex phone
 * screen's "press # when you are asked for an attendee ID" counted against the interview as a
 * reporter's call would, and left a clear phone screen needing review.
 */
import type { Hit } from './words.js';

/** What follows "press" when it is a key: "#", "*", one digit, "(the) pound / hash / star (key)". */
const KEY_AFTER = /^\s*(?:[#*]|\d(?!\d)|(?:the\s+)?(?:pound|hash|star)\b)/;

/** `hits` of the line `text` without a "press" that is followed by a key of the keypad. */
export function withoutKeypadPress(hits: Hit[], text: string): Hit[] {
  if (!hits.some((h) => h.phrase === 'press')) return hits;
  return hits.filter((h) => h.phrase !== 'press' || !KEY_AFTER.test(text.slice(h.end, h.end + 24)));
}
