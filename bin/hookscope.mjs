#!/usr/bin/env node
// Entry point of the `hookscope` command (npm start, npx hookscope). Builds the server and the
// inspector first when the build is missing or older than the sources, then runs the CLI.
import { ensureBuilt } from '../scripts/build.mjs';

await ensureBuilt({ quiet: true });
const { main } = await import('../dist/server/cli/main.js');
await main(process.argv.slice(2), process.env);
