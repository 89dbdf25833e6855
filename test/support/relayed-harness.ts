/**
 * The daemon's engine on a Maildir that relays through a recording SMTP server (test/support/smtp-server.ts):
 * the setup of the engine tests of sending (a refusal as spam, a sending limit, an edit during a send).
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEngineHarness, type EngineHarness, type HarnessOptions } from './engine-harness.js';
import { startRecordingSmtpServer, type RecordingSmtpServer } from './smtp-server.js';

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
