/**
 * The one IMAP connection a mailbox keeps: opened on first use, reused, and opened again after the
 * server drops it. Operations run one at a time on it (a promise queue), so two never interleave
 * their mailbox selections.
 */
import { ImapFlow } from 'imapflow';
import { AccountUnusableError, ProviderError, TransientError } from '../errors.js';
import { DRAFTS_NAMES, SENT_NAMES, connectOptions, findFolders, imapError, type ImapLogin } from './imap-login.js';

export interface ImapFolders {
  readonly drafts: string;
  readonly sent: string;
}

/** @defaultValue of ImapMailboxOptions.idleCheckMs */
const IDLE_CHECK_MS = 60_000;

export function imapConnection(options: ImapLogin, idleCheckMs = IDLE_CHECK_MS) {
  let live: { client: ImapFlow; folders: ImapFolders } | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  let lastUsed = 0;

  /**
   * Whether the live connection still works. One unused for `idleCheckMs` is asked a NOOP first:
   * a server that ended the session meanwhile (Dovecot's "* BYE Disconnected for inactivity.")
   * may not have been heard yet, and the step's first command would fail on it.
   */
  async function stillLive(client: ImapFlow): Promise<boolean> {
    if (!client.usable) return false;
    if (Date.now() - lastUsed < idleCheckMs) return true;
    // A NOOP that fails says only that this connection is gone: a new one is opened.
    const answered = await client.noop().then(() => true, () => false);
    return answered && client.usable;
  }

  async function connect(): Promise<{ client: ImapFlow; folders: ImapFolders }> {
    if (live && (await stillLive(live.client))) return live;
    if (live) live.client.close();
    live = null;
    const client = new ImapFlow(connectOptions(options));
    // A dropped connection fails the command in progress; 'close' makes the next call reconnect.
    client.on('error', () => undefined);
    client.on('close', () => {
      if (live?.client === client) live = null;
    });
    try {
      await client.connect();
      const found = await findFolders(client);
      if (!found.drafts) throw new AccountUnusableError(`IMAP folder Drafts is missing: none is marked \\Drafts or named ${DRAFTS_NAMES.join(', ')}`);
      if (!found.sent) throw new AccountUnusableError(`IMAP folder Sent is missing: none is marked \\Sent or named ${SENT_NAMES.join(', ')}`);
      live = { client, folders: { drafts: found.drafts, sent: found.sent } };
      return live;
    } catch (error) {
      client.close();
      throw imapError(error, 'login');
    }
  }

  /** Runs `work` alone on the live connection; a connection-level failure drops it. */
  function exclusive<T>(what: string, work: (client: ImapFlow, folders: ImapFolders) => Promise<T>): Promise<T> {
    const run = queue.then(async () => {
      const { client, folders } = await connect();
      try {
        return await work(client, folders);
      } catch (error) {
        const failure = imapError(error, what);
        // An SMTP failure arrives as a ProviderError already and says nothing about this connection.
        const connectionLost = !client.usable || (!(error instanceof ProviderError) && failure instanceof TransientError);
        // A folder gone or refused: the folders this connection found are out of date, and the
        // health check, which reuses a live connection, would call the account usable again. (An
        // account trouble of the SMTP relay drops it too: the next call only connects again.)
        const foldersChanged = failure instanceof AccountUnusableError;
        if ((connectionLost || foldersChanged) && live?.client === client) {
          live = null;
          client.close();
        }
        throw failure;
      } finally {
        lastUsed = Date.now();
      }
    });
    // The queue only orders the operations; each caller receives its own outcome through `run`.
    queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** Settles once every operation queued so far has finished. */
  const idle = (): Promise<unknown> => queue;

  /** Logs out of the live connection, if any; the next operation connects again. */
  async function logout(): Promise<void> {
    const current = live;
    live = null;
    if (!current?.client.usable) return;
    await current.client.logout().catch((error: unknown) => {
      // Logging out of a connection that is dropping: closing the socket is all that is left.
      current.client.close();
      if (!(imapError(error, 'logout') instanceof TransientError)) throw error;
    });
  }

  return { exclusive, idle, logout };
}
