/**
 * Writing a confirmation draft exactly once without searching the mailbox before every draft:
 * only a write that follows an unfinished one (a job that died after the mailbox stored the draft
 * and before its ref was recorded) asks the mailbox for the Message-ID first.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { interviewIdFor, messageIdFor } from '../../src/domain/ids.js';
import { beginDraftWrite, emailLockKey, getEmail, lockAndBeginDraftWrite } from '../../src/store/drafts.js';
import { key } from '../../src/store/store.js';
import { CANDIDATE, MINUTE, interviewEvent, startEngineHarness, type EngineHarness } from '../support/engine-harness.js';

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
