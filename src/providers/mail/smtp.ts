/**
 * Relays a finished message through an SMTP server, byte for byte as the mailbox holds it. Shared
 * by the maildir and IMAP adapters. nodemailer types stay in this file.
 *
 * Failures become the typed provider errors (smtp-replies.ts says what each reply means); the
 * password never appears in a message.
 */
import { createTransport, type Transporter } from 'nodemailer';
import type { SmtpConfig } from '../../../config/types.js';
import { PermanentError } from '../errors.js';
import { loginNeedsStartTls } from '../loopback.js';
import { readHeaders } from './mime.js';
import { refusedRecipients, smtpError } from './smtp-replies.js';
import type { DeliveryFailure, DraftRef } from './types.js';

export interface SmtpRelayConfig extends SmtpConfig {
  readonly password?: string;
  /** TLS settings for implicit TLS or STARTTLS, e.g. a private CA. */
  readonly tls?: {
    /** @defaultValue true */
    readonly rejectUnauthorized?: boolean;
    readonly servername?: string;
    readonly ca?: string | Buffer;
  };
  /** How long to wait for the TCP connection and for the greeting. @defaultValue 10000 */
  readonly connectionTimeoutMs?: number;
  /** Inactivity allowed on an open connection. @defaultValue 30000 */
  readonly socketTimeoutMs?: number;
  /**
   * Whether the login may go over a connection that is not encrypted, when the server offers no
   * STARTTLS. Defaults to true only for this computer's loopback address (a local relay or
   * bridge), where nothing crosses a network: see {@link requireStartTls}.
   */
  readonly plaintextLogin?: boolean;
}

/**
 * Whether a session without implicit TLS must start TLS before it goes on (nodemailer's
 * `requireTLS`). nodemailer's default starts TLS only when the server lists STARTTLS, and
 * otherwise sends AUTH, password included, in clear text: to a server without TLS set up, or
 * through an attacker on the path who removed STARTTLS from the EHLO answer (RFC 3207 §6,
 * https://www.rfc-editor.org/rfc/rfc3207#section-6; the same fix elsewhere:
 * https://github.com/tale-project/tale/pull/2366, https://github.com/dahlia/upyo/issues/36).
 * Required whenever there is a password to send, except to this computer's loopback. A relay
 * without a login is left as it was: it sends no secret.
 */
function requireStartTls(config: Pick<SmtpRelayConfig, 'host' | 'secure' | 'username' | 'plaintextLogin'>): boolean {
  return config.username !== undefined && loginNeedsStartTls(config);
}

export interface SmtpEnvelope {
  readonly from: string;
  readonly to: readonly string[];
}

/**
 * The envelope of a draft about to be relayed: its From, and recipients from its To, Cc and Bcc, as
 * a mail client sends them. ringback writes only To (the counterpart); a Cc or Bcc is the user's own
 * edit of the draft and goes where they said. The Bcc line itself is removed from the copy the
 * recipients get (`stripHeader(raw, 'bcc')` at the call sites) and kept in the user's Sent copy, as
 * Thunderbird, Gmail and Outlook do, so that the user can see whom they copied.
 */
export function envelopeOf(raw: Buffer, ref: DraftRef): SmtpEnvelope {
  const headers = readHeaders(raw);
  const from = headers.from[0];
  const to = [...new Set([...headers.to, ...headers.cc, ...headers.bcc])];
  const fix = 'open it in your mail client, check the From and To lines, and save it again (or delete it and write your own)';
  if (!from) throw new PermanentError(`draft ${ref.messageId} has no From address: ${fix}`);
  if (to.length === 0) throw new PermanentError(`draft ${ref.messageId} has no recipients in To, Cc or Bcc: ${fix}`);
  return { from, to };
}

/**
 * Who a message is addressed to (To, Cc and Bcc, lower-cased and sorted, on one line): two copies
 * of a draft with the same are versions of one email; a copy the user addressed to someone else
 * (a duplicate made to write to another person) is an email of its own.
 */
