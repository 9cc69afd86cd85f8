// `node bench/uploads.mjs`: memory held by large uploads in flight. Starts hookscope (built) in
// its own process, sends COUNT concurrent SIZE-byte bodies to one capture URL over loopback, and
// reports the server's peak RSS (VmHWM) and how the uploads were answered. Bounded: one round.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const COUNT = Number(process.env.UPLOADS ?? 40);
const SIZE = Number(process.env.UPLOAD_SIZE ?? 25 * 1024 * 1024);
const extraArgs = (process.env.HOOKSCOPE_ARGS ?? '').split(' ').filter(Boolean);

export async function measureUploads({ count = COUNT, size = SIZE, args = extraArgs } = {}) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hookscope-uploads-'));
  const child = spawn(process.execPath, ['bin/hookscope.mjs', '--port', '0', '--data-dir', dataDir, ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const url = await new Promise((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c) => {
        out += c;
        const m = /listening on (\S+)/.exec(out);
        if (m) resolve(m[1]);
      });
      child.once('exit', (code) => reject(new Error(`hookscope exited ${code}`)));
    });
    const bin = await (await fetch(`${url}/api/bins`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json();
    const base = rss(child.pid);
    // A body of printable bytes (not JSON: this measures the upload path, not the checks).
    const body = Buffer.alloc(size, 'a');
    const started = performance.now();
    const statuses = await Promise.all(Array.from({ length: count }, () => post(bin.url, body)));
    const seconds = (performance.now() - started) / 1000;
    const after = rss(child.pid);
    const tally = {};
    for (const s of statuses) tally[s] = (tally[s] ?? 0) + 1;
    return {
      count,
      sizeMb: size / 1024 / 1024,
      baseRssMb: Math.round(base.rss),
      peakRssMb: Math.round(after.peak),
      seconds: Number(seconds.toFixed(1)),
      statuses: tally,
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function post(url, body) {
  return new Promise((resolve) => {
    const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/octet-stream', 'content-length': body.length } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', (e) => resolve(`error ${e.code}`));
    req.end(body);
  });
}

function rss(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)[1]);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await measureUploads()));
