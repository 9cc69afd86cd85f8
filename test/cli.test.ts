import { rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULTS, readConfig } from '../server/config.js';
import { runCli, startChildServer } from './helpers/child-server.js';
import { createBin, makeTempDir } from './helpers/server.js';

describe('configuration', () => {
  it('has the documented defaults', () => {
    expect(readConfig([], {})).toEqual({
      ...{
        port: 8080,
        host: '127.0.0.1',
        dataDir: './data',
        publicUrl: null,
        maxBodySize: 25 * 1024 * 1024,
        maxRequestsPerBin: 1000,
        cacheSize: 256 * 1024 * 1024,
        forwardPolicy: 'auto',
        allowForwardTo: [],
        redisUrl: null,
      },
      ...{
        accessToken: null,
        noAuth: false,
        assumePublic: false,
        logFormat: 'text',
        accessLog: 'auto',
        rateLimit: 'default',
        rateLimitPerAddress: 'default',
        binCreationLimit: 'default',
      },
      ...{ retentionMs: null, binExpiryMs: null, maxDataSize: null, trustProxy: false },
      ...{ allowedHosts: [], captureOrigin: null, maxBodyMemory: 256 * 1024 * 1024, bodyTimeoutMs: 30_000 },
    });
    expect(Object.isFrozen(readConfig([], {}))).toBe(true);
    expect(DEFAULTS.port).toBe(8080);
  });

  it('reads every option from flags and environment variables, flags winning', () => {
    const env = {
      ...{
        PORT: '9000',
        HOST: '0.0.0.0',
        HOOKSCOPE_DATA_DIR: '/env',
        HOOKSCOPE_PUBLIC_URL: 'https://env.example/',
        HOOKSCOPE_MAX_BODY_SIZE: '1mb',
        HOOKSCOPE_MAX_REQUESTS_PER_BIN: '10',
        HOOKSCOPE_CACHE_SIZE: '64mb',
      },
      ...{
        HOOKSCOPE_FORWARD_POLICY: 'strict',
        HOOKSCOPE_ALLOW_FORWARD_TO: 'localhost, 10.0.0.0/8',
        HOOKSCOPE_REDIS_URL: 'redis://env:6379/1',
        HOOKSCOPE_ACCESS_TOKEN: 'env-token-0123456789',
      },
      ...{
        HOOKSCOPE_NO_AUTH: 'true',
        HOOKSCOPE_PUBLIC: '1',
        HOOKSCOPE_LOG_FORMAT: 'json',
        HOOKSCOPE_ACCESS_LOG: 'on',
        HOOKSCOPE_RATE_LIMIT: '10/s:20',
        HOOKSCOPE_RATE_LIMIT_PER_ADDRESS: 'off',
      },
      ...{
        HOOKSCOPE_BIN_CREATION_LIMIT: '6/min',
        HOOKSCOPE_RETENTION: '7d',
        HOOKSCOPE_BIN_EXPIRY: '30d',
        HOOKSCOPE_MAX_DATA_SIZE: '1gb',
        HOOKSCOPE_TRUST_PROXY: 'yes',
      },
      ...{ HOOKSCOPE_ALLOWED_HOSTS: 'Hooks.Example.com, .example.org,[::1]', HOOKSCOPE_CAPTURE_ORIGIN: 'https://content.example.net' },
      ...{ HOOKSCOPE_MAX_BODY_MEMORY: '64mb', HOOKSCOPE_BODY_TIMEOUT: '2m' },
    };
    const fromEnv = {
      ...{
        port: 9000,
        host: '0.0.0.0',
        dataDir: '/env',
        publicUrl: 'https://env.example',
        maxBodySize: 1024 * 1024,
        maxRequestsPerBin: 10,
        cacheSize: 64 * 1024 * 1024,
      },
      ...{ forwardPolicy: 'strict', allowForwardTo: ['localhost', '10.0.0.0/8'], redisUrl: 'redis://env:6379/1', accessToken: 'env-token-0123456789' },
      ...{ noAuth: true, assumePublic: true, logFormat: 'json', accessLog: 'on', rateLimit: { perSecond: 10, burst: 20 }, rateLimitPerAddress: null },
      ...{
        binCreationLimit: { perSecond: 0.1, burst: 6 },
        retentionMs: 7 * 86_400_000,
        binExpiryMs: 30 * 86_400_000,
        maxDataSize: 1024 ** 3,
        trustProxy: true,
      },
      ...{ allowedHosts: ['hooks.example.com', '.example.org', '::1'], captureOrigin: 'https://content.example.net' },
      ...{ maxBodyMemory: 64 * 1024 * 1024, bodyTimeoutMs: 120_000 },
    };
    expect(readConfig([], env)).toEqual(fromEnv);
    const flags = [
      '--port',
      '0',
      '--host=::1',
      '--data-dir',
      '/flag',
      '--public-url',
      'http://x.test:8080',
      '--max-body-size',
      '512kb',
      '--max-requests-per-bin=20',
      '--cache-size=1gb',
      '--forward-policy',
      'auto',
      '--allow-forward-to=127.0.0.1,::1',
      '--redis-url',
      'redis://flag:6379',
    ];
    flags.push(
      '--access-token',
      'flag-token-0123456789',
      '--no-auth',
      '--public',
      '--log-format',
      'text',
      '--access-log=off',
      '--rate-limit',
      'off',
      '--retention',
      '12h',
      '--max-data-size',
      'off',
    );
    flags.push('--allowed-hosts', 'all', '--capture-origin', 'http://captures.x.test:8080', '--max-body-memory', '1gb', '--body-timeout', 'off');
    expect(readConfig(flags, env)).toEqual({
      ...fromEnv,
      ...{
        port: 0,
        host: '::1',
        dataDir: '/flag',
        publicUrl: 'http://x.test:8080',
        maxBodySize: 512 * 1024,
        maxRequestsPerBin: 20,
        cacheSize: 1024 ** 3,
        forwardPolicy: 'auto',
        allowForwardTo: ['127.0.0.1', '::1'],
        redisUrl: 'redis://flag:6379',
      },
      ...{ accessToken: 'flag-token-0123456789', logFormat: 'text', accessLog: 'off', rateLimit: null, retentionMs: 12 * 3_600_000, maxDataSize: null },
      ...{ allowedHosts: 'all', captureOrigin: 'http://captures.x.test:8080', maxBodyMemory: 1024 ** 3, bodyTimeoutMs: null },
    });
  });

  it('names the offending flag or variable in a one-line error', () => {
    const cases: [string[], Record<string, string>, RegExp][] = [
      [['--port', 'abc'], {}, /^--port must be a port number/],
      [['--port', '70000'], {}, /^--port /],
      [['--max-body-size', '10 parsecs'], {}, /^--max-body-size /],
      [['--max-requests-per-bin', '0'], {}, /^--max-requests-per-bin /],
      [['--cache-size', 'lots'], {}, /^--cache-size must be a size/],
      [['--public-url', 'ftp://x'], {}, /^--public-url must use http/],
      [['--public-url', 'not a url'], {}, /^--public-url /],
      [['--forward-policy', 'lax'], {}, /^--forward-policy must be auto or strict/],
      [['--access-token', 'short'], {}, /^--access-token must be at least 16 characters/],
      [['--rate-limit', 'lots'], {}, /^--rate-limit must be a rate such as 100\/s/],
      [['--retention', '7 days'], {}, /^--retention must be a duration such as 7d/],
      [['--log-format', 'xml'], {}, /^--log-format must be text or json/],
      [[], { HOOKSCOPE_NO_AUTH: 'maybe' }, /^HOOKSCOPE_NO_AUTH \(--no-auth\) must be true or false/],
      [['--allow-forward-to', 'localhost,not a host'], {}, /^--allow-forward-to entries must be/],
      [['--allow-forward-to', '10.0.0.0/33'], {}, /^--allow-forward-to /],
      [['--redis-url', 'http://127.0.0.1:6379'], {}, /^--redis-url must use redis:\/\/ or rediss:\/\//],
      [['--bogus'], {}, /^--bogus is not a known option/],
      [['--port'], {}, /^--port needs a value/],
      [[], { PORT: 'x' }, /^PORT \(--port\) /],
      [['--allowed-hosts', 'hooks.example.com:8080'], {}, /^--allowed-hosts entries must be host names .* without a port/],
      [['--allowed-hosts', 'a b'], {}, /^--allowed-hosts entries must be/],
      [
        ['--capture-origin', 'https://hooks.example.com:8443', '--public-url', 'https://hooks.example.com'],
        {},
        /^--capture-origin must use another host name than --public-url/,
      ],
    ];
    for (const [argv, env, message] of cases) {
      let error: unknown;
      try {
        readConfig(argv, env);
      } catch (caught) {
        error = caught;
      }
      expect(error, argv.join(' ')).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain('\n');
    }
  });
});

describe('hookscope command', () => {
  it('documents every option in --help', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    for (const text of [
      '--port',
      '--host',
      '--data-dir',
      '--public-url',
      '--max-body-size',
      '--max-requests-per-bin',
      'PORT',
      'HOST',
      'HOOKSCOPE_DATA_DIR',
      'HOOKSCOPE_PUBLIC_URL',
      'HOOKSCOPE_MAX_BODY_SIZE',
      'HOOKSCOPE_MAX_REQUESTS_PER_BIN',
      '--forward-policy',
      'HOOKSCOPE_FORWARD_POLICY',
      '--allow-forward-to',
      'HOOKSCOPE_ALLOW_FORWARD_TO',
      '--redis-url',
      'HOOKSCOPE_REDIS_URL',
      'hookscope forward',
    ]) {
      expect(stdout).toContain(text);
    }
  });

  it('exits 2 with a one-line error naming the flag', async () => {
    const { code, stderr, stdout } = await runCli(['--port', 'abc']);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^hookscope: --port must be a port number/);
    expect(stdout).toBe('');
  });

  it('exits 2 when the port is taken', async () => {
    const dataDir = await makeTempDir();
    const first = await startChildServer(['--port', '0', '--data-dir', dataDir]);
    const port = new URL(first.url).port;
    const second = await runCli(['--port', port, '--data-dir', dataDir]);
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/port \d+ is in use/);
    first.child.kill('SIGTERM');
    await first.exited;
    await rm(dataDir, { recursive: true, force: true });
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`listens on a free port, prints its URL, and exits 0 on ${signal} after finishing writes`, async () => {
      const dataDir = await makeTempDir();
      const server = await startChildServer(['--port', '0', '--data-dir', dataDir], { HOOKSCOPE_MAX_BODY_SIZE: '2kb' });
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(server.output()).toMatch(/^hookscope listening on http:\/\/127\.0\.0\.1:\d+\n/);
      const bin = await createBin(server.url);
      expect((await fetch(`${server.url}/h/${bin.id}`, { method: 'POST', body: 'x'.repeat(3000) })).status).toBe(413); // env applied
      const inFlight = Array.from({ length: 50 }, (_, i) =>
        fetch(`${server.url}/h/${bin.id}`, { method: 'POST', body: String(i) }).then(
          (r) => r.status,
          () => 0,
        ),
      );
      await new Promise((r) => setTimeout(r, 20));
      server.child.kill(signal);
      const statuses = await Promise.all(inFlight);
      expect((await server.exited).code).toBe(0);
      const acked = statuses.filter((s) => s === 200).length;

      const again = await startChildServer(['--port', '0', '--data-dir', dataDir]);
      const count = (await (await fetch(`${again.url}/api/bins/${bin.id}`)).json()).requestCount;
      expect(count).toBeGreaterThanOrEqual(acked + 1); // +1: the recorded 413
      again.child.kill('SIGTERM');
      await again.exited;
      await rm(dataDir, { recursive: true, force: true });
    });
  }
});
