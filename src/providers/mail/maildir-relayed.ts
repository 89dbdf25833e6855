/**
 * The Maildir's record of drafts already handed to the SMTP relay. A message that reached the
 * server is noted here at the instant it leaves, before the draft is filed in `.Sent`: when the
 * filing then fails (`.Sent` removed or renamed by a mail client, a permission changed), the retry
 * finds the draft still in Drafts, reads this record and files it without relaying it again.
 * Without it, each retry relayed the draft once more (three retries, three copies at the recipient).
 *
 * Kept in memory and in a small file at the Maildir's root (`ringback-relayed`, one unique name a
 * line; not a folder, so mail clients and Dovecot ignore it), so that it survives a restart. The
 * note is written synchronously: it is taken in the moment between the last byte and the
 * server's answer, where nothing may wait behind other work.
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RelayedRecord {
  /** Notes that the draft with this unique name reached the server. Never throws. */
  note(unique: string): void;
  has(unique: string): boolean;
  /** Forgets a draft once it is filed in Sent. */
  filed(unique: string): void;
}

const FILE = 'ringback-relayed';

export function relayedRecord(root: string): RelayedRecord {
  const path = join(root, FILE);
  let loaded: Set<string> | null = null;
  const load = (): Set<string> => {
    if (loaded) return loaded;
    try {
      loaded = new Set(readFileSync(path, 'utf8').split('\n').filter((line) => line.length > 0));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      loaded = new Set();
    }
    return loaded;
  };
  return {
    note(unique) {
      load().add(unique);
      try {
        appendFileSync(path, `${unique}\n`, { mode: 0o600 });
      } catch {
        // The root itself is gone or read-only: the note stays in memory, which covers the
        // retries of this process; nothing else can be written there either.
      }
    },
    has(unique) {
      return load().has(unique);
    },
    filed(unique) {
      const set = load();
      if (!set.delete(unique)) return;
      try {
        writeFileSync(path, [...set].map((u) => `${u}\n`).join(''), { mode: 0o600 });
      } catch {
        // Left in the file: a stale line only names a draft that is no longer in Drafts.
      }
    },
  };
}
