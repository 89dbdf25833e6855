/**
 * Which copy of the command is running, for `ringback doctor`: the compiled build in dist/cli/, or
 * the TypeScript sources through tsx, which bin/ringback.js falls back to when that build was not
 * made from the sources as they are now (bin/compiled.js). The fallback works, but every start
 * compiles the sources again and the daemon carries the TypeScript loader: 30–40 MB more memory
 * (bin/build.js). A checkout updated without `npm ci` (a `git pull` alone) runs that way for ever.
 *
 * bin/compiled.js is loaded from the package at run time rather than bundled, so that the check is
 * the very one the launcher makes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as Compiled from '../../bin/compiled.js';

export interface CommandBuildCheck {
  /** False: a warning, never a failure (the command runs either way). */
  readonly ok: boolean;
  /** One line, with the fix when there is one. */
  readonly what: string;
}

const FIX = 'run "npm run build:cli" (or "npm ci") in the ringback folder';

/** The package folder: the nearest one up from `from` with a package.json (src/cli/ and dist/cli/ alike). */
function packageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

/** The digest the build in dist/cli was made from, or null when there is no build (or no readable stamp). */
function builtDigest(stampFile: string): string | null {
  try {
    const stamp = JSON.parse(readFileSync(stampFile, 'utf8')) as { digest?: unknown };
    return typeof stamp.digest === 'string' ? stamp.digest : null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || error instanceof SyntaxError) return null;
    throw error;
  }
}

/** How this command runs, judged as bin/ringback.js judges it. */
export async function checkCommandBuild(): Promise<CommandBuildCheck> {
  // This module's own file: src/cli/command-build.ts under tsx, a chunk in dist/cli/ when compiled.
  const here = fileURLToPath(import.meta.url);
  const root = packageRoot(dirname(here));
  const compiled = (await import(pathToFileURL(join(root, 'bin', 'compiled.js')).href)) as typeof Compiled;
  const current = compiled.currentCompiledEntry(root) !== null;
  const fromSources = here.endsWith('.ts');
  if (current) {
    return { ok: true, what: fromSources ? 'command: runs from the sources; the compiled build in dist/cli is current too' : 'command: the compiled build in dist/cli, current with the sources' };
  }
  const digest = builtDigest(join(root, compiled.STAMP));
  const why =
    digest === null
      ? 'dist/cli holds no build'
      : digest !== compiled.sourceDigest(root)
        ? 'the build in dist/cli is stale (made from other sources than these)'
        : `${compiled.COMPILED_ENTRY} is missing`;
  const how = fromSources ? 'runs from the TypeScript sources through tsx (slower to start, 30–40 MB more memory)' : 'runs a compiled build that does not match the sources';
  return { ok: false, what: `command: ${how}: ${why}; ${FIX}` };
}
