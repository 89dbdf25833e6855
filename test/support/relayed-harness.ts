/**
 * The daemon's engine on a Maildir that relays through a recording SMTP server (test/support/smtp-server.ts):
 * the setup of the engine tests of sending (a refusal as spam, a sending limit, an edit during a send).
 */
import { mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditRecord } from '../../src/store/audit.js';
import { MINUTE, interviewEvent, startEngineHarness, type EngineHarness, type HarnessOptions } from './engine-harness.js';
import { startRecordingSmtpServer, type RecordingSmtpServer, type SmtpFailure } from './smtp-server.js';

export interface RelayedHarness {
  readonly harness: EngineHarness;
  readonly relay: RecordingSmtpServer;
  /** The Maildir's folder. */
  readonly folder: string;
  /** Stops the engine and the server and removes the folder. */
  stop(): Promise<void>;
}

export async function startRelayedHarness(prefix: string, options: Omit<HarnessOptions, 'mailbox'> = {}): Promise<RelayedHarness> {
  const relay = await startRecordingSmtpServer();
  const folder = await mkdtemp(join(tmpdir(), `ringback-${prefix}-`));
  const cleanUp = async (): Promise<void> => {
    await relay.stop();
    await rm(folder, { recursive: true, force: true });
  };
  try {
    for (const sub of ['cur', 'new', 'tmp']) await mkdir(join(folder, sub), { recursive: true });
    const harness = await startEngineHarness({ ...options, mailbox: { type: 'maildir', id: 'mail', path: folder, smtp: { host: relay.host, port: relay.port } } });
    return {
      harness,
      relay,
      folder,
      stop: async () => {
        await harness.stop();
        await cleanUp();
      },
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

/** The messages of a Maildir folder (its new/ and cur/), as paths below it. */
export async function filesIn(dir: string): Promise<string[]> {
  const names = await Promise.all(['new', 'cur'].map(async (sub) => (await readdir(join(dir, sub)).catch(() => [])).map((name) => join(sub, name))));
  return names.flat();
}

export interface RefusedSend {
  /** The audit's entry of the send failed for good. */
  readonly failed: AuditRecord;
  /** The Drafts folder's messages, whole. */
  readonly drafts: readonly string[];
  /** The body of the note to the user that the confirmation was not sent, on one line. */
  readonly note: string;
}

/**
 * One interview 40 minutes ahead, with a 15-minute lead, on a harness started with
 * `{ confirmLeadMinutes: 15, minLeadMinutes: 10 }`: its confirmation drafted, then refused by the
 * relay once, as `failure` says, at its send; resolves once the send failed for good, two minutes
 * more have passed, and the note to the user that it was not sent is in Drafts (written after the
 * failure is recorded, by its own step: waited for, not raced).
 */
export async function confirmationRefusedOnce(relayed: RelayedHarness, uid: string, failure: SmtpFailure): Promise<RefusedSend> {
  const { harness, relay, folder } = relayed;
  const start = Math.floor(harness.now() / 1000) * 1000 + 40 * MINUTE;
  await harness.setEvents([interviewEvent({ uid, start })]);
  await harness.start({ probeEveryMs: 200 });
  await harness.waitForAudit((r) => r.type === 'drafted');
  // Refused once only: a retry would go through, and be seen.
  relay.failNext(failure);
  await harness.advance(26 * MINUTE);
  const failed = await harness.waitForAudit((r) => r.type === 'error' && r.message.includes('failed for good'), 40_000);
  await harness.advance(2 * MINUTE);
  await harness.waitForAudit((r) => r.type === 'drafted' && r.message.includes('not sent is in your Drafts'));
  const drafts = await Promise.all((await filesIn(join(folder, '.Drafts'))).map((f) => readFile(join(folder, '.Drafts', f), 'utf8')));
  const note = drafts.find((d) => /^Message-ID:.*\.notice\./im.test(d)) ?? '';
  return { failed, drafts, note: note.replace(/=\r?\n/g, '').replace(/\s+/g, ' ') };
}
