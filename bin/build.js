#!/usr/bin/env node
/**
 * Compiles the `ringback` command to JavaScript in dist/cli/ (`npm run build:cli`; `npm ci` and
 * `npm install` run it as the `prepare` script). bin/ringback.js runs that copy only while it was
 * built from the sources as they are (bin/compiled.js), and the sources through tsx otherwise.
 *
 * Why: under tsx the daemon carried the TypeScript loader (a thread with a V8 heap of its own) and
 * the loader's per-module work: ~55 MB of RSS once its modules are imported, 30–40 MB of the
 * running daemon's (bench/README.md, "RSS under 150 MB").
 *
 * One bundle of our own code with code splitting, so that each command still loads only its own
 * modules (src/cli/main.ts imports them when they run); the npm packages stay outside it and are
 * loaded from node_modules as before. `keepNames`: errors name themselves after their class
 * (src/providers/errors.ts), which a bundler could otherwise rename.
 *
 * The files of the build before stay: a daemon started from it still loads its commands' and
 * pages' modules from them after an update (`git pull && npm ci` while it runs; their names carry
 * a hash of their content). Older files are removed.
 *
 * Without the sources (the Docker image installs its packages before it copies them) there is
 * nothing to build, and it says so and succeeds; the Dockerfile runs it again after the copy.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';
import { COMPILED_DIR, hasSources, sourceDigest, STAMP } from './compiled.js';

const root = fileURLToPath(new URL('..', import.meta.url));

if (!hasSources(root)) {
  process.stdout.write('ringback build: no sources here yet (src/cli/main.ts); nothing compiled\n');
} else {
  const { build } = await import('esbuild');
  // Digest first: a source changed while the build runs leaves a stamp that no longer matches.
  const digest = sourceDigest(root);
  const out = join(root, COMPILED_DIR);
  const stamp = join(root, STAMP);
  let previous = [];
  try {
    previous = JSON.parse(readFileSync(stamp, 'utf8')).files ?? [];
  } catch {
    previous = []; // no build before this one (or one that listed no files): nothing to keep
  }
  rmSync(stamp, { force: true });
  mkdirSync(out, { recursive: true });
  const { metafile } = await build({
    absWorkingDir: root,
    entryPoints: ['src/cli/main.ts'],
    outdir: out,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    keepNames: true,
    sourcemap: true,
    logLevel: 'warning',
    metafile: true,
  });
  const files = Object.keys(metafile.outputs).map((path) => relative(out, join(root, path)));
  const kept = new Set([...files, ...previous, 'build.json']);
  for (const name of readdirSync(out)) if (!kept.has(name)) rmSync(join(out, name), { recursive: true, force: true });
  writeFileSync(stamp, `${JSON.stringify({ digest, builtAt: new Date().toISOString(), files })}\n`);
  process.stdout.write(`ringback build: compiled to ${COMPILED_DIR}\n`);
}
