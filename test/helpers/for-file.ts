import { afterAll } from 'vitest';

/**
 * Opens what a test file's tests share (a server, a target, Redis) while the file is collected,
 * and closes it after them: `const srv = await openForFile(() => startServer())`. Vitest runs
 * afterAll hooks as a stack, so what was opened last is closed first.
 */
export async function openForFile<T extends { close(): unknown }>(open: () => Promise<T>): Promise<T> {
  const value = await open();
  afterAll(async () => {
    await value.close();
  });
  return value;
}
