// The first mile as a new user meets it: `npm pack` the project, install the tarball without dev
// dependencies in an empty folder, and run the installed `hookscope` (server, forward, send) with
// no TypeScript, Vite or source tree around. The pack runs the real `prepack` script, which builds
// only when dist/ is older than the sources (the global setup has just built it).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers/child-server.js';
import { makeTempDir } from './helpers/server.js';

const exec = promisify(execFile);
const npm = path.join(path.dirname(process.execPath), 'npm');
// The installed command runs through its `#!/usr/bin/env node` line, as on a user's machine.
const env = { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}` };

let work = '';
let tarball = '';
let installed = '';
let server: ChildProcess | undefined;

beforeAll(async () => {
  work = await makeTempDir('hookscope-package-');
  const packed = await exec(npm, ['pack', '--json', '--pack-destination', work], { cwd: ROOT, env, timeout: 240_000, maxBuffer: 16 * 1024 * 1024 });
  tarball = path.join(work, (JSON.parse(packed.stdout) as { filename: string }[])[0]!.filename);
  installed = path.join(work, 'app');
  await mkdir(installed);
  await writeFile(path.join(installed, 'package.json'), JSON.stringify({ name: 'first-mile', private: true }));
  // --prefer-offline: the npm cache already holds every runtime dependency (npm ci put them there).
  await exec(npm, ['install', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd: installed, env, timeout: 120_000 });
}, 360_000);

afterAll(async () => {
  server?.kill('SIGTERM');
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the npm package', () => {
  it('ships the built server and inspector, and none of the sources or tests', async () => {
    const { stdout } = await exec('tar', ['tzf', tarball]);
    const files = stdout
      .split('\n')
      .filter(Boolean)
      .map((name) => name.replace(/^package\//, ''));
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'bin/hookscope.mjs',
        'dist/server/cli/main.js',
        'dist/server/checks/check-worker.js',
        'dist/shared/api-types.js',
        'dist/web/index.html',
      ]),
    );
    expect(files.some((name) => name.startsWith('dist/web/assets/') && name.endsWith('.js'))).toBe(true);
    const unwanted = files.filter(
      (name) => /^(server|shared|web|test|bench|scripts|docs)\//.test(name) || name.endsWith('.ts') || name.endsWith('.map') || name.startsWith('.'),
    );
    expect(unwanted).toEqual([]);
  });

  it('installs only the runtime dependencies: no TypeScript, Vite, Preact or test tools', async () => {
    const modules = await readdir(path.join(installed, 'node_modules'));
    for (const name of ['koa', 'ws', 'lowdb', 'ajv', 'hookscope']) expect(modules).toContain(name);
    for (const name of ['typescript', 'vite', 'preact', 'vitest', 'tsx', 'playwright-core', '@preact']) expect(modules).not.toContain(name);
    const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(manifest.dependencies).sort()).toEqual([
      '@koa/router',
      '@modelcontextprotocol/sdk',
      '@redis/client',
      'ajv',
      'ajv-formats',
      'busboy',
      'koa',
      'lowdb',
      're2js',
      'ws',
      'zod',
    ]);
    expect(existsSync(path.join(installed, 'node_modules', 'hookscope', 'server'))).toBe(false);
  });

  it('starts with `hookscope --port 0`, serves the inspector and captures a request', async () => {
    const dataDir = path.join(work, 'data');
    const child = spawn(path.join(installed, 'node_modules', '.bin', 'hookscope'), ['--port', '0', '--data-dir', dataDir], {
      cwd: installed,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server = child;
    const url = await listeningUrl(child);

    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<script type="module"[^>]*src="\/assets\//);

    const created = await fetch(`${url}/api/bins`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(created.status).toBe(201);
    const bin = (await created.json()) as { id: string };
    const captured = await fetch(`${url}/h/${bin.id}/from-the-package?x=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"hello":"package"}',
    });
    expect(captured.status).toBe(200);
    const list = (await (await fetch(`${url}/api/bins/${bin.id}/requests`)).json()) as { requests: { id: string; path: string }[] };
    expect(list.requests.map((r) => r.path)).toEqual(['/from-the-package']);
    const body = await fetch(`${url}/api/bins/${bin.id}/requests/${list.requests[0]!.id}/body`);
    expect(await body.text()).toBe('{"hello":"package"}');

    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(code).toBe(0);
    server = undefined;
  });

  it('runs `hookscope forward --help` and `hookscope send --help`', async () => {
    const bin = path.join(installed, 'node_modules', '.bin', 'hookscope');
    const forward = await exec(bin, ['forward', '--help'], { cwd: installed, env, timeout: 30_000 });
    expect(forward.stdout).toMatch(/^Usage: hookscope forward <capture-url> --to <url>/m);
    const send = await exec(bin, ['send', '--help'], { cwd: installed, env, timeout: 30_000 });
    expect(send.stdout).toMatch(/^Usage: hookscope send <receiver-url> --kind/m);
    const version = await exec(bin, ['--version'], { cwd: installed, env, timeout: 30_000 });
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
  });
});

/** Resolves with the URL the installed command prints once it listens; rejects if it exits or stalls. */
function listeningUrl(child: ChildProcess): Promise<string> {
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /hookscope listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`the installed hookscope exited (${code}) before listening:\n${output}`)));
    setTimeout(() => reject(new Error(`the installed hookscope did not start in 20 s:\n${output}`)), 20_000).unref();
  });
}
