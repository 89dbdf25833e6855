/**
 * Whether the compiled copy of the command (dist/cli/, written by bin/build.js, which `npm ci` and
 * `npm install` run as the package's `prepare` script) was built from the sources as they are now.
 *
 * The copy records a digest of what it was built from; the command runs it only when the same
 * digest comes out of the files on disk. Contents, not modification times: a checkout, a copy with
 * `cp -p`, a tar or rsync keep or set times that say nothing about which build is current. Hashing
 * the ~1.7 MB of sources takes a few milliseconds at each start.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** Folders whose files go into the build, whatever their extension (data included). */
const SOURCE_FOLDERS = ['src', 'workers', 'config'];
/** Files that change what the build produces or how: the package (version, type), the compiler settings, the build itself. */
const BUILD_FILES = ['package.json', 'tsconfig.json', 'bin/build.js'];

/** Where the compiled command lives, relative to the package root. */
export const COMPILED_DIR = join('dist', 'cli');
/** The entry point: two folders down, so that `../../package.json` from src/cli/main.ts is still the package's. */
export const COMPILED_ENTRY = join(COMPILED_DIR, 'main.js');
/** Written last by a build: `{ digest, builtAt }`. No stamp, no build. */
export const STAMP = join(COMPILED_DIR, 'build.json');

function filesUnder(root, folder) {
  const out = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) out.push(relative(root, path).split(sep).join('/'));
    }
  };
  // A folder that is not there holds no files (the build then says which import it misses).
  if (existsSync(join(root, folder))) walk(join(root, folder));
  return out;
}

/** A digest of every file the build reads, names included (a renamed or deleted file changes it). */
export function sourceDigest(root) {
  const hash = createHash('sha256');
  const files = [...SOURCE_FOLDERS.flatMap((folder) => filesUnder(root, folder)), ...BUILD_FILES].sort();
  for (const file of files) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(join(root, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** True when the sources are present (a clone; not the first layers of the Docker image). */
export function hasSources(root) {
  return existsSync(join(root, 'src', 'cli', 'main.ts'));
}

/**
 * The compiled entry point when it was built from exactly these sources, else null (no build, a
 * build of other sources, or no sources to compare with): the caller then runs the sources.
 */
export function currentCompiledEntry(root) {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(join(root, STAMP), 'utf8'));
  } catch {
    return null; // never built (or `npm ci --ignore-scripts`): the sources run through tsx
  }
  if (!hasSources(root) || typeof stamp?.digest !== 'string') return null;
  return stamp.digest === sourceDigest(root) && existsSync(join(root, COMPILED_ENTRY)) ? join(root, COMPILED_ENTRY) : null;
}
