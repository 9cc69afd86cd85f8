// Builds dist/ (server and inspector) once before the tests, when sources are newer than the
// last build: the CLI tests run the real `bin/hookscope.mjs`, the browser tests the built UI.
// HOOKSCOPE_SKIP_BUILD=1 skips it (for a quick run of tests that need neither).
// @ts-expect-error: a plain .mjs build script without type declarations
import { ensureBuilt } from '../scripts/build.mjs';

export default async function setup(): Promise<void> {
  if (process.env.HOOKSCOPE_SKIP_BUILD === '1') return;
  await ensureBuilt({ quiet: true });
}
