/**
 * The HTML bodies of Outlook and Google Calendar events → text. A body is the organizer's to
 * write, and the converters read it whole before it is cut to size: 64 KB of "<", or of spaces
 * without a line break, held the daemon, and every account it serves, for seconds (a regular
 * expression retried from each start). Vitest's limit fails the old converters by far.
 */
import { describe, expect, it } from 'vitest';
import { plainText } from '../../src/providers/google/calendar-events.js';
import { htmlToText } from '../../src/providers/microsoft/calendar-events.js';

const SIZE = 64 * 1024;
const hostile = {
  lessThan: '<'.repeat(SIZE),
  openTags: '<a'.repeat(SIZE / 2),
  breaks: '<br'.repeat(SIZE / 3),
  comments: '<!--'.repeat(SIZE / 4),
  scripts: '<script'.repeat(SIZE / 7),
  styles: '<style>'.repeat(SIZE / 7),
  spaces: ' \t'.repeat(SIZE / 2) + 'x',
};

describe('htmlToText (Outlook)', () => {
  it('reads a body as before', () => {
    expect(htmlToText('<html><head><style>p{}</style></head><body><p>Dana calls&nbsp;you &amp; Ada</p>  \n<script>x()</script>at <b>+1 415 555 0100</b><br/>ok</body></html>')).toBe(
      'Dana calls you & Ada\n\nat +1 415 555 0100\nok',
    );
    expect(htmlToText('a < b and <script>never closed <p>x</p>')).toBe('a never closed x');
    expect(htmlToText('<style>a</style  ><style>b</style>left<tr>\t\n</tr >\n\n\n\nend &bogus; &#x41;')).toBe('left\n\nend &bogus; A');
  });

  it('reads hostile bodies in time proportional to their length', { timeout: 5_000 }, () => {
    for (const body of Object.values(hostile)) expect(htmlToText(body).length).toBeLessThanOrEqual(body.length);
    expect(htmlToText(hostile.lessThan)).toBe(hostile.lessThan);
    expect(htmlToText(hostile.spaces)).toBe('x');
  });
});

describe('plainText (Google Calendar)', () => {
  it('reads a description as before', () => {
    expect(plainText('Dana will call you<br>at <a href="tel:+14155550100">+1 415 555 0100</a></p>&lt;ok&gt;')).toBe('Dana will call you\nat +1 415 555 0100\n<ok>');
    expect(plainText('1 < 2 and 3 > 2')).toBe('1 < 2 and 3 > 2');
    expect(plainText('a <b and c')).toBe('a <b and c');
  });

  it('reads hostile descriptions in time proportional to their length', { timeout: 5_000 }, () => {
    for (const body of Object.values(hostile)) expect(plainText(body).length).toBeLessThanOrEqual(body.length);
    expect(plainText(hostile.openTags)).toBe(hostile.openTags);
    expect(plainText(hostile.styles)).toBe('');
  });
});
