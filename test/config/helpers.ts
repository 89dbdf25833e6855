/** Temporary folders holding config files, removed after each test file. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

export const EXAMPLE_FILE = fileURLToPath(new URL('../../config/ringback.example.yaml', import.meta.url));

export function readExample(): Promise<string> {
  return readFile(EXAMPLE_FILE, 'utf8');
}

const made: string[] = [];
afterAll(async () => {
  await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })));
});

export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ringback-config-'));
  made.push(dir);
  return dir;
}

/** Writes `text` as `name` in a fresh folder and returns the folder. */
export async function withFile(text: string, name = 'ringback.yaml'): Promise<string> {
  const dir = await tempDir();
  await writeFile(path.join(dir, name), text);
  return dir;
}

export const CANDIDATE = 'candidate: { name: Ada Park, email: ada@example.org, phone: "+1 415 555 0100", timezone: America/New_York }\n';
