/**
 * The duplicates among a sync page's new interviews (duplicates.ts), decided for the page at
 * once: the records at their starts that the call index lists as possibly the same call
 * (call-index.ts) read in two round trips for the page, and each record written
 * by the compare-and-set of src/store/calls.ts in the page's one round trip of records. Two new
 * interviews of the page at one start are decided in page order, the later one against the
 * earlier, as if the earlier were stored already (it is, by the time Redis runs the later step).
 * An interview whose step finds the records changed is processed again on its own (its `again`).
 */
import { withOwner } from '../domain/duplicates.js';
import type { Interview, Millis } from '../domain/types.js';
import type { AuditEntry } from '../store/audit.js';
import { callDigestsOf, mayBeSameCall, type CallDigests } from '../store/call-index.js';
import { readPeersMany, writeIfPeersUnchanged, type Peers } from '../store/calls.js';
import { encodeInterview } from '../store/records.js';
import type { Store } from '../store/store.js';
import type { Engine } from './context.js';
import { decideOwner, duplicateFound, relatedIn } from './duplicates.js';

/** A new interview of the page (first-plans.ts), with its audit line. */
interface Fresh {
  readonly interview: Interview;
  readonly found: AuditEntry;
}

export interface DecidedPage<T extends Fresh> {
  /** The page's new interviews, duplicates marked (their audit line says so). */
  readonly fresh: readonly T[];
  /** The records each was decided on, as its write expects them. */
  readonly peers: readonly Peers[];
}

export async function decideFresh<T extends Fresh>(engine: Engine, given: readonly T[], now: Millis): Promise<DecidedPage<T>> {
  const read = await readPeersMany(
    engine.store,
    given.map((item) => ({ start: item.interview.start, own: item.interview.id, call: callDigestsOf(item.interview) })),
  );
  const fresh: T[] = [];
  const peers: Peers[] = [];
  const encoded: Buffer[] = [];
  const encodedOf = (item: T, index: number): Buffer => (encoded[index] ??= encodeInterview(item.interview));
  given.forEach((item, i) => {
    const stored = read[i] as Peers;
    const call = stored.filter as CallDigests;
    // The page's earlier new interviews at this start that may list the same call, as they will be stored.
    const earlier = fresh
      .map((f, j) => ({ f, j, member: f.interview.id }))
      .filter(
        ({ f }) =>
          f.interview.start === item.interview.start &&
          f.interview.id !== item.interview.id &&
          !stored.ids.includes(f.interview.id) &&
          mayBeSameCall(callDigestsOf(f.interview), call),
      );
    // Ordered by id, as the peers looked up in the call index are.
    const merged = [
      ...stored.members.map((member, k) => ({ member, id: stored.ids[k] as string, raw: stored.raws[k] as Buffer, interview: stored.interviews[k] as Interview })),
      ...earlier.map(({ f, j, member }) => ({ member, id: f.interview.id, raw: encodedOf(f, j), interview: f.interview })),
    ].sort((a, b) => (a.member < b.member ? -1 : a.member > b.member ? 1 : 0));
    const expected: Peers = {
      start: stored.start,
      filter: call,
      members: merged.map((m) => m.member),
      ids: merged.map((m) => m.id),
      raws: merged.map((m) => m.raw),
      interviews: merged.map((m) => m.interview),
    };
    const same = decideOwner(item.interview, expected);
    const interview = withOwner(item.interview, same);
    fresh.push(same === null ? item : { ...item, interview, found: duplicateFound(interview, same, now) });
    peers.push(expected);
  });
  return { fresh, peers };
}

/** Writes each new record if it is still new and the records at its start are as decided; in order, whether it was. */
export async function createDecided(store: Store, page: DecidedPage<Fresh>): Promise<boolean[]> {
  const written = await Promise.all(
    page.fresh.map((item, i) => {
      const peers = page.peers[i] as Peers;
      return writeIfPeersUnchanged(store, null, item.interview, peers, relatedIn(item.interview, peers));
    }),
  );
  return written.map((w) => w === 'written');
}
