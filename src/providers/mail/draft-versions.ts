/**
 * Which copy of a draft to send when Drafts holds several under ringback's Message-ID or
 * X-Ringback-Ref (a mail client between appending an edit and removing the old version), for the
 * IMAP and Maildir sends alike.
 *
 * `ranked`: the copies still there, newest first; `to(copy)`: whom it goes to, null when unreadable.
 * The newest copy that goes to whom the draft found goes is sent. A copy addressed to others is no
 * version of this draft (the user duplicated it to write to someone else): it is neither sent nor
 * removed. The copies going where the sent one goes are `superseded`, removed with it.
 */
export function versionToSend<T>(ranked: readonly T[], found: T, to: (copy: T) => string | null): { send: T; superseded: T[] } {
  const own = to(found);
  const send = ranked.find((copy) => own === null || to(copy) === own) ?? found;
  const addressees = to(send);
  const superseded = ranked.filter((copy) => copy !== send && addressees !== null && to(copy) === addressees);
  return { send, superseded };
}
