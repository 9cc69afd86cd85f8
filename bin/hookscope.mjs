#!/usr/bin/env node
// Entry point of the `hookscope` command (npm start, npx hookscope). In a checkout (the sources
// are beside it) it builds the server and the inspector first when the build is missing or older
// than the sources; an installed package ships only the build, so it runs it as it is.
import { existsSync } from 'node:fs';

const checkout = existsSync(new URL('../server/cli/main.ts', import.meta.url));
if (checkout) {
  const { ensureBuilt } = await import('../scripts/build.mjs');
  await ensureBuilt({ quiet: true });
} else if (!existsSync(new URL('../dist/server/cli/main.js', import.meta.url))) {
  console.error('hookscope: this installation has no built server (dist/server); reinstall the package, or build a checkout with npm run build.');
  process.exit(1);
}
const { main } = await import('../dist/server/cli/main.js');
await main(process.argv.slice(2), process.env);
