/** The pre-call brief of one interview, as `ringback brief` prints it and the interview page shows it. */
import type { ResolvedConfig } from '../../config/types.js';
import { composeBrief } from '../domain/brief.js';
import { availableUntilFor } from '../domain/compose.js';
import type { Interview, Millis } from '../domain/types.js';
import { getCompany } from '../store/companies.js';
import { nextBusyStart } from '../store/events.js';
import type { Store } from '../store/store.js';
import { counterpartZone } from '../store/zones.js';

/** Reads the company's record and the zone the user set, then composes the brief as of `now`. */
export async function briefFor(store: Store, config: Pick<ResolvedConfig, 'candidate' | 'timing' | 'calendars'>, interview: Interview, now: Millis): Promise<string> {
  const company = interview.company ? await getCompany(store, interview.company) : null;
  const { waitMinutes, giveUpMinutes } = config.timing;
  // The no-show note written at T + wait promises no time past the next call (engine/followups.ts):
  // the brief, read before the call, reads the same busy times, up to the note's own promise.
  const noteAt = interview.start + waitMinutes * 60_000;
  const promised = availableUntilFor({ availableUntil: interview.start + giveUpMinutes * 60_000, now: noteAt });
  const nextBusy = await nextBusyStart(store, config.calendars.map((calendar) => calendar.id), noteAt, promised);
  return composeBrief({
    interview,
    candidate: config.candidate,
    history: {
      interviewerNoShows: company?.noShows.length ?? 0,
      candidateMisses: company?.candidateMisses.length ?? 0,
      pattern: company?.pattern ?? false,
    },
    now,
    giveUpMinutes,
    waitMinutes,
    zoneSet: await counterpartZone(store, { email: interview.counterpart.email, company: interview.company }),
    nextBusy,
  });
}
