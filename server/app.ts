import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import type { ApiDeps } from './api/deps.js';
import { apiFallbacks, errorMiddleware } from './api/error-middleware.js';
import { createApiRouter } from './api/router.js';
import { handleCapture, type CaptureDeps } from './capture/capture.js';
import type { Config } from './config.js';
import { FORWARDER_DEFAULTS, Forwarder, type ForwarderOptions } from './forward/forwarder.js';
import { SmeeStreams } from './forward/smee-sse.js';
import { createRequestIdGenerator } from './ids.js';
import { SendHistory } from './simulator/history.js';
import { ResponseScript } from './responses/script.js';
import { LiveBus } from './live/bus.js';
import { LIVE_DEFAULTS, LiveHub, type LiveHubOptions } from './live/ws-hub.js';
import { defaultWebDir } from './paths.js';
import { staticFiles } from './static-files.js';
import { LowdbStore } from './store/lowdb-store.js';
import type { Store } from './store/types.js';

export interface HookscopeServer {
  readonly http: Server;
  readonly store: Store;
  readonly bus: LiveBus;
  readonly live: LiveHub;
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
}

/** Builds the whole server (store, capture path, API, inspector) without listening. */
export async function createServer(config: Config, options: ServerOptions = {}): Promise<HookscopeServer> {
  // --redis-url: store and live fan-out shared by every instance; Redis code is loaded only then.
  const { store, bus }: { store: Store; bus: LiveBus } =
    config.redisUrl
      ? await (await import('./redis/backend.js')).openRedisBackend(config)
      : { store: await LowdbStore.open(config.dataDir, { maxRequestsPerBin: config.maxRequestsPerBin }), bus: new LiveBus() };
  const responses = new ResponseScript(options.random);
  const sends = await new SendHistory(config.dataDir).open();
  const deps: ApiDeps = { config, store, bus, responses, sends };
  const app = createKoaApp(deps, options.webDir ?? defaultWebDir());
  const koaHandler = app.callback();
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
  };
  // Captures are answered on the bare node:http request, before Koa: it is the hot path.
  // requireHostHeader off: a capture tool records odd requests rather than refusing them.
  const http = createHttpServer({ requireHostHeader: false }, (req, res) => {
    if (smee.handle(req, res)) return; // GET /h/<binId> asking for text/event-stream: a smee.io channel
    if (!handleCapture(req, res, capture)) void koaHandler(req, res);
  });
  http.keepAliveTimeout = 65_000; // longer than common proxy idle timeouts, so proxies close first
  const live = new LiveHub(store, bus, { ...LIVE_DEFAULTS, ...options.live });
  // One server carries HTTP and WebSockets: /ws upgrades go to the hub, any other is refused.
  http.on('upgrade', (req, socket, head) => {
    if ((req.url ?? '').split('?')[0] === '/ws') live.handleUpgrade(req, socket, head);
    else socket.destroy();
  });

  return {
    http,
    store,
    bus,
    live,
    listen: () => listen(http, config),
    close: async () => {
      live.close();
      smee.close();
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeIdleConnections();
      await Promise.allSettled([...capture.inFlight]);
      await forwarder.close(); // after the captures, whose forwards it then records
      await Promise.all([store.close(), sends.close()]);
      http.closeIdleConnections(); // keep-alive sockets that went idle once their answers were sent
      const timer = setTimeout(() => http.closeAllConnections(), 2000); // e.g. long-polls
      await closed;
      clearTimeout(timer);
    },
  };
}

function createKoaApp(deps: ApiDeps, webDir: string): Koa {
  const app = new Koa();
  const router = createApiRouter(deps);
  app.use(errorMiddleware);
  app.use(apiFallbacks);
  app.use(router.routes());
  app.use(router.allowedMethods());
  app.use(staticFiles(webDir));
  app.silent = true; // errors are reported by errorMiddleware
  return app;
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
