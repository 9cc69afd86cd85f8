// Builds the server (tsc → dist/server, dist/shared) and the inspector (vite → dist/web).
// `node scripts/build.mjs` always builds; `--if-stale` (npm's prepack) and ensureBuilt() build
// only when sources are newer than the last build, so `npm start` is fast after the first time.
// An installed package has no sources and is never built here (bin/hookscope.mjs checks).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

/** Runs one build step; resolves when it exits 0, exits the process with its output otherwise. */
function run(command, args, quiet) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit' });
    child.on('error', (error) => fail(command, args, error.message));
    child.on('exit', (code) => (code === 0 ? resolve() : fail(command, args, `exit code ${code}`)));
  });
}

function fail(command, args, why) {
  console.error(`hookscope: build step failed (${why}): ${command} ${args.join(' ')}`);
  process.exit(1);
}

/**
 * Runs `work`, telling the user which step this is and, on a terminal, how long it has run so
 * far (the first build takes from 20 s to a minute, and silence looks like a hang).
 */
async function step(label, progress, work) {
  const started = Date.now();
  const seconds = () => ((Date.now() - started) / 1000).toFixed(0);
  if (!progress) return work();
  const live = process.stderr.isTTY;
  process.stderr.write(`hookscope: ${label}…${live ? '' : '\n'}`);
  const ticker = live ? setInterval(() => process.stderr.write(`\rhookscope: ${label}… ${seconds()} s`), 1000) : null;
  await work();
  if (ticker) clearInterval(ticker);
  process.stderr.write(`${live ? `\rhookscope: ${label}… ` : `hookscope: ${label}: `}done in ${seconds()} s\n`);
}

/**
 * A clean build: the old output and stamp go first, so a failed build never looks finished and
 * modules deleted from the sources are not shipped. `quiet` hides the tools' own output;
 * `progress` prints one line per step with its time (on stderr: stdout is the CLI's).
 */
export async function build({ quiet = false, progress = quiet } = {}) {
  const bin = (name) => path.join(root, 'node_modules', '.bin', name);
  if (!existsSync(bin('tsc')) || !existsSync(bin('vite'))) {
    console.error('hookscope: build tools are missing; run npm install first (or install the built package: see the README).');
    process.exit(1);
  }
  for (const name of ['.build-stamp', 'server', 'shared']) rmSync(path.join(root, 'dist', name), { recursive: true, force: true });
  await step('building 1/2, the server (tsc)', progress, () => run(bin('tsc'), ['-p', 'tsconfig.build.json'], quiet));
  await step('building 2/2, the inspector (vite)', progress, () => run(bin('vite'), ['build', '--logLevel', quiet ? 'error' : 'info'], quiet));
  writeFileSync(stamp, new Date().toISOString());
}

/** Builds when the build is missing or older than the sources; says so first. */
export async function ensureBuilt({ quiet = false } = {}) {
  if (isBuilt()) return;
  console.error('hookscope: building the server and inspector (first start, or the sources changed; about a minute on a small machine)');
  await build({ quiet, progress: true });
}

export function isBuilt() {
  const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
  return built >= newestSourceTime();
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--if-stale')) await ensureBuilt({ quiet: true });
  else await build();
}
