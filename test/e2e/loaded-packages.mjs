/**
 * Preloaded with `node --import` into a `ringback` child process by a test: records the name of
 * every npm package the process resolves (ESM and CommonJS alike, ours compiled or through tsx),
 * one per line, in the file named by LOADED_PACKAGES_FILE.
 */
import { register } from 'node:module';
import process from 'node:process';
import { URL } from 'node:url';

register(new URL('./loaded-packages-hooks.mjs', import.meta.url), { data: { file: process.env.LOADED_PACKAGES_FILE } });
