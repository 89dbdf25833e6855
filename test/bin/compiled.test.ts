/**
 * bin/compiled.js: the compiled command runs only while it was built from the sources as they are.
 * A copy of the package's build inputs stands in a temporary folder; each case changes one thing.
 */
import { mkdir, mkdtemp, rm, rename, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { COMPILED_ENTRY, currentCompiledEntry, sourceDigest, STAMP } from '../../bin/compiled.js';

let root: string;

async function put(path: string, text: string): Promise<void> {
  await mkdir(join(root, path, '..'), { recursive: true });
  await writeFile(join(root, path), text);
}

/** What bin/build.js leaves: the entry point and, last, the stamp with the digest of the sources. */
async function build(): Promise<void> {
  await put(COMPILED_ENTRY, 'export {};\n');
  await put(STAMP, JSON.stringify({ digest: sourceDigest(root), builtAt: new Date().toISOString() }));
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'ringback-compiled-'));
  await put('src/cli/main.ts', 'console.log(1);\n');
  await put('src/domain/detection/words.json', '{"a":1}\n');
  await put('workers/sync.ts', 'export {};\n');
  await put('config/schema.ts', 'export {};\n');
  await put('package.json', '{"name":"ringback","version":"1.0.0"}\n');
  await put('tsconfig.json', '{}\n');
  await put('bin/build.js', '// build\n');
  return () => rm(root, { recursive: true, force: true });
});

describe('currentCompiledEntry', () => {
  it('is the compiled entry point right after a build', async () => {
    await build();
    expect(currentCompiledEntry(root)).toBe(join(root, COMPILED_ENTRY));
  });

  it('is null when nothing was built (npm ci --ignore-scripts), or the stamp is missing', async () => {
    expect(currentCompiledEntry(root)).toBeNull();
    await build();
    await rm(join(root, STAMP));
    expect(currentCompiledEntry(root)).toBeNull();
  });

  it('is null once a source file changes, even with its old modification time', async () => {
    await build();
    const old = new Date('2020-01-01T00:00:00Z');
    await put('src/cli/main.ts', 'console.log(2);\n');
    await utimes(join(root, 'src/cli/main.ts'), old, old);
    expect(currentCompiledEntry(root)).toBeNull();
  });

  it('is null once a file is added, renamed or removed, data files included', async () => {
    await build();
    await put('workers/extra.ts', 'export {};\n');
    expect(currentCompiledEntry(root)).toBeNull();
    await build();
    await rename(join(root, 'workers/extra.ts'), join(root, 'workers/other.ts'));
    expect(currentCompiledEntry(root)).toBeNull();
    await build();
    await rm(join(root, 'src/domain/detection/words.json'));
    expect(currentCompiledEntry(root)).toBeNull();
  });

  it('is null when the package, the compiler settings or the build script change', async () => {
    for (const file of ['package.json', 'tsconfig.json', 'bin/build.js']) {
      await build();
      await put(file, `${file} changed\n`);
      expect(currentCompiledEntry(root), file).toBeNull();
    }
  });

  it('is null when the compiled entry point is gone, or the stamp is not one', async () => {
    await build();
    await rm(join(root, COMPILED_ENTRY));
    expect(currentCompiledEntry(root)).toBeNull();
    await build();
    await put(STAMP, 'not json');
    expect(currentCompiledEntry(root)).toBeNull();
  });
});
