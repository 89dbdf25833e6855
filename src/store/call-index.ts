/**
 * The members of the `ivs` index (interviews.ts): `{id}|{uid digest}{counterpart digest}`, the UID
 * being the call's as domain/duplicates.ts compares it (`callUid`: the invitation's UID a Google or
 * Microsoft listing carries, else the one its event id is made of), so that
 * whoever reads the interviews at one start can tell, from the index alone, which of them may list
 * the same call as an interview (src/domain/duplicates.ts: the same UID, or the same interviewer's
 * address) and read only those records. Each digest is 4 characters of base64url of a SHA-256 (24
 * bits): two different calls share one by chance once in about 16 million pairs, and then their
 * records are only read and compared for nothing. The counterpart digest is left out when the
 * interview names no address (it is then the same call as another only by its UID).
 *
 * A member without `|` was written by an earlier version: it is the id alone, its call unknown, so
 * it is read as possibly the same call as any other. Every write of a record replaces the member
 * (calls.ts, interview-writes.ts), so such members go as their records are written again.
 *
 * Ids are `iv` and hex digits (domain/ids.ts) and base64url has neither `|` nor `,`: a member
 * never contains the `,` the compare-and-set of calls.ts joins them with.
 */
import { createHash } from 'node:crypto';
import { callUid } from '../domain/duplicates.js';
import type { Interview } from '../domain/types.js';

const DIGEST_CHARS = 4;

/** What the index says of an interview's call: the digests of its UID and of its counterpart's address ('' for none). */
export interface CallDigests {
  readonly uid: string;
  readonly counterpart: string;
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, DIGEST_CHARS);
}

export function callDigestsOf(interview: Pick<Interview, 'eventId' | 'uid' | 'counterpart'>): CallDigests {
  const email = interview.counterpart.email;
  return {
    uid: digest(callUid(interview)),
    counterpart: email === null || email === '' ? '' : digest(email.toLowerCase()),
  };
}

/** The interview's member of the `ivs` index. */
export function indexMemberOf(interview: Pick<Interview, 'id' | 'eventId' | 'uid' | 'counterpart'>): string {
  const digests = callDigestsOf(interview);
  return `${interview.id}|${digests.uid}${digests.counterpart}`;
}

/** The interview id a member of the index names (of either form). */
export function idOfMember(member: string): string {
  const bar = member.indexOf('|');
  return bar === -1 ? member : member.slice(0, bar);
}

/**
 * Whether the interview a member names may list the call `digests` describe: the same UID digest,
 * or the same counterpart digest when there is one; always for a member of the earlier form.
 * Mirrors the Lua of calls.ts.
 */
export function mayBeSameCall(member: string, digests: CallDigests): boolean {
  const bar = member.indexOf('|');
  if (bar === -1) return true;
  if (member.slice(bar + 1, bar + 1 + DIGEST_CHARS) === digests.uid) return true;
  return digests.counterpart !== '' && member.slice(bar + 1 + DIGEST_CHARS) === digests.counterpart;
}

/** Lua: `may_be_same_call(member, uid, counterpart)` as {@link mayBeSameCall}. */
export const MAY_BE_SAME_CALL_LUA = `
local function may_be_same_call(m, u, c)
  local bar = string.find(m, '|', 1, true)
  if bar == nil then return true end
  if string.sub(m, bar + 1, bar + ${DIGEST_CHARS}) == u then return true end
  return c ~= '' and string.sub(m, bar + ${DIGEST_CHARS + 1}) == c
end`;

/** Lua: `id_of(member)` as {@link idOfMember}. */
export const ID_OF_MEMBER_LUA = `
local function id_of(m)
  local bar = string.find(m, '|', 1, true)
  if bar == nil then return m end
  return string.sub(m, 1, bar - 1)
end`;
