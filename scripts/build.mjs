// Builds the server (tsc → dist/server, dist/shared) and the inspector (vite → dist/web).
// `node scripts/build.mjs` always builds; ensureBuilt() builds only when sources are newer
// than the last build, so `npm start` is fast after the first time.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stamp = path.join(root, 'dist', '.build-stamp');
const sourceDirs = ['server', 'shared', 'web'];
const sourceFiles = ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'vite.config.ts'];

function newestSourceTime() {
  let newest = 0;
  const visit = (p) => {
    if (!existsSync(p)) return;
    const stat = statSync(p);
    if (stat.isDirectory()) for (const name of readdirSync(p)) visit(path.join(p, name));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const name of [...sourceDirs, ...sourceFiles]) visit(path.join(root, name));
  return newest;
}

function run(command, args, quiet) {
  const result = spawnSync(command, args, { cwd: root, stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit' });
  if (result.status !== 0) {
    console.error(`hookscope: build step failed: ${command} ${args.join(' ')}`);
    process.exit(1);
  }
}

export function build({ quiet = false } = {}) {
  const bin = (name) => path.join(root, 'node_modules', '.bin', name);
  if (!existsSync(bin('tsc')) || !existsSync(bin('vite'))) {
    console.error('hookscope: build tools are missing; run npm install first.');
    process.exit(1);
  }
  run(bin('tsc'), ['-p', 'tsconfig.build.json'], quiet);
  run(bin('vite'), ['build', '--logLevel', quiet ? 'error' : 'info'], quiet);
  writeFileSync(stamp, new Date().toISOString());
}

export async function ensureBuilt({ quiet = false } = {}) {
  const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
  if (built >= newestSourceTime()) return;
  if (!quiet) console.log('hookscope: building…');
  else console.error('hookscope: building the server and inspector (first start or sources changed)…');
  build({ quiet });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) build();
