/**
 * The user sets the recipient's time zone (`ringback company zone`, the dashboard) after the call's
 * confirmation was drafted, or after it went out. Walked with the real Redis, the real workers, the
 * ics file and the Maildir of the harness, and read as the interviewer receives it.
 *
 * Before: the zone was in no record of the confirmation, so a draft written before it left without
 * the recipient's time ("emails written from now on show their time too"), and a change of the call
 * after a confirmation went out without it took the new one as word for word the first.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { interviewIdFor } from '../../src/domain/ids.js';
import { setCounterpartZoneFor } from '../../src/engine/company.js';
import type { AuditRecord } from '../../src/store/audit.js';
import { getEmail, saveEmail } from '../../src/store/drafts.js';
import { setCounterpartZone } from '../../src/store/zones.js';
import { MINUTE, interviewEvent, startEngineHarness, type EngineHarness, type MailFile } from '../support/engine-harness.js';

const TIMING = { confirmLeadMinutes: 60, minLeadMinutes: 10, reviewMinutes: 5 };
const second = (ms: number) => Math.floor(ms / 1000) * 1000;
const confirmations = (files: MailFile[], id: string) => files.filter((f) => f.mail.messageId?.includes(`${id}.confirmation.`));
/** What the confirmation adds for a recipient in Chicago: their clock, "(… Central for you)". */
const THEIR_TIME = /\(\d{1,2}:\d{2} [AP]M Central for you\)/;

