// The latency floor for a durable capture: a bare node:http server that appends each body to one
// file and fdatasyncs it before answering 200, i.e. the least any server that acknowledges only
// durable data must do. Prints its URL like hookscope does. Used by bench/scale.mjs.
import { closeSync, fdatasync, mkdtempSync, openSync, rmSync, write } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

const dir = mkdtempSync(path.join(os.tmpdir(), 'hookscope-floor-'));
const fd = openSync(path.join(dir, 'log'), 'a');

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const line = Buffer.concat([...chunks, Buffer.from('\n')]);
    write(fd, line, (error) => {
      if (error) throw error;
      fdatasync(fd, (syncError) => {
        if (syncError) throw syncError;
        const text = '{"ok":true}';
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': text.length });
        res.end(text);
      });
    });
  });
});
server.listen(0, '127.0.0.1', () => console.log(`floor listening on http://127.0.0.1:${server.address().port}`));
process.on('SIGTERM', () =>
  server.close(() => {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  }),
);
