#!/usr/bin/env node
// Runs the TypeScript sources through tsx, so that a fresh clone works after `npm ci` alone.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
