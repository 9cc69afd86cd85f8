import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createServer } from '../app.js';
import { ConfigError, helpText, readConfig } from '../config.js';
import { runForward } from './forward.js';
import { runMcp } from './mcp.js';
import { runSend } from './send.js';
import { projectRoot } from '../paths.js';
import { isPublicMode } from '../security/public-mode.js';
import { DataDirError } from '../store/errors.js';

/**
 * The `hookscope` command: reads configuration, starts the server, prints where it listens,
 * and shuts down cleanly on SIGINT/SIGTERM. Exit codes: 0 clean stop, 1 failure, 2 bad config
 * (an option, or a data dir that cannot be used as it is).
 * `hookscope forward …` runs the relay instead (cli/forward.ts).
 */
export async function main(argv: string[], env: Record<string, string | undefined>): Promise<void> {
  if (argv[0] === 'forward') return runForward(argv.slice(1), env); // the relay: cli/forward.ts
  if (argv[0] === 'send') return runSend(argv.slice(1)); // the sender simulator: cli/send.ts
  if (argv[0] === 'mcp') return runMcp(argv.slice(1), env); // tools for AI agents over stdio: cli/mcp.ts
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(helpText());
    return;
  }
  if (argv.includes('--version')) {
    console.log(JSON.parse(readFileSync(path.join(projectRoot(), 'package.json'), 'utf8')).version);
    return;
  }
  let config;
  try {
    config = readConfig(argv, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`hookscope: ${error.message}`);
    process.exitCode = 2;
    return;
  }
  let server;
  try {
    server = await createServer(config);
  } catch (error) {
    if (!(error instanceof DataDirError)) throw error;
    console.error(`hookscope: ${error.message}`);
    process.exitCode = 2;
    return;
  }
  let url: string;
  try {
    url = await server.listen();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const hint = code === 'EADDRINUSE' ? `port ${config.port} is in use; pick another with --port (0 picks a free one)` : (error as Error).message;
    console.error(`hookscope: cannot listen on ${config.host}:${config.port}: ${hint}`);
    await server.close();
    process.exitCode = code === 'EADDRINUSE' || code === 'EADDRNOTAVAIL' ? 2 : 1;
    return;
  }
  console.log(`hookscope listening on ${url}`);
  if (server.access.generated) {
    const origin = config.publicUrl ?? url;
    console.log(`hookscope: reachable beyond loopback, so the inspector and API need an access token (capture URLs stay open).`);
    console.log(`hookscope: log in at ${origin}/login?token=${server.access.token}`);
    console.log('hookscope: set your own with --access-token, or run without with --no-auth.');
  } else if (!server.access.token && config.noAuth && isPublicMode(config)) {
    console.log('hookscope: WARNING: --no-auth on a public address: anyone who can reach it can read every captured request.');
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`hookscope: ${signal} received, finishing pending writes…`);
    server.close().then(
      () => process.exit(0),
      (error) => {
        console.error('hookscope: error while stopping', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
