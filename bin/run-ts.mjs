#!/usr/bin/env node
// Runs a TypeScript entry point directly (tsx), like bin/haoke.mjs does for the CLI:
//   node bin/run-ts.mjs bench/run.ts --dialect sqlite
// The file's own arguments follow it and reach it as process.argv.slice(2).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

const [file] = process.argv.splice(2, 1);
if (!file) {
  console.error('usage: node bin/run-ts.mjs FILE.ts [arguments…]');
  process.exit(2);
}
register();
await import(pathToFileURL(path.resolve(file)).href);
