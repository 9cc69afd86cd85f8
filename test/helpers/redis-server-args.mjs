// Plain JavaScript so that the benchmarks (bench/processes.mjs) and the tests
// (test/helpers/redis.ts) start redis-server the same way; redis-server-args.d.mts types it.

/**
 * The arguments of a private redis-server: listening on 127.0.0.1:`port`, its data in `dir`,
 * append-only with `appendfsync` set to `fsync` (`always`: a reply means on disk; `everysec`),
 * no RDB snapshots, in the foreground, logging to stdout (where "Ready to accept connections" is awaited).
 */
export function redisServerArgs(port, dir, fsync = 'always') {
  return [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    'yes',
    '--appendfsync',
    fsync,
    '--daemonize',
    'no',
    '--logfile',
    '',
  ];
}
