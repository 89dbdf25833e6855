/**
 * The recording SMTP server of the tests (test/support/smtp-server.ts), made to survive clients
 * that die in the middle of a session. A SIGKILLed daemon resets its connection; `smtp-server`
 * reports that as an 'error' event on the server, which the test server does not listen to after
 * it started (its `once('error')` from listen() catches only the first), so the second reset
 * would crash the harness. The listener is added through the class's `listen`, the one moment the
 * harness can reach the instance, and counts the resets.
 */
import { SMTPServer } from 'smtp-server';
import { startRecordingSmtpServer, type RecordingSmtpServer, type RecordingSmtpServerOptions } from '../../test/support/smtp-server.js';

export interface ChaosSmtpServer extends RecordingSmtpServer {
  /** Connections that ended with an error (a client killed mid-session). */
  readonly connectionErrors: () => number;
}

export async function startChaosSmtpServer(options: RecordingSmtpServerOptions = {}): Promise<ChaosSmtpServer> {
  let errors = 0;
  const prototype = SMTPServer.prototype as unknown as { listen: (this: SMTPServer, ...args: unknown[]) => unknown };
  const listen = prototype.listen;
  prototype.listen = function (this: SMTPServer, ...args: unknown[]) {
    this.on('error', () => {
      errors += 1;
    });
    return listen.apply(this, args);
  };
  try {
    const server = await startRecordingSmtpServer(options);
    return Object.assign(server, { connectionErrors: () => errors });
  } finally {
    prototype.listen = listen;
  }
}
