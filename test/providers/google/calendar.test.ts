/**
 * The address of `events.list`, built without googleapis (src/providers/google/calendar.ts): the
 * same URL the library requests, for calendar ids with characters that need encoding and for a
 * root with a path of its own. The library's URL is read from what it hands to the OAuth client.
 */
import { calendar_v3 } from 'googleapis/build/src/apis/calendar/index.js';
import { describe, expect, it } from 'vitest';
import { eventsUrl } from '../../../src/providers/google/calendar.js';

/** The URL googleapis' `events.list` asks its OAuth client to fetch. */
async function libraryUrl(root: string | undefined, calendarId: string): Promise<string> {
  let url: string | undefined;
  const auth = {
    getUniverseDomain: async () => 'googleapis.com',
    request: async (options: { url: string }) => {
      url = String(options.url);
      return { data: {} };
    },
  };
  const api = new calendar_v3.Calendar({ auth: auth as unknown as calendar_v3.Options['auth'], ...(root ? { rootUrl: root } : {}) });
  await api.events.list({ calendarId });
  if (url === undefined) throw new Error('googleapis sent no request');
  return url;
}

const IDS = [
  'primary',
  'ada@example.org',
  'en.usa#holiday@group.v.calendar.google.com',
  "it's (mine)*! / ü ?&=+",
  'c_0123abcd@group.calendar.google.com',
];

describe('eventsUrl', () => {
  for (const root of [undefined, 'http://127.0.0.1:4567/', 'http://127.0.0.1:4567/some/prefix/']) {
    for (const id of IDS) {
      it(`is googleapis' URL for ${JSON.stringify(id)} under ${root ?? 'the default root'}`, async () => {
        expect(eventsUrl(root ?? 'https://www.googleapis.com/', id)).toBe(await libraryUrl(root, id));
      });
    }
  }

  it('encodes every reserved character of a calendar id', () => {
    expect(eventsUrl('https://www.googleapis.com/', "a b/c@d#e?f&g!h'i(j)k*l")).toBe(
      'https://www.googleapis.com/calendar/v3/calendars/a%20b%2Fc%40d%23e%3Ff%26g%21h%27i%28j%29k%2Al/events',
    );
  });
});
