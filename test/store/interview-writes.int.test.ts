/**
 * The one way the engine writes an interview's record (src/store/interview-writes.ts), against a
 * real Redis: a change is made on the record as stored and written only over the bytes it was read
 * from, in whatever form they are (deflated, or plain JSON written by an earlier version); a new
 * record never replaces one that exists.
 */
import { describe, expect, it } from 'vitest';
import { createInterviews, getStoredInterview, saveInterviewIfUnchanged, updateInterview } from '../../src/store/interview-writes.js';
import { getInterview, listInterviewIds, saveInterview } from '../../src/store/interviews.js';
import { key } from '../../src/store/store.js';
import { AT, storedInterview } from '../support/interview-record.js';
import { useTestStore } from '../support/store.js';

const t = useTestStore('interview-writes');

const T = AT;
const interview = storedInterview;

describe('writing an interview record', () => {
  it('changes a record of an earlier version (plain JSON) as it is, and stores it in the current form', async () => {
    const id = 'ivwrites0001';
    const old = interview(id);
    await t.redis.set(key(t.store, 'iv', id), JSON.stringify(old));
    const written = await updateInterview(t.store, id, (current) => ({ ...current, outcome: 'held', outcomeSource: 'cli' }));
    expect(written?.before).toEqual(old);
    expect(await getInterview(t.store, id)).toEqual({ ...old, outcome: 'held', outcomeSource: 'cli' });
    expect((await t.redis.getBuffer(key(t.store, 'iv', id)))?.[0]).not.toBe('{'.charCodeAt(0));
  });

  it('refuses a write over bytes that changed or went since they were read', async () => {
    const id = 'ivwrites0002';
    await saveInterview(t.store, interview(id));
    const read = await getStoredInterview(t.store, id);
    if (!read) throw new Error('no record');
    await updateInterview(t.store, id, (current) => ({ ...current, outcome: 'interviewer-no-show', outcomeSource: 'dashboard' }));
    expect(await saveInterviewIfUnchanged(t.store, read, { ...read.interview, start: T + 3_600_000 })).toBe(false);
    expect(await getInterview(t.store, id)).toMatchObject({ start: T, outcome: 'interviewer-no-show' });

    const again = await getStoredInterview(t.store, id);
    await t.redis.del(key(t.store, 'iv', id));
    expect(await saveInterviewIfUnchanged(t.store, again!, again!.interview)).toBe(false);
    expect(await getInterview(t.store, id)).toBeNull();
    expect(await updateInterview(t.store, id, (current) => current)).toBeNull();
  });

  it('makes each of two changes read at the same moment on the record the other left', async () => {
    const id = 'ivwrites0003';
    await saveInterview(t.store, interview(id));
    // Both reads go out before either write: the second write finds the record changed, reads it
    // again and makes its change on it.
    let moves = 0;
    const [outcome, move] = await Promise.all([
      updateInterview(t.store, id, (current) => ({ ...current, outcome: 'candidate-missed', outcomeSource: 'cli' })),
      updateInterview(t.store, id, (current) => {
        moves++;
        return { ...current, start: T + 3_600_000, end: T + 5_400_000, revision: current.revision + 1 };
      }),
    ]);
    expect(moves).toBe(2);
    expect(outcome?.after.start).toBe(T);
    expect(move?.before.outcome).toBe('candidate-missed');
    expect(await getInterview(t.store, id)).toMatchObject({ outcome: 'candidate-missed', start: T + 3_600_000, revision: 2 });
    // Listed once in the index, at its new start (its member names its call: call-index.ts).
    expect((await listInterviewIds(t.store)).filter((listed) => listed === id)).toEqual([id]);
    expect(await listInterviewIds(t.store, { from: T + 3_600_000, to: T + 3_600_000 })).toContain(id);
  });

  it('leaves the record alone when the change says so', async () => {
    const id = 'ivwrites0004';
    await saveInterview(t.store, interview(id, { outcome: 'held', outcomeSource: 'cli' }));
    const written = await updateInterview(t.store, id, (current) => (current.outcome ? null : { ...current, outcome: 'held', outcomeSource: 'assumed' }));
    expect(written?.after).toBe(written?.before);
    expect((await getInterview(t.store, id))?.outcomeSource).toBe('cli');
  });

  it('creates only the records that do not exist, and keeps the others and their place in the index', async () => {
    const kept = interview('ivwrites0005', { outcome: 'held', outcomeSource: 'cli' });
    await saveInterview(t.store, kept);
    const fresh = interview('ivwrites0006', { start: T + 7_200_000 });
    expect(await createInterviews(t.store, [{ ...kept, outcome: null, outcomeSource: null, start: T + 86_400_000 }, fresh])).toEqual([false, true]);
    expect(await getInterview(t.store, kept.id)).toEqual(kept);
    expect(await getInterview(t.store, fresh.id)).toEqual(fresh);
    expect(await listInterviewIds(t.store, { from: T, to: T })).toContain(kept.id);
    expect(await listInterviewIds(t.store, { from: T + 7_200_000, to: T + 7_200_000 })).toEqual([fresh.id]);
  });
});
