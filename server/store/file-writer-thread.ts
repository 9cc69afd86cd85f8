/**
 * The code of FileWriter's thread, as plain JavaScript source evaluated as a CommonJS script. It
 * is kept as text (not a function turned into text) so that no transpiler can slip helpers into it.
 *
 * Jobs, run one at a time in the order given:
 * - 'replace' writes a temp file, fsyncs, renames it over the target and fsyncs the directory;
 * - 'append' appends and fdatasyncs (and fsyncs the directory when it created the file);
 * - 'rename' renames a file or directory and fsyncs the directory (a durable tombstone, a move);
 * - 'release' closes the descriptor kept for appends to a file;
 * - 'fault' (tests only) makes every later write fail as a full disk does: half the data is
 *   written, then the error `code` is thrown; `code: null` ends it.
 *
 * A failed write leaves no trace: an append is cut back to the file's size before it (so a full
 * disk never leaves a torn line in the middle of a log), a replace deletes its temp file (so
 * failed writes do not pile up and keep the disk full). The error then says `rolledBack: true`.
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

// Appends go to files kept open (the newest segment gets one append per commit): no open and
// close per commit, and fdatasync, which syncs the data and the size but not the timestamps.
const appendFds = new Map();
function appendFd(file) {
  let fd = appendFds.get(file);
  if (fd !== undefined) return fd;
  const existed = fs.existsSync(file);
  fd = fs.openSync(file, 'a');
  try {
    if (!existed) syncDirectory(path.dirname(file));
  } catch (error) {
    fs.closeSync(fd);
    throw error;
  }
  appendFds.set(file, fd);
  if (appendFds.size > 32) {
    const [oldest, oldFd] = appendFds.entries().next().value;
    appendFds.delete(oldest);
    fs.closeSync(oldFd);
  }
  return fd;
}
function forget(file) {
  const fd = appendFds.get(file);
  if (fd !== undefined) {
    appendFds.delete(file);
    fs.closeSync(fd);
  }
}

function appendSynced(file, data) {
  let fd;
  try {
    fd = appendFd(file);
  } catch (error) {
    error.rolledBack = true; // nothing was written (at most an empty file was created)
    throw error;
  }
  const size = fs.fstatSync(fd).size;
  try {
    writeData(fd, data);
    fs.fdatasyncSync(fd);
  } catch (error) {
    error.rolledBack = cutBack(file, fd, size);
    throw error;
  }
}

// Puts an appended file back to its size before a failed append; false if that failed too.
function cutBack(file, fd, size) {
  try {
    fs.ftruncateSync(fd, size);
    fs.fdatasyncSync(fd);
    return true;
  } catch {
    forget(file);
    return false;
  }
}

function replaceSynced(file, temp, data) {
  forget(file); // replaced: an open descriptor would point at the old file
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
    if (job.kind === 'append') appendSynced(job.file, job.data);
    else if (job.kind === 'replace') replaceSynced(job.file, job.temp, job.data);
    else if (job.kind === 'rename') renameSynced(job.file, job.to);
    else if (job.kind === 'release') forget(job.file);
    else if (job.kind === 'fault') fault = job.code;
    parentPort.postMessage({ id: job.id });
  } catch (error) {
    parentPort.postMessage({ id: job.id, error: { message: error.message, code: error.code, rolledBack: error.rolledBack === true } });
  }
});
`;