/** The audit's `nth` (from 1) 'drafted' or 'skipped' line of the confirmation draft, once there. */
async function confirmationWord(harness: EngineHarness, id: string, nth: number): Promise<AuditRecord> {
  for (let tries = 0; tries < 200; tries++) {
    const words = (await harness.audit(id)).filter((r) => (r.type === 'drafted' || r.type === 'skipped') && r.message.startsWith('confirmation draft'));
    const word = words[nth - 1];
    if (word) return word;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no word ${nth} on the confirmation draft in 20 s`);
}

let h: EngineHarness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

/** A call 61 minutes ahead (UTC, no zone of the organizer's), its confirmation drafted without the recipient's time. */
async function drafted(uid: string): Promise<{ harness: EngineHarness; id: string; start: number }> {
  const harness = await startEngineHarness({ timing: TIMING });
  h = harness;
  const start = second(harness.now() + 61 * MINUTE);
  await harness.setEvents([interviewEvent({ uid, start })]);
  await harness.start();
  await harness.sync();
  const id = interviewIdFor('cal', uid);
  await harness.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id);
  const [draft] = confirmations(await harness.folder('Drafts'), id);
  expect(draft?.mail.text).not.toMatch(THEIR_TIME);
  return { harness, id, start };
}

describe("the recipient's zone set after the confirmation was drafted", () => {
  it('the draft, as ringback wrote it, leaves with their time, also when it could not be written again when the zone was set', async () => {
    const { harness, id } = await drafted('zone-after-draft-1');

    // Set where the draft was not written again at once (the store alone: the mailbox down then).
    await setCounterpartZone(harness.runtime.store, 'acme.example', 'America/Chicago');
    await harness.advance(5 * MINUTE + 1_000);
    await harness.waitForAudit((r) => r.type === 'sent' && r.interviewId === id);

    const [sent] = confirmations(await harness.folder('Sent'), id);
    expect(sent?.mail.text).toMatch(THEIR_TIME);
    expect(sent?.mail.subject).toMatch(/^Confirming our phone interview /);
    expect(confirmations(await harness.folder('Drafts'), id)).toEqual([]);
    // What it said is recorded with the zone: a later change compares with what they were sent.
    expect((await getEmail(harness.runtime.store, id, 'confirmation'))?.theirZone).toBe('America/Chicago');
  });

  it('the draft in Drafts shows their time at once, so that what the user reviews is what goes', async () => {
    const { harness, id } = await drafted('zone-after-draft-4');

    await setCounterpartZoneFor(harness.engine, 'acme.example', 'America/Chicago');

    const [draft] = confirmations(await harness.folder('Drafts'), id);
    expect(draft?.mail.text).toMatch(THEIR_TIME);
    const said = (await harness.audit(id)).filter((r) => r.message.startsWith('confirmation draft written again with their time'));
    expect(said.map((r) => r.message)).toEqual(['confirmation draft written again with their time (America/Chicago), as you set it for them']);
    expect((await getEmail(harness.runtime.store, id, 'confirmation'))?.theirZone).toBe('America/Chicago');
    // Removed again: written again without it.
    await setCounterpartZoneFor(harness.engine, 'acme.example', null);
    expect(confirmations(await harness.folder('Drafts'), id)[0]?.mail.text).not.toMatch(THEIR_TIME);
  });

  // Guard for what is sent (passed before the change): the user's edits win; the audit line is new.
  it('a draft the user changed leaves as they wrote it', async () => {
    const { harness, id } = await drafted('zone-after-draft-2');
    const [draft] = confirmations(await harness.folder('Drafts'), id);
    await harness.userEdits(draft!.path, 'Hi Dana,\n\nSpeak soon at 3 PM my time.\n\nAda');

    await setCounterpartZoneFor(harness.engine, 'acme.example', 'America/Chicago');
    expect((await harness.audit(id)).filter((r) => r.type === 'kept-as-draft').map((r) => r.message)).toEqual([
      'you changed the confirmation draft, so it is left as you wrote it: it does not show their time in America/Chicago; it is sent as it stands in Drafts',
    ]);
    await harness.advance(5 * MINUTE + 1_000);
    await harness.waitForAudit((r) => r.type === 'sent' && r.interviewId === id);

    const [sent] = confirmations(await harness.folder('Sent'), id);
    expect(sent?.mail.text?.trim()).toBe('Hi Dana,\n\nSpeak soon at 3 PM my time.\n\nAda');
  });

  // Guard (passed before the change): a record of an earlier version, which kept no zone, is left as it stands after an upgrade.
  it('a draft whose record is of an earlier version (no zone kept) leaves as it stands', async () => {
    const { harness, id } = await drafted('zone-after-draft-3');
    const record = await getEmail(harness.runtime.store, id, 'confirmation');
    const { theirZone: _kept, ...earlier } = record!;
    await saveEmail(harness.runtime.store, id, earlier);

    await setCounterpartZoneFor(harness.engine, 'acme.example', 'America/Chicago');
    await harness.advance(5 * MINUTE + 1_000);
    await harness.waitForAudit((r) => r.type === 'sent' && r.interviewId === id);

    const [sent] = confirmations(await harness.folder('Sent'), id);
    expect(sent?.mail.text).not.toMatch(THEIR_TIME);
  });
});

describe("the recipient's zone set after the confirmation went out, then the call made longer", () => {
  it('writes a new confirmation draft with their time, as a new number in the config does', async () => {
    const { harness, id, start } = await drafted('zone-after-sent-1');
    await harness.advance(5 * MINUTE + 1_000);
    await harness.waitForAudit((r) => r.type === 'sent' && r.interviewId === id);
    expect(confirmations(await harness.folder('Sent'), id)[0]?.mail.text).not.toMatch(THEIR_TIME);

    await setCounterpartZoneFor(harness.engine, 'acme.example', 'America/Chicago');
    await harness.setEvents([interviewEvent({ uid: 'zone-after-sent-1', start, end: start + 45 * MINUTE })]);
    await harness.sync();

    // The second word on the confirmation after the first draft: written, or skipped as nothing new.
    const second = await confirmationWord(harness, id, 2);
    expect(second.type).toBe('drafted');
    const [draft] = confirmations(await harness.folder('Drafts'), id);
    expect(draft?.mail.text).toMatch(THEIR_TIME);
  });
});

describe('the candidate changes zone while the confirmation waits in Drafts, then the call is made longer after it went out', () => {
  it('writes no second confirmation: the one sent, written again on the new clock, is what it would say', async () => {
    const { harness, id, start } = await drafted('travel-then-longer-1');
    await harness.reopenWith({ timezone: 'Europe/Lisbon' });
    await harness.start();
    expect((await confirmationWord(harness, id, 2)).message).toMatch(/^confirmation draft written again on your new time zone, Europe\/Lisbon/);
    await harness.advance(5 * MINUTE + 1_000);
    await harness.waitForAudit((r) => r.type === 'sent' && r.interviewId === id);

    await harness.setEvents([interviewEvent({ uid: 'travel-then-longer-1', start, end: start + 45 * MINUTE })]);
    await harness.sync();

    // Before, its record kept the digest of the draft as first written, on New York's clock, and
    // the change wrote a second confirmation, word for word the one sent, for the user to delete.
    expect((await confirmationWord(harness, id, 3)).type).toBe('skipped');
    expect(confirmations(await harness.folder('Drafts'), id)).toEqual([]);
  });
});
