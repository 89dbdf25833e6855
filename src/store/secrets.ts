/**
 * Secrets at rest (DESIGN.md, Security): passwords and OAuth tokens are encrypted with
 * AES-256-GCM before they reach Redis. The key comes from `RINGBACK_SECRET_KEY` (64 hex chars or
 * 44 base64 chars) or from a 0600 key file in the data folder, made on first use. The account id
 * and secret name are bound to each ciphertext as associated data, so a value copied to another
 * account does not decrypt.
 *
 * Key: `secrets:{accountId}` hash name → `v1.<iv>.<tag>.<ciphertext>` (base64url).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { BadInputError, RunTimeError } from '../errors.js';
import { key, type Store } from './store.js';

export interface SecretVault {
  get(accountId: string, name: string): Promise<string | null>;
  getAll(accountId: string): Promise<Record<string, string>>;
  set(accountId: string, name: string, value: string): Promise<void>;
  remove(accountId: string): Promise<void>;
}

export function parseSecretKey(text: string, label: string): Buffer {
  const trimmed = text.trim();
  const asHex = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : null;
  const buf = asHex ?? Buffer.from(trimmed, 'base64');
  if (buf.length !== 32) {
    throw new BadInputError(`${label}: must be 32 random bytes as 64 hex characters or base64 (make one: openssl rand -hex 32)`);
  }
  return buf;
}

/** The key from the environment, else the key file (created 0600 when missing). */
export async function loadSecretKey(options: { envValue: string | undefined; keyFile: string }): Promise<Buffer> {
  if (options.envValue) return parseSecretKey(options.envValue, 'RINGBACK_SECRET_KEY');
  try {
    const info = await stat(options.keyFile);
    if ((info.mode & 0o077) !== 0) await chmod(options.keyFile, 0o600);
    return parseSecretKey(await readFile(options.keyFile, 'utf8'), options.keyFile);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dirname(options.keyFile), { recursive: true, mode: 0o700 });
  const fresh = randomBytes(32);
  await writeFile(options.keyFile, fresh.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  return fresh;
}

export function encryptSecret(secretKey: Buffer, aad: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', secretKey, iv);
  cipher.setAAD(Buffer.from(aad));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
}

export function decryptSecret(secretKey: Buffer, aad: string, sealed: string): string {
  const [version, iv, tag, ct] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || ct === undefined) throw new RunTimeError('a stored secret is not in a format this version reads');
  const decipher = createDecipheriv('aes-256-gcm', secretKey, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  } catch (error) {
    throw new RunTimeError(
      'a stored secret does not decrypt with this key: was RINGBACK_SECRET_KEY or the key file changed? Run "ringback connect" again',
      { cause: error },
    );
  }
}

export function createSecretVault(store: Store, secretKey: Buffer): SecretVault {
  const k = (accountId: string) => key(store, 'secrets', accountId);
  const aad = (accountId: string, name: string) => `${accountId}\u0000${name}`;
  return {
    async get(accountId, name) {
      const sealed = await store.redis.hget(k(accountId), name);
      return sealed ? decryptSecret(secretKey, aad(accountId, name), sealed) : null;
    },
    async getAll(accountId) {
      const all = await store.redis.hgetall(k(accountId));
      const out: Record<string, string> = {};
      for (const [name, sealed] of Object.entries(all)) out[name] = decryptSecret(secretKey, aad(accountId, name), sealed);
      return out;
    },
    async set(accountId, name, value) {
      await store.redis.hset(k(accountId), name, encryptSecret(secretKey, aad(accountId, name), value));
    },
    async remove(accountId) {
      await store.redis.del(k(accountId));
    },
  };
}
