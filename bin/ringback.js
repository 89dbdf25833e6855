#!/usr/bin/env node
// Runs the compiled command (dist/cli/, built by `npm ci` through bin/build.js) when it was built
// from the sources as they are now, and the TypeScript sources through tsx otherwise, so that a
// fresh clone works after `npm ci` alone and an edited or updated checkout never runs an old build.
import { fileURLToPath, pathToFileURL, URL } from 'node:url';
import { currentCompiledEntry } from './compiled.js';

const compiled = currentCompiledEntry(fileURLToPath(new URL('..', import.meta.url)));
if (compiled) {
  await import(pathToFileURL(compiled).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
