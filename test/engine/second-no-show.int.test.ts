/**
 * A company's second no-show recorded while the note about its first is still a draft: two calls
 * with Acme the same day, neither called. The user records the first as a no-show and keeps its
 * note in Drafts, unsent; the second gets the note for a second miss, and recording it flags the
 * company. Guard (passed before this change): written to pin what the user finds in Drafts then.
 * Real Redis and workers, the ics source, the Maildir.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { interviewIdFor } from '../../src/domain/ids.js';
import { recordOutcome } from '../../src/engine/outcome.js';
import { getCompany } from '../../src/store/companies.js';
import { MINUTE, interviewEvent, startEngineHarness, type EngineHarness } from '../support/engine-harness.js';

const HOUR = 60 * MINUTE;
let h: EngineHarness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

async function noteOf(harness: EngineHarness, id: string) {
  return (await harness.folder('Drafts')).find((f) => f.mail.messageId?.includes(`${id}.noshow.`));
}

describe('a second no-show at a company while the note about the first is still a draft', () => {
  it('keeps the first note as the user left it, writes the second as a second miss, and flags the company once', async () => {
    h = await startEngineHarness({ timing: { confirmLeadMinutes: 15, waitMinutes: 15, giveUpMinutes: 30, bufferMinutes: 30 } });
    const first = Math.floor((h.now() + 2 * HOUR) / MINUTE) * MINUTE;
    const second = first + 3 * HOUR;
    await h.setEvents([interviewEvent({ uid: 'acme-1', start: first }), interviewEvent({ uid: 'acme-2', start: second })]);
    await h.sync();
    await h.start();
    const a = interviewIdFor('cal', 'acme-1');
    const b = interviewIdFor('cal', 'acme-2');

    await h.advance(first - 15 * MINUTE - h.now());
    await h.waitForAudit((r) => r.type === 'sent' && r.interviewId === a);
    // Nobody calls at the first time: the note offers new times; the user records the miss and keeps the note.
    await h.advance(30 * MINUTE + 1000);
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === a && r.message.includes('no-show'));
    const firstNote = await noteOf(h, a);
    expect(firstNote?.mail.text).toMatch(/would one of these suit you\?/);
    await recordOutcome(h.engine, a, 'interviewer-no-show', 'cli');

    await h.advance(second - 15 * MINUTE - h.now());
    await h.waitForAudit((r) => r.type === 'sent' && r.interviewId === b);
    // Nobody calls at the second time either: this note says it is the second time and asks them to call.
    await h.advance(30 * MINUTE + 1000);
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === b && r.message.includes('no-show'));
    const secondNote = await noteOf(h, b);
    const text = (secondNote?.mail.text ?? '').replace(/\s+/g, ' ');
    expect(text).toContain('This is the second time our call has not worked out');
    expect(text).toContain('call me at +1 415-555-0100');
    expect(text).not.toMatch(/would one of these suit you/);
    expect(text.split(' ').length).toBeLessThanOrEqual(100);

    await recordOutcome(h.engine, b, 'interviewer-no-show', 'cli');
    const flagged = await h.waitForAudit((r) => r.type === 'escalation' && r.interviewId === b);
    expect(flagged.message).toContain('has now missed 2 calls: flagged as a pattern');
    expect((await h.audit()).filter((r) => r.type === 'escalation' && r.message.includes('pattern'))).toHaveLength(1);
    const company = await getCompany(h.runtime.store, 'acme.example');
    expect(company.noShows).toEqual([a, b]);
    expect(company.pattern).toBe(true);
    // Both notes are still there, the first as it was through its give-up time and the hours
    // after, each the user's to send; neither was sent by ringback, and nothing was missed.
    expect((await noteOf(h, a))?.mail.text).toBe(firstNote?.mail.text);
    expect(await noteOf(h, b)).toBeDefined();
    expect((await h.folder('Sent')).filter((f) => f.mail.messageId?.includes('.noshow.'))).toEqual([]);
    expect((await h.audit()).filter((r) => r.type === 'missed')).toEqual([]);
  }, 60_000);
});
