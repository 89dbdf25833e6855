/**
 * A real SMTP server for tests (the `smtp-server` package) on a free 127.0.0.1 port, without TLS,
 * that records every message it accepts. It can refuse the next command of a stage with a given
 * reply code, or drop the connection in the middle of DATA once, to test retries and duplicates.
 */
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

export interface ReceivedMessage {
  readonly envelope: { readonly from: string; readonly to: readonly string[] };
  readonly raw: Buffer;
  /** The Message-ID header, angle-bracketed, or null. */
  readonly messageId: string | null;
  /** The X-Ringback-Ref header (ringback's Message-ID kept across client edits), or null. */
  readonly ringbackRef: string | null;
  readonly subject: string;
  readonly text: string;
  readonly inReplyTo: string | null;
  /** The user name the client logged in with, or null. */
  readonly user: string | null;
}

/** `auth`: the AUTH command, whatever the credentials; asked only of a client that logs in. */
export type SmtpStage = 'auth' | 'mail' | 'rcpt' | 'data';

export interface SmtpFailure {
  readonly stage: SmtpStage;
  /** The reply code, e.g. 451 or 550. */
  readonly code: number;
  readonly message?: string;
}

export interface RecordingSmtpServer {
  readonly host: string;
  readonly port: number;
  readonly messages: readonly ReceivedMessage[];
  /** Messages whose Message-ID or X-Ringback-Ref is `messageId`. */
  countByMessageId(messageId: string): number;
  /** Resolves with the first message (already received or arriving) that matches. */
  waitFor(predicate: (message: ReceivedMessage) => boolean, timeoutMs?: number): Promise<ReceivedMessage>;
  /** The next command at `stage` gets `code` as its reply. */
  failNext(failure: SmtpFailure): void;
  /** Every command at its stage gets this reply until called again with null (a limit that lasts). */
  refuseAll(failure: SmtpFailure | null): void;
  /** The next message's connection is dropped after its first bytes of DATA; nothing is recorded. */
  dropNextDuringData(): void;
  /** The next message is recorded, then `work` runs, and only then does the server answer 250. */
  beforeNextAccept(work: () => Promise<unknown>): void;
  stop(): Promise<void>;
}

export interface RecordingSmtpServerOptions {
  /** Require this login (AUTH PLAIN/LOGIN); without it, auth is optional and anything goes. */
  readonly auth?: { readonly user: string; readonly pass: string };
  /** A failure armed from the start (see {@link RecordingSmtpServer.failNext}). */
  readonly failNext?: SmtpFailure;
  /** Listen on this port (a server brought back after an outage); default: a free one. */
  readonly port?: number;
}

function refusal(failure: SmtpFailure): Error & { responseCode: number } {
  return Object.assign(new Error(failure.message ?? `test refusal ${failure.code}`), { responseCode: failure.code });
}

export async function startRecordingSmtpServer(options: RecordingSmtpServerOptions = {}): Promise<RecordingSmtpServer> {
  const messages: ReceivedMessage[] = [];
  const arrivals = new EventEmitter();
  const sockets = new Map<number, Socket>();
  let pendingFailure: SmtpFailure | null = options.failNext ?? null;
  let lasting: SmtpFailure | null = null;
  let dropNext = false;
  let beforeAccept: (() => Promise<unknown>) | null = null;

  const takeFailure = (stage: SmtpStage): Error | null => {
    if (lasting?.stage === stage) return refusal(lasting);
    if (pendingFailure?.stage !== stage) return null;
    const failure = pendingFailure;
    pendingFailure = null;
    return refusal(failure);
  };

  const record = async (raw: Buffer, session: SMTPServerSession): Promise<void> => {
    const parsed = await simpleParser(raw);
    const ref = parsed.headers.get('x-ringback-ref');
    const message: ReceivedMessage = {
      envelope: {
        from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
        to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
      },
      raw,
      messageId: parsed.messageId ?? null,
      ringbackRef: typeof ref === 'string' ? ref.trim() : null,
      subject: parsed.subject ?? '',
      text: parsed.text ?? '',
      inReplyTo: parsed.inReplyTo ?? null,
      user: typeof session.user === 'string' ? session.user : null,
    };
    messages.push(message);
    arrivals.emit('message', message);
  };

  const onData = (stream: SMTPServerDataStream, session: SMTPServerSession, callback: (err?: Error | null) => void): void => {
    const failure = takeFailure('data');
    const chunks: Buffer[] = [];
    if (dropNext) {
      dropNext = false;
      // Cut the wire after the first bytes, as a network failure would, and answer nothing.
      stream.once('data', () => sockets.get(session.remotePort)?.destroy());
      stream.on('error', () => undefined);
      stream.resume();
      return;
    }
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('error', (error: Error) => callback(error));
    stream.on('end', () => {
      if (failure) {
        callback(failure);
        return;
      }
      const hold = beforeAccept;
      beforeAccept = null;
      record(Buffer.concat(chunks), session)
        .then(() => hold?.())
        .then(
        () => callback(),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    });
  };

  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: options.auth === undefined,
    allowInsecureAuth: true,
    disableReverseLookup: true,
    logger: false,
    onAuth(auth, _session, callback) {
      const failure = takeFailure('auth');
      if (failure) {
        callback(failure);
        return;
      }
      const wanted = options.auth;
      if (!wanted || (auth.username === wanted.user && auth.password === wanted.pass)) {
        callback(null, { user: auth.username });
        return;
      }
      callback(Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 }));
    },
    onMailFrom(_address, _session, callback) {
      callback(takeFailure('mail'));
    },
    onRcptTo(_address, _session, callback) {
      callback(takeFailure('rcpt'));
    },
    onData,
  });

  server.server.on('connection', (socket: Socket) => {
    const port = socket.remotePort;
    if (port === undefined) return;
    sockets.set(port, socket);
    socket.once('close', () => sockets.delete(port));
  });

  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      const address = server.server.address();
      if (address && typeof address === 'object') resolve(address.port);
      else reject(new Error('the test SMTP server has no port'));
    });
  });

  const matches = (messageId: string) => (message: ReceivedMessage) =>
    message.messageId === messageId || message.ringbackRef === messageId;

  return {
    host: '127.0.0.1',
    port,
    messages,
    countByMessageId: (messageId) => messages.filter(matches(messageId)).length,
    async waitFor(predicate, timeoutMs = 5_000) {
      const already = messages.find(predicate);
      if (already) return already;
      return await new Promise<ReceivedMessage>((resolve, reject) => {
        const timer = setTimeout(() => {
          arrivals.off('message', listener);
          reject(new Error(`no matching message within ${timeoutMs} ms (${messages.length} received)`));
        }, timeoutMs);
        const listener = (message: ReceivedMessage): void => {
          if (!predicate(message)) return;
          clearTimeout(timer);
          arrivals.off('message', listener);
          resolve(message);
        };
        arrivals.on('message', listener);
      });
    },
    failNext(failure) {
      pendingFailure = failure;
    },
    refuseAll(failure) {
      lasting = failure;
    },
    dropNextDuringData() {
      dropNext = true;
    },
    beforeNextAccept(work) {
      beforeAccept = work;
    },
    async stop() {
      for (const socket of sockets.values()) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
