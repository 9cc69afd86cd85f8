/**
 * The code of FileWriter's thread, as plain JavaScript source evaluated as a CommonJS script. It
 * is kept as text (not a function turned into text) so that no transpiler can slip helpers into it.
 *
 * Jobs, run one at a time in the order given:
 * - 'replace' writes a temp file, fsyncs, renames it over the target and fsyncs the directory;
 * - 'rename' renames a file or directory and fsyncs the directory (a durable tombstone, a move);
 * - 'fault' (tests only) makes every later write fail as a full disk does: half the data is
 *   written, then the error `code` is thrown; `code: null` ends it.
 *
 * A failed write leaves no trace: a replace deletes its temp file (so failed writes do not pile
 * up and keep the disk full). The error then says `rolledBack: true`. (Segment appends are done
 * from the main thread: file-appender.ts.)
 */
export const WRITER_THREAD_SOURCE = `
const fs = require('node:fs');
const path = require('node:path');
const { parentPort } = require('node:worker_threads');

let fault = null;

function writeData(fd, data) {
  if (fault !== null) {
    const bytes = Buffer.from(data);
    fs.writeSync(fd, bytes, 0, bytes.length >> 1);
    throw Object.assign(new Error(fault + ': no space left on device (simulated), write'), { code: fault });
  }
  fs.writeFileSync(fd, data);
}

function writeSynced(file, flags, data) {
  const fd = fs.openSync(file, flags);
  try {
    writeData(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function syncDirectory(dir) {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function removeQuietly(file) {
  try {
    fs.unlinkSync(file);
  } catch {}
}

function replaceSynced(file, temp, data) {
  try {
    writeSynced(temp, 'w', data);
    fs.renameSync(temp, file);
  } catch (error) {
    removeQuietly(temp);
    error.rolledBack = true; // the target was not touched
    throw error;
  }
  syncDirectory(path.dirname(file));
}

function renameSynced(from, to) {
  fs.renameSync(from, to);
  syncDirectory(path.dirname(to));
  if (path.dirname(from) !== path.dirname(to)) syncDirectory(path.dirname(from));
}

parentPort.on('message', (job) => {
  try {
    if (job.kind === 'replace') replaceSynced(job.file, job.temp, job.data);
    else if (job.kind === 'rename') renameSynced(job.file, job.to);
    else if (job.kind === 'fault') fault = job.code;
    parentPort.postMessage({ id: job.id });
  } catch (error) {
    parentPort.postMessage({ id: job.id, error: { message: error.message, code: error.code, rolledBack: error.rolledBack === true } });
  }
});
`;
