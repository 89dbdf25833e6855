/**
 * A phone interview held on a Teams bridge (the held-out invitation ho9-teams-audio-only, modelled on
 * https://jeffbrown.tech/understanding-microsoft-teams-audio-conferencing-dial-out-capabilities/): it
 * is listed as one the candidate dials in to, `explain` says so, and the confirmation says the
 * candidate will dial in. When the interviewer then writes that they will call the candidate's cell
 * instead, the dial-in is gone from the record and the list. Real Redis, real workers, the ics source
 * and the Maildir.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { interviewIdFor } from '../../src/domain/ids.js';
import { explanationOf, findEvent } from '../../src/read/explain.js';
import { interviewViews } from '../../src/read/interviews.js';
import { getInterview } from '../../src/store/interviews.js';
import type { HarnessEvent } from '../providers/calendar/contract.js';
import { MINUTE, startEngineHarness, type EngineHarness } from '../support/engine-harness.js';

const HOUR = 60 * MINUTE;
let h: EngineHarness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

// The block Teams appends (https://github.com/thiagobeier/thebeier.github.io, as in bench/detection/holdout.yaml).
const TEAMS = [
  '________________________________________________________________________________',
  'Microsoft Teams meeting',
  'Join on your computer, mobile app or room device',
  'Click here to join the meeting<https://teams.microsoft.com/l/meetup-join/19%3ameeting_Zm9vYmFy%40thread.v2/0>',
  'Meeting ID: 245 118 903 217',
  'Passcode: q7Rx2B',
  'Or call in (audio only)',
  '+1 872-555-0148,,618203945#   United States, Chicago',
  'Phone Conference ID: 618 203 945#',
  '________________________________________________________________________________',
].join('\n');

function event(start: number, sentence: string): HarnessEvent {
  return {
    uid: 'teams-audio',
    title: 'Phone interview - Ada Park / Greystone Insurance',
    start,
    end: start + 30 * MINUTE,
    description: `${sentence}\n\n${TEAMS}`,
    organizer: { name: 'Arjun Mehta', email: 'arjun.mehta@greystone.example' },
    attendees: [
      { name: 'Arjun Mehta', email: 'arjun.mehta@greystone.example', status: 'accepted' },
      { name: 'Ada Park', email: 'ada@example.org', status: 'accepted' },
    ],
  };
}

describe('a phone interview on a meeting bridge', () => {
  it('is one the candidate dials in to, in the list, in explain and in the confirmation; a later "I will call your cell" ends it', async () => {
    const harness = await startEngineHarness({ timing: { confirmLeadMinutes: 15 } });
    h = harness;
    const start = Math.floor((harness.now() + 2 * HOUR) / 1000) * 1000;
    await harness.setEvents([event(start, 'Hi Ada, our phone interview will be audio only. Please call in with the Teams number below and enter the conference ID; no camera needed.')]);
    await harness.start();
    await harness.sync();
    const id = interviewIdFor('cal', 'teams-audio');

    const detected = await harness.waitForAudit((r) => r.type === 'detected' && r.interviewId === id);
    expect(detected.message).toContain("you dial in to the meeting's bridge");
    const [view] = (await interviewViews(harness.runtime.store)).filter((v) => v.id === id);
    expect(view).toMatchObject({ direction: 'candidate-calls', number: null, dialIn: true });

    const explained = explanationOf(await findEvent(harness.runtime.store, id));
    expect(explained).toMatchObject({ direction: 'candidate-calls', number: null, dialIn: true });
    expect(explained.evidence.some((e) => e.text.includes("a sentence asks you to dial in to the meeting's bridge"))).toBe(true);

    await harness.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id);
    const confirmation = (await harness.folder('Drafts')).find((f) => f.mail.messageId?.includes(`${id}.confirmation`));
    expect(confirmation?.mail.text).toContain('I will dial in with the number and meeting ID from the invitation at that time.');
    expect(confirmation?.mail.text).not.toMatch(/best number|for your call/);

    await harness.setEvents([event(start, 'Hi Ada, the Teams details below were added automatically; please ignore them. I will call you on your cell at 415-555-0100.')]);
    await harness.sync();
    const after = await getInterview(harness.runtime.store, id);
    expect(after).toMatchObject({ direction: 'interviewer-calls', number: '+14155550100', revision: 2 });
    expect(after?.dialIn).toBeUndefined();
    const [listed] = (await interviewViews(harness.runtime.store)).filter((v) => v.id === id);
    expect(listed?.dialIn).toBe(false);
  });
});
