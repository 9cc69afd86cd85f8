/**
 * Whether capture URLs can be reached from elsewhere (GET /api/status `reachability`), and the
 * ways out when they cannot. The server judges (server/reachability.ts); the ways out are a pure
 * function of the local port, so the inspector can name a bin in them and the README can show
 * the same commands.
 */

/** Why capture URLs are or are not reachable. */
export type ReachabilityReason =
  /** --public-url (or --capture-origin) names a public host. */
  | 'public-url'
  /** No --public-url; the caller reached hookscope on a public name (a proxy or tunnel in front). */
  | 'request-host'
  /** Listening on loopback only, with no --public-url. */
  | 'loopback-bind'
  /** Capture URLs name localhost or a loopback address. */
  | 'loopback-url'
  /** Capture URLs name a private or LAN-only address: reachable on the local network only. */
  | 'private-address';

export interface WayOut {
  kind: 'public-host' | 'tunnel' | 'forward';
  title: string;
  /** One or two sentences: when to pick this way and what it needs. */
  detail: string;
  /** Commands to run, in order (none for a public host: that is a deployment, see the README). */
  commands: { label: string; command: string }[];
  /** The README section that explains it. */
  readme: string;
}

export interface Reachability {
  reachable: boolean;
  reason: ReachabilityReason;
  /** For people: why, in terms of this server's options. */
  message: string;
  /** The origin capture URLs use for this caller, e.g. http://127.0.0.1:8080. */
  origin: string;
  /** Where a tunnel or relay on this machine reaches hookscope, e.g. http://localhost:8080. */
  localOrigin: string;
  /** The port this server listens on (the real one when started with --port 0). */
  port: number;
  /** In order of preference; empty when reachable. */
  waysOut: WayOut[];
}

/** The README section about reachable capture URLs (its heading's anchor). */
export const REACHABILITY_README = 'README.md#capture-urls-that-senders-can-reach';

/** Placeholder host for commands that need the user's own public host name. */
export const PUBLIC_HOST_PLACEHOLDER = 'hooks.example.com';

/**
 * The ways to a reachable capture URL for a server listening at `localOrigin` on `port`: a public
 * host, a tunnel the user already has (the exact command for this port), or `hookscope forward`
 * from a public instance into this one. `binId` (a bin of this server) fills the forward
 * command's target; without it the command says `<bin-id>`.
 */
export function waysOut(localOrigin: string, port: number, binId?: string): WayOut[] {
  const plainLocalhost = localOrigin === `http://localhost:${port}`;
  const bin = binId ?? '<bin-id>';
  return [
    {
      kind: 'public-host',
      title: 'Run hookscope on a public host',
      detail: `Deploy it where senders can reach it (a small VM with HTTPS in front) and start it with --public-url https://${PUBLIC_HOST_PLACEHOLDER}.`,
      commands: [],
      readme: REACHABILITY_README,
    },
    {
      kind: 'tunnel',
      title: 'A tunnel you already have, and --public-url',
      detail: 'Open a tunnel to this port, then restart hookscope with the public URL the tunnel prints (the same --port, so the tunnel still fits).',
      commands: [
        { label: 'ngrok', command: `ngrok http ${plainLocalhost ? port : localOrigin}` },
        { label: 'Cloudflare', command: `cloudflared tunnel --url ${localOrigin}` },
        { label: 'Tailscale', command: `tailscale funnel ${plainLocalhost ? port : localOrigin}` },
        { label: 'then', command: `npx hookscope --port ${port} --public-url https://<the-tunnel-host>` },
      ],
      readme: REACHABILITY_README,
    },
    {
      kind: 'forward',
      title: 'hookscope forward from a public instance',
      detail: 'Senders call a bin on a public hookscope; this machine follows it and relays every request here, byte for byte.',
      commands: [{ label: 'relay', command: `npx hookscope forward https://${PUBLIC_HOST_PLACEHOLDER}/h/<public-bin-id> --to ${localOrigin}/h/${bin}` }],
      readme: REACHABILITY_README,
    },
  ];
}