export function addresseesOf(raw: Buffer): string {
  const headers = readHeaders(raw);
  return [...new Set([...headers.to, ...headers.cc, ...headers.bcc].map((address) => address.toLowerCase()))].sort().join(',');
}

export interface SmtpSendOptions {
  /**
   * Called once the whole message, its final "." included, has been written to the connection,
   * and before the server's answer is read. From then on the message is with the server, which
   * accepts a complete message whether or not the sender lives to read the "250". Never called
   * after `send` has settled.
   */
  readonly onHandedOver?: () => void;
}

export interface SmtpRelay {
  /**
   * Hands the message to the server for the envelope's recipients only (headers are not read).
   * Resolves once the server accepted it for at least one recipient, with the recipients it refused
   * meanwhile (none when it took them all): the message has left for the others.
   */
  send(raw: Buffer, envelope: SmtpEnvelope, options?: SmtpSendOptions): Promise<readonly DeliveryFailure[]>;
  /** Connects and logs in, to check the settings. */
  verify(): Promise<void>;
  close(): void;
}

export { smtpError } from './smtp-replies.js';

export function createSmtpRelay(config: SmtpRelayConfig): SmtpRelay {
  // One connection per message: ringback sends a few messages a day, so a pool would only keep
  // idle connections that the server drops, and each send starts from a known state.
  const transportFor = (onHandedOver?: () => void): Transporter =>
    createTransport({
      host: config.host,
      port: config.port,
      secure: config.secure,
      requireTLS: requireStartTls(config),
      ...(config.username !== undefined ? { auth: { user: config.username, pass: config.password ?? '' } } : {}),
      ...(config.tls ? { tls: { ...config.tls } } : {}),
      connectionTimeout: config.connectionTimeoutMs ?? 10_000,
      greetingTimeout: config.connectionTimeoutMs ?? 10_000,
      socketTimeout: config.socketTimeoutMs ?? 30_000,
      logger: onHandedOver ? handOverWatcher(onHandedOver) : false,
      debug: false,
    });
  const transport = transportFor();
  const where = `SMTP ${config.host}:${config.port}`;
  const secrets = [config.password].filter((value): value is string => typeof value === 'string' && value.length > 0);

  return {
    async send(raw, envelope, sendOptions = {}) {
      if (envelope.to.length === 0) throw new PermanentError(`${where}: the message has no recipients`);
      let settled = false;
      const handedOver = sendOptions.onHandedOver;
      // A transport of its own, so that its hand-over is this message's.
      const sender = handedOver
        ? transportFor(() => {
            if (!settled) handedOver();
          })
        : transport;
      try {
        const info: unknown = await sender.sendMail({ envelope: { from: envelope.from, to: [...envelope.to] }, raw });
        return refusedRecipients(info, secrets);
      } catch (error) {
        throw smtpError(error, where, secrets, envelope.from);
      } finally {
        settled = true;
        if (sender !== transport) sender.close();
      }
    },
    async verify() {
      try {
        await transport.verify();
      } catch (error) {
        throw smtpError(error, where, secrets);
      }
    },
    close() {
      transport.close();
    },
  };
}

/**
 * nodemailer says nothing through its API when the message has left: its SMTP connection logs,
 * once the data stream, final "." included, has been written to the socket, an info entry with
 * `tnx: 'message'` and the byte counts (smtp-connection, `_createSendStream`). This logger
 * listens for that entry alone and drops everything else. Should a later nodemailer word it
 * otherwise, the hook is simply never called and the caller files the message after the "250".
 */
function handOverWatcher(onHandedOver: () => void) {
  const ignore = () => undefined;
  return {
    level: 'info',
    trace: ignore,
    debug: ignore,
    warn: ignore,
    error: ignore,
    fatal: ignore,
    info(entry: unknown) {
      const fields = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : {};
      if (fields.tnx === 'message' && typeof fields.outByteCount === 'number') onHandedOver();
    },
  };
}
