/**
 * The image's files, rebuilt from the Dockerfile (image-layout.ts): everything the daemon imports
 * is there, production packages only, and a folder left out of the Dockerfile is caught.
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildImageLayout, dockerInstructions, type ImageLayout } from './image-layout.js';
import { unresolvedImports } from './imports.js';

const REPO = path.join(import.meta.dirname, '..', '..');

async function layoutOf(dockerfile: string, without: readonly string[] = []): Promise<ImageLayout> {
  const root = await mkdtemp(path.join(tmpdir(), 'ringback-image-'));
  try {
    return await buildImageLayout(dockerfile, { context: REPO, root, without });
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
}

describe('the Dockerfile', () => {
  let dockerfile: string;
  let image: ImageLayout;
  beforeAll(async () => {
    dockerfile = await readFile(path.join(REPO, 'Dockerfile'), 'utf8');
    image = await layoutOf(dockerfile);
  }, 60_000);
  afterAll(async () => {
    await rm(image.root, { recursive: true, force: true });
  });

  it('copies every file the code imports, and the packages it imports', async () => {
    expect(await unresolvedImports(image.workdir)).toEqual([]);
  });

  it('installs the production packages only', async () => {
    const pkg = JSON.parse(await readFile(path.join(REPO, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    for (const name of Object.keys(pkg.dependencies)) {
      expect((await stat(path.join(image.workdir, 'node_modules', name, 'package.json'))).isFile(), name).toBe(true);
    }
    for (const name of ['vitest', 'eslint', 'fast-check', 'smtp-server']) {
      await expect(stat(path.join(image.workdir, 'node_modules', name)), name).rejects.toThrow(/ENOENT/);
    }
  });

  it('runs as the node user, and starts the daemon', () => {
    expect(image.user).toBe('node');
    expect(image.cmd.slice(-1)).toEqual(['start']);
  });

  it('is caught when a folder the code imports is left out', async () => {
    // The image's build step fails on it, naming the import…
    await expect(layoutOf(dockerfile, ['workers'])).rejects.toThrow(/workers\/index\.js/);
    // …and so does the check of every import, without that step.
    const without = await layoutOf(dockerfile.replace(/^RUN node bin\/build\.js$/m, ''), ['workers']);
    try {
      const missing = await unresolvedImports(without.workdir);
      expect(missing).toContain('src/daemon/daemon.ts: ../../workers/index.js');
    } finally {
      await rm(without.root, { recursive: true, force: true });
    }
  });

  it('refuses a step it cannot replay, rather than skipping it', async () => {
    await expect(layoutOf(dockerfile.replace(/^WORKDIR .*$/m, '$&\nRUN apt-get install -y curl'))).rejects.toThrow(/RUN apt-get install -y curl: .*does not know/);
    expect(dockerInstructions('RUN a \\\n  && b\n# note\nCMD ["x"]')).toEqual([
      { keyword: 'RUN', args: 'a && b' },
      { keyword: 'CMD', args: '["x"]' },
    ]);
  });
});
