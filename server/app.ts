import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { logRequests } from './access-log.js';
import { CaptureLimits } from './capture/limits.js';
import { createKoaApp } from './koa-app.js';
import { Retention } from './retention.js';
import { AccessControl } from './security/auth.js';
import { accessLogEnabled, effectiveLimit, resolveAccessToken } from './security/public-mode.js';
import { RateLimiter } from './security/rate-limit.js';
import type { ApiDeps } from './api/deps.js';
import { handleCapture, type CaptureDeps } from './capture/capture.js';
import { CHECK_POOL_DEFAULTS, CheckPool, type CheckPoolOptions } from './checks/check-pool.js';
import type { Config } from './config.js';
import { FORWARDER_DEFAULTS, Forwarder, type ForwarderOptions } from './forward/forwarder.js';
import { SmeeStreams } from './forward/smee-sse.js';
import { createRequestIdGenerator } from './ids.js';
import { FileSendHistory, type SendHistory } from './simulator/history.js';
import { ResponseScript } from './responses/script.js';
import { LiveBus } from './live/bus.js';
import { LIVE_DEFAULTS, LiveHub, type LiveHubOptions } from './live/ws-hub.js';
import { defaultWebDir } from './paths.js';
import { LowdbStore } from './store/lowdb-store.js';
import type { Store } from './store/types.js';

export interface HookscopeServer {
  readonly http: Server;
  readonly store: Store;
  readonly bus: LiveBus;
  readonly live: LiveHub;
  readonly retention: Retention;
  /** The check workers (custom schemas, large bodies). */
  readonly checks: CheckPool;
  /** The access token in force (null: none), and whether it was generated at start. */
  readonly access: { token: string | null; generated: boolean };
  /** Starts listening on the configured host and port; resolves with the base URL. */
  listen(): Promise<string>;
  /** Stops accepting, finishes captures in flight and pending writes, then releases everything. */
  close(): Promise<void>;
}

export interface ServerOptions {
  /** The built inspector; defaults to dist/web in the checkout. */
  webDir?: string;
  /** Heartbeat and back-pressure settings of the live push (tests shorten them). */
  live?: Partial<LiveHubOptions>;
  /** Auto-forward retry timing (tests scale the back-off down). */
  forward?: Partial<ForwarderOptions>;
  /** Random numbers in [0, 1) for failure-rate rules (tests fix the sequence). */
  random?: () => number;
  /** The clock of rate limits and retention (tests move it instead of waiting). */
  now?: () => number;
  /** Where access log lines go (default: stdout). */
  log?: (line: string) => void;
  /** The check workers' count, time budget and memory (tests shorten the budget). */
  checks?: Partial<CheckPoolOptions>;
}

/** Builds the whole server (store, capture path, API, inspector) without listening. */
export async function createServer(config: Config, options: ServerOptions = {}): Promise<HookscopeServer> {
  const now = options.now ?? Date.now;
  // --redis-url: store and live fan-out shared by every instance; Redis code is loaded only then.
  const { store, bus, sends }: { store: Store; bus: LiveBus; sends: SendHistory } = config.redisUrl
    ? await (await import('./redis/backend.js')).openRedisBackend(config)
    : {
        store: await LowdbStore.open(config.dataDir, { maxRequestsPerBin: config.maxRequestsPerBin, logLimits: { maxHeldBytes: config.cacheSize } }),
        bus: new LiveBus(),
        sends: await new FileSendHistory(config.dataDir).open(),
      };
  const token = resolveAccessToken(config);
  const access = new AccessControl(token.token, config.publicUrl?.startsWith('https:') ?? false, now);
  const limits = new CaptureLimits(config, now);
  const retention = new Retention({ store, bus, config }, now);
  const responses = new ResponseScript(store, options.random);
  const binCreation = effectiveLimit(config, 'binCreationLimit');
  const checkPool = new CheckPool({ ...CHECK_POOL_DEFAULTS, ...options.checks });
  const deps: ApiDeps = { config, store, bus, responses, sends, limits, retention, access, binCreation: binCreation ? new RateLimiter(binCreation, now) : null, checkPool };
  const koaHandler = createKoaApp(deps, access, options.webDir ?? defaultWebDir()).callback();
  const forwarder = new Forwarder({ config, store, bus }, { ...FORWARDER_DEFAULTS, ...options.forward });
  const smee = new SmeeStreams({ store, bus });
  const capture: CaptureDeps = {
    store,
    publicUrl: config.publicUrl,
    bus,
    maxBodySize: config.maxBodySize,
    nextRequestId: createRequestIdGenerator(),
    inFlight: new Set(),
    afterStore: (bin, record, body, res) => forwarder.afterStore(bin, record, body, res),
    responses,
    limits,
    trustProxy: config.trustProxy,
    checkPool,
  };
  const logRequest = accessLogEnabled(config) ? logRequests(config.logFormat, options.log) : null;
  // Captures are answered on the bare node:http request, before Koa: it is the hot path.
  // requireHostHeader off: a capture tool records odd requests rather than refusing them.
  const http = createHttpServer({ requireHostHeader: false }, (req, res) => {
    logRequest?.(req, res);
    if (smee.handle(req, res)) return; // GET /h/<binId> asking for text/event-stream: a smee.io channel
    if (!handleCapture(req, res, capture)) void koaHandler(req, res);
  });
  http.keepAliveTimeout = 65_000; // longer than common proxy idle timeouts, so proxies close first
  const live = new LiveHub(store, bus, { ...LIVE_DEFAULTS, ...options.live });
  // One server carries HTTP and WebSockets: /ws upgrades go to the hub, any other is refused.
  http.on('upgrade', (req, socket, head) => {
    if ((req.url ?? '').split('?')[0] !== '/ws') return void socket.destroy();
    if (access.check(req.headers) !== 'ok') return refuseUnauthorizedUpgrade(socket);
    live.handleUpgrade(req, socket, head);
  });
  retention.start();

  return {
    http,
    store,
    bus,
    live,
    retention,
    checks: checkPool,
    access: token,
    listen: () => listen(http, config),
    close: async () => {
      live.close();
      smee.close();
      await retention.stop();
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeIdleConnections();
      await Promise.allSettled([...capture.inFlight]);
      await forwarder.close(); // after the captures, whose forwards it then records
      await checkPool.close(); // API requests still running get their checks marked skipped
      await Promise.all([store.close(), sends.close()]);
      http.closeIdleConnections(); // keep-alive sockets that went idle once their answers were sent
      const timer = setTimeout(() => http.closeAllConnections(), 2000); // e.g. long-polls
      await closed;
      clearTimeout(timer);
    },
  };
}

function refuseUnauthorizedUpgrade(socket: Duplex): void {
  const body = JSON.stringify({ error: { code: 'unauthorized', message: 'This hookscope needs an access token: log in, or send "Authorization: Bearer <token>".' } });
  socket.end(`HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

function listen(http: Server, config: Config): Promise<string> {
  return new Promise((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, config.host, () => {
      http.off('error', reject);
      const { address, port } = http.address() as AddressInfo;
      resolve(`http://${address.includes(':') ? `[${address}]` : address}:${port}`);
    });
  });
}
