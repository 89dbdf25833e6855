/**
 * Writing a confirmation draft exactly once without searching the mailbox before every draft:
 * only a write that follows an unfinished one (a job that died after the mailbox stored the draft
 * and before its ref was recorded) asks the mailbox for the Message-ID first.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { interviewIdFor, messageIdFor } from '../../src/domain/ids.js';
import { runAction } from '../../src/engine/actions.js';
import { cancelInterview, deleteUnsentDrafts } from '../../src/engine/cancel.js';
import { beginDraftWrite, claimSend, emailLockKey, getEmail, lockAndBeginDraftWrite } from '../../src/store/drafts.js';
import { getStoredInterview } from '../../src/store/interview-writes.js';
import { releaseLease } from '../../src/store/lease.js';
import { key } from '../../src/store/store.js';
import { countRoundTrips } from '../support/round-trips.js';
import { CANDIDATE, MINUTE, draftedAhead, interviewEvent, startEngineHarness, type EngineHarness } from '../support/engine-harness.js';

let h: EngineHarness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

describe('confirmation draft written once', () => {
  it('finds the draft a job wrote before it died instead of writing a second one', async () => {
    h = await startEngineHarness();
    const start = h.now() + 3 * 60 * MINUTE;
    await h.setEvents([interviewEvent({ uid: 'w1', start })]);
    // Planned, not run yet: the workers start below.
    await h.sync();
    const id = interviewIdFor('cal', 'w1');
    const messageId = messageIdFor({ interviewId: id, kind: 'confirmation', revision: 1, domain: 'example.org' });

    // What a job that died did: began the write, and the mailbox stored the draft.
    const begun = await beginDraftWrite(h.runtime.store, id, 'confirmation', messageId, 1);
    expect(begun).toEqual({ record: null, unfinished: false });
    const mailbox = h.engine.mailbox;
    if (!mailbox) throw new Error('no mailbox');
    const ref = await mailbox.createDraft({
      messageId,
      from: { name: CANDIDATE.name, email: CANDIDATE.email },
      to: [{ name: 'Dana Whitfield', email: 'dana@acme.example' }],
      subject: 'written before the crash',
      text: 'Hello',
      html: '<p>Hello</p>',
      date: h.now(),
    });

    await h.start();
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id);
    const drafts = await h.folder('Drafts');
    expect(drafts).toHaveLength(1);
    expect(drafts[0]?.mail.subject).toBe('written before the crash');
    expect((await getEmail(h.runtime.store, id, 'confirmation'))?.ref.providerId).toBe(ref.providerId);
    // Recorded: the note of the write is gone with it, and so is the lock, in the action's last step.
    expect(await h.runtime.store.redis.exists(key(h.runtime.store, 'iv', id, 'drafts', 'writing'))).toBe(0);
    expect(await h.runtime.store.redis.exists(key(h.runtime.store, ...emailLockKey(id, 'confirmation')))).toBe(0);
  });

  it('notes a write only when no draft of the revision is recorded, and tells a second write of the same Message-ID', async () => {
    h = await startEngineHarness();
    const store = h.runtime.store;
    const first = await beginDraftWrite(store, 'iv-x', 'confirmation', '<m1@example.org>', 1);
    expect(first.unfinished).toBe(false);
    // The same write again (its job died before recording it): unfinished.
    expect((await beginDraftWrite(store, 'iv-x', 'confirmation', '<m1@example.org>', 1)).unfinished).toBe(true);
    // Another revision's Message-ID: not the same write.
    expect((await beginDraftWrite(store, 'iv-x', 'confirmation', '<m2@example.org>', 2)).unfinished).toBe(false);
  });

  it('takes the lock and begins the write in one step, and does neither while another job holds the lock', async () => {
    h = await startEngineHarness();
    const store = h.runtime.store;
    const email = { interviewId: 'iv-y', kind: 'confirmation' as const, messageId: '<m1@example.org>', revision: 1 };
    const lockKey = key(store, ...emailLockKey('iv-y', 'confirmation'));
    const writing = key(store, 'iv', 'iv-y', 'drafts', 'writing');
    expect(await lockAndBeginDraftWrite(store, email, { token: 'a:1', ttlMs: 10_000 })).toEqual({ record: null, unfinished: false });
    expect(await store.redis.get(lockKey)).toBe('a:1');
    expect(await store.redis.pttl(lockKey)).toBeGreaterThan(9_000);
    expect(await store.redis.hget(writing, 'confirmation')).toBe('<m1@example.org>');

    // Held by a:1: another job gets nothing, and notes nothing.
    await store.redis.hdel(writing, 'confirmation');
    expect(await lockAndBeginDraftWrite(store, email, { token: 'b:1', ttlMs: 10_000 })).toBeNull();
    expect(await store.redis.get(lockKey)).toBe('a:1');
    expect(await store.redis.hget(writing, 'confirmation')).toBeNull();

    // Free again: the same write begun once before is unfinished.
    await store.redis.del(lockKey);
    await store.redis.hset(writing, 'confirmation', '<m1@example.org>');
    expect(await lockAndBeginDraftWrite(store, email, { token: 'b:2', ttlMs: 10_000 })).toEqual({ record: null, unfinished: true });
  });

  it('gives the lock back when the record cannot be read, and says why', async () => {
    h = await startEngineHarness();
    const store = h.runtime.store;
    await store.redis.hset(key(store, 'iv', 'iv-z', 'drafts'), 'confirmation', '{broken');
    const email = { interviewId: 'iv-z', kind: 'confirmation' as const, messageId: '<m1@example.org>', revision: 1 };
    await expect(lockAndBeginDraftWrite(store, email, { token: 'a:1', ttlMs: 10_000 })).rejects.toThrow(/invalid token|Expected/);
    expect(await store.redis.exists(key(store, ...emailLockKey('iv-z', 'confirmation')))).toBe(0);
  });
});

describe('what a confirmation draft costs in Redis', () => {
  it('three round trips: the first reads, the lock with the draft\'s reads, the end with the look at the call', async () => {
    h = await startEngineHarness();
    const start = Math.floor((h.now() + 3 * 60 * MINUTE) / 1000) * 1000;
    const events = [0, 1].map((i) => interviewEvent({ uid: `rt-${i}`, start: start + i * 1000, organizer: { name: 'Dana Whitfield', email: `dana${i}@acme.example` } }));
    await h.setEvents(events);
    await h.sync();
    const ids = events.map((e) => interviewIdFor('cal', e.uid));
    // The first draft of a process loads what every later one finds ready; the second is the steady cost.
    expect((await runAction(h.engine, { interviewId: ids[0] ?? '', kind: 'confirmation-draft', revision: 1 })).state).toBe('done');
    const counting = countRoundTrips(h.runtime.redis);
    expect((await runAction(h.engine, { interviewId: ids[1] ?? '', kind: 'confirmation-draft', revision: 1 })).state).toBe('done');
    // The first reads (the call, its records, the mailbox's outage); the lock and the draft's
    // record, with the recipient's zone and the call index's two lookups of a first draft; the end.
    // Four round trips and nine commands while the call was looked at again in a step of its own
    // after the draft's record was stored (engine/written-meanwhile.ts): that look now rides in the
    // action's last script, which returns the call's record as it stands (store/interviews.ts).
    expect(counting.stop()).toEqual({ roundTrips: 3, commands: 8 });
    expect(await h.folder('Drafts')).toHaveLength(2);
  });
});

/**
 * The claim of a confirmation's send is one step with the look at its call (store/drafts.ts
 * claimSend): a withdrawal written between the send's look and its claim used to find the draft
 * unclaimed and unlocked, and the send went on to the mail server all the same.
 */
