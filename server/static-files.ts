import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Context, Next } from 'koa';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

interface StaticFile {
  body: Buffer;
  type: string;
  immutable: boolean;
}

const PLACEHOLDER = `<!doctype html><meta charset="utf-8"><title>hookscope</title>
<h1>hookscope</h1><p>The inspector has not been built. Run <code>npm start</code> (it builds what is missing) or <code>npm run build</code>.</p>
<p>The API is at <a href="/api/openapi.json">/api/openapi.json</a>.</p>`;

/**
 * Serves the built inspector from `webDir`. The files are read once at start into a map keyed
 * by URL path, so a request path is only ever looked up, never joined onto the file system.
 * Unknown paths get index.html (client-side routing); hashed assets are cached for good.
 */
export function staticFiles(webDir: string) {
  const files = loadFiles(webDir);
  const index = files.get('/index.html') ?? { body: Buffer.from(PLACEHOLDER), type: TYPES['.html']!, immutable: false };
  return async (ctx: Context, next: Next): Promise<void> => {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || ctx.path.startsWith('/api/')) return next();
    const file = files.get(ctx.path) ?? index;
    ctx.type = file.type;
    // Pages are not kept either: after a logout, Back must not show a bin from the cache.
    ctx.set('cache-control', file.immutable ? 'public, max-age=31536000, immutable' : file.type.startsWith('text/html') ? 'no-store' : 'no-cache');
    ctx.set('x-content-type-options', 'nosniff');
    ctx.body = file.body;
  };
}

function loadFiles(webDir: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  if (!existsSync(webDir)) return files;
  const walk = (dir: string, prefix: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full, `${prefix}${name}/`);
      else {
        const type = TYPES[path.extname(name)] ?? 'application/octet-stream';
        files.set(`${prefix}${name}`, { body: readFileSync(full), type, immutable: prefix.startsWith('/assets/') });
      }
    }
  };
  walk(webDir, '/');
  return files;
}
