import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout's root (the folder with package.json), whether running from source or dist/. */
export function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('hookscope: cannot find package.json above the server code');
    dir = parent;
  }
  return dir;
}

/** Where `vite build` puts the inspector. */
export function defaultWebDir(): string {
  return path.join(projectRoot(), 'dist', 'web');
}
