import type { Snippet } from './snippets.js';

/**
 * The `webhooks` section of a LangGraph server's langgraph.json that lets it deliver to one bin:
 * the URL policy (`webhooks.url`) admits the bin's host (and loopback when hookscope is local),
 * and a header secret travels as a static header from an environment variable
 * (`${{ env.VAR }}`, the variable named with `webhooks.env_prefix`). Pure: the inspector shows
 * it, tests parse it.
 */
export interface LangGraphSetupInput {
  /** The bin's capture URL, without a token. */
  captureUrl: string;
  /** The bin's header secret, if it has one. */
  secretHeader: { name: string; value: string } | null;
}

export interface LangGraphSetup {
  /** The object to merge into langgraph.json: `{ webhooks: { env_prefix, url, headers? } }`. */
  config: { webhooks: WebhooksSection };
  /** Lines for the LangGraph server's environment (.env); null without a header secret. */
  env: string | null;
}

export interface WebhooksSection {
  env_prefix: string;
  url: { require_https: boolean; allowed_domains: string[]; allowed_ports?: number[]; disable_loopback?: boolean };
  headers?: Record<string, string>;
}

/** LangGraph's default prefix: only variables named with it may be read by header templates. */
export const ENV_PREFIX = 'LG_WEBHOOK_';
export const SECRET_VARIABLE = `${ENV_PREFIX}HOOKSCOPE_SECRET`;

/** One line on the 422 a LangGraph server answers when it refuses a webhook URL. */
export const LANGGRAPH_422 =
  "A 422 when you create the run means the LangGraph server's webhooks.url policy refused this URL (its host, port, http instead of https, or loopback): put the langgraph.json snippet's webhooks section in the server's langgraph.json and restart it.";

/** True for localhost, *.localhost, 127.0.0.0/8 and ::1, as written in a URL's host. */
export function isLoopbackHostname(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return host === 'localhost' || host.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1' || host === '0:0:0:0:0:0:0:1';
}

/** The langgraph.json `webhooks` section for a bin, and the environment it needs. Throws TypeError for a URL that is not http(s). */
export function langGraphSetup({ captureUrl, secretHeader }: LangGraphSetupInput): LangGraphSetup {
  const { scheme, host, port } = originParts(captureUrl);
  const policy: WebhooksSection['url'] = { require_https: scheme === 'https', allowed_domains: [host] };
  if (port) policy.allowed_ports = [Number(port)];
  // A local hookscope is on loopback, which recent LangGraph servers refuse unless told otherwise.
  if (isLoopbackHostname(host)) policy.disable_loopback = false;
  const webhooks: WebhooksSection = { env_prefix: ENV_PREFIX, url: policy };
  if (!secretHeader) return { config: { webhooks }, env: null };
  // "Bearer <secret>" keeps the scheme in langgraph.json and only the secret in the environment.
  const bearer = /^(Bearer|Token|Basic)\s+(.+)$/i.exec(secretHeader.value);
  const template = `\${{ env.${SECRET_VARIABLE} }}`;
  webhooks.headers = { [secretHeader.name]: bearer ? `${bearer[1]} ${template}` : template };
  return { config: { webhooks }, env: `${SECRET_VARIABLE}=${envValue(bearer ? bearer[2]! : secretHeader.value)}` };
}

/**
 * Scheme, host (IPv6 without brackets) and explicit port of a URL, read from its normalised
 * origin (URL drops default ports), so shared/ needs no more of URL than `origin`.
 */
function originParts(url: string): { scheme: string; host: string; port: string } {
  const match = /^([a-z][a-z0-9+.-]*):\/\/(\[[^\]]+\]|[^:/]+)(?::(\d+))?$/.exec(new URL(url).origin);
  if (!match) throw new TypeError(`not an http(s) URL: ${url}`);
  return { scheme: match[1]!, host: match[2]!.replace(/^\[|\]$/g, ''), port: match[3] ?? '' };
}

/** A value for a .env line: bare when plain, double-quoted (escapes as dotenv reads them) otherwise. */
function envValue(value: string): string {
  return /^[A-Za-z0-9_\-.~+/=:@]*$/.test(value) ? value : JSON.stringify(value);
}

/** The setup as LangGraph snippets: the langgraph.json block and, with a header secret, its .env line. */
export function langGraphSetupSnippets(input: LangGraphSetupInput): Snippet[] {
  const setup = langGraphSetup(input);
  const snippets: Snippet[] = [
    { id: 'langgraph-config', group: 'LangGraph', label: 'langgraph.json', language: 'json', code: JSON.stringify(setup.config, null, 2) },
  ];
  if (setup.env) {
    snippets.push({
      id: 'langgraph-env',
      group: 'LangGraph',
      label: '.env',
      language: 'bash',
      code: `# The LangGraph server's environment (the .env named by langgraph.json's "env"); keep it out of git.\n${setup.env}`,
    });
  }
  return snippets;
}
