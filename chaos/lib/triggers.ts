/**
 * When to kill the daemon. Each trigger calls `fire` synchronously, inside the callback of the
 * event it waits for, so that the SIGKILL lands as close to that event as the OS allows:
 *
 * - `startup`: 0–1.5 s after the process was spawned (while it connects and syncs);
 * - `timer`: 0.3–3 s after it said ready;
 * - `mid-sync`: the moment the first interview of a sync is recorded (a `detected` audit entry);
 * - `sent-audit`: the moment a `sent` entry appears in the audit stream (XREAD BLOCK);
 * - `sent-file`: the moment a file lands in `.Sent/cur` (inotify);
 * - `claim`: the moment a send claim is written in Redis (keyspace notification): between the
 *   claim and the end of the SMTP relay, i.e. in the middle of a send;
 * - `smtp-accept`: the moment the SMTP server has stored a message, before its "250 OK" reaches
 *   the client. No client can tell whether such a message went out: see RELIABILITY.md.
 */
import { watch } from 'node:fs';
import type { Redis } from 'ioredis';
import type { RecordingSmtpServer, ReceivedMessage } from '../../test/support/smtp-server.js';

export type KillMode = 'startup' | 'timer' | 'mid-sync' | 'sent-audit' | 'sent-file' | 'claim' | 'smtp-accept';

export interface TriggerContext {
  /** A connection the trigger may block or subscribe on (one per trigger). */
  readonly connect: () => Promise<Redis>;
  readonly auditKey: string;
  readonly claimPattern: string;
  readonly sentDir: string;
  readonly smtp: RecordingSmtpServer | null;
}

export interface Armed {
  /** Resolves once the trigger fired. */
  readonly fired: Promise<void>;
  disarm(): Promise<void>;
}

const between = (min: number, max: number) => min + Math.floor(Math.random() * (max - min));

export async function armTrigger(mode: KillMode, context: TriggerContext, fire: () => void): Promise<Armed> {
  let done = false;
  let resolveFired: () => void = () => undefined;
  const fired = new Promise<void>((resolve) => {
    resolveFired = resolve;
  });
  const shoot = () => {
    if (done) return;
    done = true;
    fire();
    resolveFired();
  };
  const cleanups: Array<() => Promise<void> | void> = [];

  switch (mode) {
    case 'startup':
    case 'timer': {
      const timer = setTimeout(shoot, mode === 'startup' ? between(0, 1_500) : between(300, 3_000));
      cleanups.push(() => clearTimeout(timer));
      break;
    }
    case 'sent-file': {
      const watcher = watch(context.sentDir, () => shoot());
      cleanups.push(() => watcher.close());
      break;
    }
    case 'claim': {
      const subscriber = await context.connect();
      await subscriber.config('SET', 'notify-keyspace-events', 'K$');
      subscriber.on('pmessage', (_pattern: string, _channel: string, event: string) => {
        if (event === 'set') shoot();
      });
      await subscriber.psubscribe(`__keyspace@0__:${context.claimPattern}`);
      cleanups.push(() => subscriber.disconnect());
      break;
    }
    case 'mid-sync':
    case 'sent-audit': {
      const wanted = mode === 'mid-sync' ? 'detected' : 'sent';
      const reader = await context.connect();
      const last = (await reader.xrevrange(context.auditKey, '+', '-', 'COUNT', 1))[0]?.[0] ?? '0-0';
      const loop = async (from: string): Promise<void> => {
        let cursor = from;
        while (!done) {
          const answer = (await reader.xread('BLOCK', 200, 'STREAMS', context.auditKey, cursor)) as Array<[string, Array<[string, string[]]>]> | null;
          for (const [, entries] of answer ?? []) {
            for (const [id, fields] of entries) {
              cursor = id;
              if (fields[0] === 'type' && fields[1] === wanted) shoot();
            }
          }
        }
      };
      const running = loop(last).catch((error: unknown) => {
        // The connection is cut on disarm; anything else is a harness failure worth seeing.
        if (!done) throw error;
      });
      cleanups.push(async () => {
        done = true;
        await running;
        reader.disconnect();
      });
      break;
    }
    case 'smtp-accept': {
      if (!context.smtp) throw new Error('smtp-accept needs the SMTP server');
      // The server pushes each message it stored onto this array right before it answers 250:
      // hooking the push fires in that gap, synchronously.
      const messages = context.smtp.messages as ReceivedMessage[];
      const push = messages.push.bind(messages);
      messages.push = (...items: ReceivedMessage[]) => {
        const length = push(...items);
        shoot();
        return length;
      };
      cleanups.push(() => {
        messages.push = push;
      });
      break;
    }
  }

  return {
    fired,
    async disarm() {
      done = true;
      for (const cleanup of cleanups) await cleanup();
    },
  };
}
