/**
 * Maildir file names: the unique part a message keeps for life, and the flags after `:2,` that
 * change when it is read, sent or edited.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Millis } from '../../domain/types.js';

/** Per process, so that two mailboxes in one process never build the same name. */
let deliveries = 0;

/** A Maildir unique name: `seconds.M<micros>P<pid>Q<counter>R<random>.<host>`. */
export function maildirUniqueName(now: Millis, host: string = hostname()): string {
  deliveries += 1;
  const safeHost = host.replace(/\//g, '\\057').replace(/:/g, '\\072');
  const micros = (((now % 1000) + 1000) % 1000) * 1000;
  return `${Math.floor(now / 1000)}.M${micros}P${process.pid}Q${deliveries}R${randomBytes(4).toString('hex')}.${safeHost}`;
}

/** Splits a Maildir file name into its unique part and its flags (`new/` files have none). */
export function parseMaildirName(name: string): { unique: string; flags: string } {
  const info = name.indexOf(':');
  if (info === -1) return { unique: name, flags: '' };
  const rest = name.slice(info + 1);
  return { unique: name.slice(0, info), flags: rest.startsWith('2,') ? rest.slice(2) : '' };
}

export function withFlags(flags: string, add: string, remove: string): string {
  const set = new Set([...flags].filter((flag) => !remove.includes(flag)));
  for (const flag of add) set.add(flag);
  return [...set].sort().join('');
}
