// Builds the web app when dist/web is missing or older than its sources. Used by `npm install`
// (prepare) and by `haoke serve`, so `npm install && npm start` works from a clean clone.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

function newestMtime(dir) {
  let newest = 0;
  if (!fs.existsSync(dir)) {
    return newest;
  }
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** @param {{ quiet?: boolean }} options */
export function ensureWebBuilt(options = {}) {
  const index = path.join(root, 'dist', 'web', 'index.html');
  const sources = Math.max(newestMtime(path.join(root, 'web')), newestMtime(path.join(root, 'common')));
  if (fs.existsSync(index) && fs.statSync(index).mtimeMs >= sources) {
    return;
  }
  const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!fs.existsSync(vite)) {
    if (!fs.existsSync(index)) {
      process.stderr.write('web app not built and vite is not installed: run `npm install` first\n');
    }
    return;
  }
  if (!options.quiet) {
    process.stdout.write('building the web app into dist/web…\n');
  }
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    throw new Error('web build failed');
  }
}
