import { createServer as createHttpServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { logRequests } from './access-log.js';
import { HttpError, sendJsonError } from './http-error.js';
import { BodyBudget } from './capture/body-budget.js';
import { CaptureLimits } from './capture/limits.js';
import { createKoaApp } from './koa-app.js';
import { Retention } from './retention.js';
import { HostRules } from './security/allowed-hosts.js';
import { AccessControl } from './security/auth.js';
import { admitUpgrade } from './security/upgrade-gate.js';
import { accessLogEnabled, effectiveLimit, resolveAccessToken } from './security/public-mode.js';
import { RateLimiter } from './security/rate-limit.js';
import type { ApiDeps } from './api/deps.js';
import { AfterAnswers } from './capture/after-answers.js';
import { handleCapture, type CaptureDeps } from './capture/capture.js';
import { CHECK_POOL_DEFAULTS, CheckPool, type CheckPoolOptions } from './checks/check-pool.js';
import { DeadlineWatch } from './checks/expected-deadlines.js';
import type { Config } from './config.js';
import { FORWARDER_DEFAULTS, Forwarder, type ForwarderOptions } from './forward/forwarder.js';
import { SmeeStreams } from './smee/smee-sse.js';
import { createRequestIdGenerator } from './ids.js';
import { FileSendHistory, type SendHistory } from './simulator/history.js';
import { ResponseScript } from './responses/script.js';
import { LiveBus } from './live/bus.js';
import { LIVE_DEFAULTS, LiveHub, type LiveHubOptions } from './live/ws-hub.js';
import { defaultWebDir } from './paths.js';
import type { FileWriter } from './store/files/file-writer.js';
import { LowdbStore } from './store/lowdb/lowdb-store.js';
import { isMcpRequest } from './mcp/http-endpoint.js';
import { InFlight } from './in-flight.js';
import type { Store } from './store/types.js';

export interface HookscopeServer {
  readonly http: Server;
  readonly store: Store;
  readonly bus: LiveBus;
  readonly live: LiveHub;
  readonly retention: Retention;
  /** Expected-id deadlines: sweeps every second; sweep() runs one pass now (tests with a moved clock). */
  readonly deadlines: DeadlineWatch;
  /** The check workers (custom schemas, large bodies). */
  readonly checks: CheckPool;
  /** Memory held by capture bodies in flight (--max-body-memory). */
  readonly bodyBudget: BodyBudget;
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
  /** The embedded store's writer thread (tests pass one to inject a full disk: FileWriter.injectFault). */
  fileWriter?: FileWriter;
}

/** Builds the whole server (store, capture path, API, inspector) without listening. */
export async function createServer(config: Config, options: ServerOptions = {}): Promise<HookscopeServer> {
  const now = options.now ?? Date.now;
  // --redis-url: store and live fan-out shared by every instance; Redis code is loaded only then.
  const { store, bus, sends }: { store: Store; bus: LiveBus; sends: SendHistory } = config.redisUrl
    ? await (await import('./store/redis/backend.js')).openRedisBackend(config)
    : {
        store: await LowdbStore.open(config.dataDir, {
          maxRequestsPerBin: config.maxRequestsPerBin,
          logLimits: { maxHeldBytes: config.cacheSize },
          writer: options.fileWriter,
        }),
        bus: new LiveBus(),
        sends: await new FileSendHistory(config.dataDir).open(),
      };
  const token = resolveAccessToken(config);
  const access = new AccessControl(token.token, store, config.publicUrl?.startsWith('https:') ?? false, now);
  const hostRules = new HostRules(config);
  const limits = new CaptureLimits(config, now);
  const retention = new Retention({ store, bus, config }, now);
  const responses = new ResponseScript(store, options.random);
  const binCreation = effectiveLimit(config, 'binCreationLimit');
  const checkPool = new CheckPool({ ...CHECK_POOL_DEFAULTS, ...options.checks });
  const deps: ApiDeps = {
    config,
    store,
    bus,
    responses,
    sends,
    limits,
    retention,
    access,
    binCreation: binCreation ? new RateLimiter(binCreation, now) : null,
    checkPool,
    now,
  };
  const deadlines = new DeadlineWatch({ store, bus }, now);
  const koaHandler = createKoaApp(deps, access, options.webDir ?? defaultWebDir(), hostRules).callback();
  const forwarder = new Forwarder({ config, store, bus }, { ...FORWARDER_DEFAULTS, ...options.forward });
  const smee = new SmeeStreams({ store, bus });
  const bodyBudget = new BodyBudget(config.maxBodyMemory);
  const logRequest = accessLogEnabled(config) ? logRequests(config.logFormat, options.log) : null;
  const inFlight = new InFlight();
  const capture: CaptureDeps = {
    store,
    publicUrl: config.captureOrigin ?? config.publicUrl, // the origin senders use
    bus,
    maxBodySize: config.maxBodySize,
    nextRequestId: createRequestIdGenerator(),
    inFlight,
    accessLog: logRequest !== null,
    afterAnswers: new AfterAnswers(inFlight),
    afterStore: (bin, record, body, res) => forwarder.afterStore(bin, record, body, res),
    responses,
    limits,
    trustProxy: config.trustProxy,
    checkPool,
    bodyBudget,
    bodyIdleTimeoutMs: config.bodyTimeoutMs ?? undefined,
  };

  // Captures are answered on the bare node:http request, before Koa: it is the hot path.
  // requireHostHeader off: a capture tool records odd requests rather than refusing them.
  // Once close() starts, a request still arriving on an open keep-alive connection is refused
  // (503, then the connection closes) rather than stored behind the store's back as it closes.
  let stopping = false;
  const http = createHttpServer({ requireHostHeader: false }, (req, res) => {
    logRequest?.(req, res);
    if (stopping) return refuseWhileStopping(res);
    if (smee.handle(req, res)) return; // GET /h/<binId> asking for text/event-stream: a smee.io channel
    if (handleCapture(req, res, capture)) return;
    const handled = koaHandler(req, res);
    // Changes made through the API are finished before the store closes, like captures. Not a
    // POST /mcp: its tools change things through API calls that are tracked themselves, and one
    // may be a long wait that would hold the shutdown for its whole timeout.
    if (req.method !== 'GET' && req.method !== 'HEAD' && !isMcpRequest(req)) capture.inFlight.track(handled);
  });
  http.keepAliveTimeout = 65_000; // longer than common proxy idle timeouts, so proxies close first
  // Node keeps only the first 2000 rawHeaders entries (1000 lines) by default and drops the rest
  // silently, signatures included. No count limit: the header size limit (16 KB, then 431) bounds them.
  http.maxHeadersCount = 0;
  const live = new LiveHub(store, bus, { ...LIVE_DEFAULTS, ...options.live });
  // One server carries HTTP and WebSockets: /ws upgrades go to the hub, any other is refused.
  http.on('upgrade', (req, socket, head) => {
    if ((req.url ?? '').split('?')[0] !== '/ws') return void socket.destroy();
    void admitUpgrade(req, socket, { rules: hostRules, access, trustProxy: config.trustProxy }).then(
      (admitted) => admitted && live.handleUpgrade(req, socket, head),
    );
  });
  retention.start();
  deadlines.start();

  return {
    http,
    store,
    bus,
    live,
    retention,
    deadlines,
    checks: checkPool,
    bodyBudget,
    access: token,
    listen: () => listen(http, config),
    close: async () => {
      stopping = true;
      live.close();
      smee.close();
      await retention.stop();
      await deadlines.stop();
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeIdleConnections();
      await capture.inFlight.settled(); // and any that started meanwhile
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

function refuseWhileStopping(res: ServerResponse): void {
  res.shouldKeepAlive = false;
  sendJsonError(res, new HttpError(503, 'stopping', 'hookscope is stopping; nothing was recorded or changed. Retry in a few seconds.', { 'retry-after': '5' }));
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
