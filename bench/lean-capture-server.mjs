// The throughput floor for a durable capture: the least a server does that keeps every request the
// way hookscope must, in Node, so a run can say how far hookscope is from what such a server
// reaches on the same machine (not a proof that nothing durable can be faster: its line still
// escapes the body as a JSON string, as hookscope's does). It reads the body, builds the stored
// record (headers, path, query, body as UTF-8 or base64), parses a JSON body once (what any payload
// check needs first), serialises the record as one JSON line, appends the lines of all requests
// that arrived meanwhile in one write to a file opened with O_DSYNC (group commit; the file is
// zero-filled ahead and written round, as hookscope's segments are filled ahead, so a write changes
// no file size), keeps the newest 1,000 in an in-memory index, and answers {ok,id} only once its
// line is durable. What it leaves out, and hookscope does: schema, token, signature and duplicate
// checks, scripted answers, the record cache, segment files and their eviction, the live push,
// limits. Prints its URL like hookscope does; used by bench/run.mjs.
import { isUtf8 } from 'node:buffer';
import { closeSync, constants, fdatasyncSync, mkdtempSync, openSync, rmSync, write, writeSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

const KEPT = 1000;
/** The file's size: written round, so disk use stays bounded however long the load runs. */
const FILE_BYTES = 64 * 1024 * 1024;
const dir = mkdtempSync(path.join(os.tmpdir(), 'hookscope-lean-'));
const fd = openSync(path.join(dir, 'log'), constants.O_RDWR | constants.O_CREAT | constants.O_DSYNC);
writeSync(fd, Buffer.alloc(FILE_BYTES));
fdatasyncSync(fd);
let fileEnd = 0;
let sequence = 0;
const index = new Map();
const oldestFirst = [];
let waiting = [];
let writing = false;

function commit() {
  if (writing || waiting.length === 0) return;
  writing = true;
  const batch = waiting;
  waiting = [];
  const bytes = Buffer.from(batch.map((capture) => capture.line).join(''));
  if (fileEnd + bytes.length > FILE_BYTES) fileEnd = 0;
  write(fd, bytes, 0, bytes.length, fileEnd, (error, written) => {
    if (error) throw error;
    if (written !== bytes.length) throw new Error(`short write: ${written} of ${bytes.length} bytes`);
    fileEnd += written;
    writing = false;
    for (const { id, entry, res } of batch) {
      index.set(id, entry);
      oldestFirst.push(id);
      if (oldestFirst.length > KEPT) index.delete(oldestFirst.shift());
      const text = `{"ok":true,"id":"${id}"}`;
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': text.length });
      res.end(text);
    }
    commit();
  });
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const now = Date.now();
    const id = `01${String(++sequence).padStart(24, '0')}`;
    const query = req.url.indexOf('?');
    const utf8 = isUtf8(body);
    const data = utf8 ? body.toString('utf8') : body.toString('base64');
    let kind = 'none';
    if (utf8) {
      try {
        const json = JSON.parse(data);
        kind = json !== null && typeof json === 'object' && Object.hasOwn(json, 'job_id') ? 'krea' : 'json';
      } catch {
        kind = 'text';
      }
    }
    const record = {
      id,
      binId: 'lean',
      receivedAt: new Date(now).toISOString(),
      method: req.method,
      path: query === -1 ? req.url : req.url.slice(0, query),
      queryString: query === -1 ? '' : req.url.slice(query + 1),
      rawHeaders: req.rawHeaders,
      remoteAddress: req.socket.remoteAddress ?? null,
      contentType: req.headers['content-type'] ?? null,
      size: body.length,
      checks: { kind },
      body: { encoding: utf8 ? 'utf8' : 'base64', data },
    };
    const line = `{"h":${JSON.stringify([id, now, body.length])},"r":${JSON.stringify(record)}}\n`;
    waiting.push({ id, line, res, entry: { time: now, size: body.length } });
    commit();
  });
});
server.listen(0, '127.0.0.1', () => console.log(`lean capture listening on http://127.0.0.1:${server.address().port}`));
process.on('SIGTERM', () =>
  server.close(() => {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  }),
);