describe('the claim of a confirmation send', () => {
  it('is refused once the call was withdrawn after the send read it; a withdrawal after the claim leaves the draft to the send', async () => {
    h = await startEngineHarness();
    const harness = h;
    const store = harness.runtime.store;
    const { id } = await draftedAhead(harness, 'claimed', 3 * 60 * MINUTE);
    const record = await getEmail(store, id, 'confirmation');
    const read = await getStoredInterview(store, id);
    if (!record || !read) throw new Error('the interview and its draft were not recorded');
    const lockKey = key(store, ...emailLockKey(id, 'confirmation'));
    const claimKey = key(store, 'claim', record.ref.messageId);
    const claim = (token: string) =>
      claimSend(store, { interviewId: id, kind: 'confirmation', messageId: record.ref.messageId, read: read.raw, owner: 'sender' }, { token, ttlMs: 10_000 });

    // Another job holds the draft's lock: nothing is claimed.
    await store.redis.set(lockKey, 'writer', 'PX', 10_000);
    expect(await claim('send:1')).toBe('busy');
    expect(await store.redis.exists(claimKey)).toBe(0);
    await store.redis.del(lockKey);

    expect(await claim('send:1')).toBe('first');
    expect(await store.redis.get(lockKey)).toBe('send:1');

    // Withdrawn while the claimed send is under way, before it handed the draft over: the draft is
    // left to the send, which looks at the call once more before the mail server and deletes it
    // itself (confirmation-while-withdrawn.int.test.ts); nothing says it is being sent.
    await cancelInterview(harness.engine, read.interview, 'cancelled', 'the organizer cancelled it');
    expect(await harness.folder('Drafts')).toHaveLength(1);
    expect((await getEmail(store, id, 'confirmation'))?.state).toBe('draft');
    await harness.waitForAudit((r) => r.interviewId === id && r.type === 'cancelled');
    expect((await harness.audit(id)).filter((r) => r.message.includes('already being sent'))).toEqual([]);

    // The send's process stopped before the mail server took it (its lock is gone): the draft is deleted then.
    await releaseLease(store, emailLockKey(id, 'confirmation'), 'send:1');
    const cancelled = (await getStoredInterview(store, id))?.interview;
    if (!cancelled) throw new Error('the interview is gone');
    expect(await deleteUnsentDrafts(harness.engine, cancelled)).toBe(1);
    expect(await harness.folder('Drafts')).toHaveLength(0);

    // A send that read the call before the withdrawal: refused, with neither claim nor lock taken.
    await store.redis.del(claimKey);
    expect(await claim('send:2')).toBe('changed');
    expect(await store.redis.exists(claimKey)).toBe(0);
    expect(await store.redis.exists(lockKey)).toBe(0);
  });
});
