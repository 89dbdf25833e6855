/**
 * The candidate travels and the confirmation drafts in Drafts follow at once: what the user reviews
 * is what will go. `candidate.timezone` changes from New York to Lisbon while two confirmations
 * wait in Drafts, one as ringback wrote it and one the user edited. On start, the first is written
 * again on the new clock (and goes out as it now reads); the edited one is left as the user wrote it
 * and the audit tells them, once. Real Redis and workers, the ics source and the Maildir.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { interviewIdFor } from '../../src/domain/ids.js';
import { reconcile } from '../../src/engine/reconcile.js';
import { clockWithZone } from '../../src/domain/zones.js';
import { MINUTE, interviewEvent, startEngineHarness, type EngineHarness, type MailFile } from '../support/engine-harness.js';

const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const LISBON = 'Europe/Lisbon';
const NEW_YORK = 'America/New_York';
let h: EngineHarness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

const flat = (text: string | undefined): string => (text ?? '').replace(/\s+/g, ' ');
const of = (files: readonly MailFile[], id: string, kind: string): MailFile | undefined => files.find((f) => f.mail.messageId?.includes(`${id}.${kind}.`));

describe('the candidate changes zone while confirmations wait in Drafts', () => {
  it('rewrites the draft left as written on the new clock at once, and leaves an edited one with a word to the user', async () => {
    const harness = await startEngineHarness({ timing: { confirmLeadMinutes: 60 } });
    h = harness;
    const base = Math.ceil((harness.now() + HOUR) / DAY) * DAY + 14 * HOUR;
    await harness.advance(base - harness.now());
    const left = base + 3 * HOUR;
    const edited = base + 4 * HOUR;
    await harness.setEvents([
      interviewEvent({ uid: 'left', start: left, organizer: { name: 'Sam Ortiz', email: 'sam@globex.example' }, attendees: [{ name: 'Ada Park', email: 'ada@example.org', status: 'accepted' }, { name: 'Sam Ortiz', email: 'sam@globex.example', status: 'accepted' }], title: 'Phone screen with Sam (Globex)', description: 'Sam will call you.' }),
      interviewEvent({ uid: 'edited', start: edited, organizer: { name: 'Kim Roy', email: 'kim@umbrella.example' }, attendees: [{ name: 'Ada Park', email: 'ada@example.org', status: 'accepted' }, { name: 'Kim Roy', email: 'kim@umbrella.example', status: 'accepted' }], title: 'Phone screen with Kim (Umbrella)', description: 'Kim will call you.' }),
    ]);
    await harness.sync();
    await harness.start();
    const [l, e] = ['left', 'edited'].map((uid) => interviewIdFor('cal', uid)) as [string, string];
    await harness.waitForAudit((r) => r.type === 'drafted' && r.interviewId === l);
    await harness.waitForAudit((r) => r.type === 'drafted' && r.interviewId === e);
    const mine = of(await harness.folder('Drafts'), e, 'confirmation');
    await writeFile(mine?.path as string, (await readFile(mine?.path as string, 'utf8')).replaceAll('I look forward', 'P.S. edited by Ada. I look forward'));
    expect(flat(of(await harness.folder('Drafts'), l, 'confirmation')?.mail.text)).toContain(clockWithZone(left, NEW_YORK));

    await harness.reopenWith({ timezone: LISBON });
    await harness.start();
    // The start's reconcile: the draft left as written now reads the new clock, in Drafts, before its send.
    const rewritten = await harness.waitForAudit((r) => r.type === 'drafted' && r.interviewId === l && r.message.includes(LISBON));
    expect(rewritten.message).toContain(clockWithZone(left, LISBON));
    const drafts = await harness.folder('Drafts');
    const now = of(drafts, l, 'confirmation');
    expect(flat(now?.mail.text)).toContain(clockWithZone(left, LISBON));
    expect(flat(now?.mail.text)).not.toContain('Eastern');
    expect(now?.mail.subject).toContain(clockWithZone(left, LISBON));
    // Still one draft of it: written again in place, not beside.
    expect(drafts.filter((f) => f.mail.messageId?.includes(`${l}.confirmation.`))).toHaveLength(1);

    // The edited draft keeps the user's words and the old clock; the user is told, once.
    const told = await harness.waitForAudit((r) => r.type === 'kept-as-draft' && r.interviewId === e);
    expect(told.message).toContain('you changed');
    expect(told.message).toContain(clockWithZone(edited, NEW_YORK));
    expect(told.message).toContain(clockWithZone(edited, LISBON));
    const theirs = flat(of(await harness.folder('Drafts'), e, 'confirmation')?.mail.text);
    expect(theirs).toContain('P.S. edited by Ada.');
    expect(theirs).toContain(clockWithZone(edited, NEW_YORK));
    await reconcile(harness.engine);
    expect((await harness.audit(e)).filter((r) => r.type === 'kept-as-draft' && r.message.includes('you changed'))).toHaveLength(1);

    // Each goes as it stands in Drafts now.
    await harness.advance(left - HOUR + MINUTE - harness.now());
    await harness.waitForAudit((r) => r.type === 'sent' && r.interviewId === l);
    const sent = of(await harness.folder('Sent'), l, 'confirmation');
    expect(flat(sent?.mail.text)).toBe(flat(now?.mail.text));
    await harness.advance(edited - HOUR + MINUTE - harness.now());
    await harness.waitForAudit((r) => r.type === 'sent' && r.interviewId === e);
    expect(flat(of(await harness.folder('Sent'), e, 'confirmation')?.mail.text)).toContain('P.S. edited by Ada.');
  });
});
