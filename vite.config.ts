import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

// Builds the inspector (web/) into dist/web, which the server serves at /.
export default defineConfig({
  root: 'web',
  plugins: [preact()],
  // Lightning CSS (which Vite ships) compiles the CSS modules: it resolves `composes … from` a shared
  // module itself (web/styles/blocks.module.css), where PostCSS's module plugin warns on every build.
  css: { transformer: 'lightningcss' },
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: true,
  },
  server: {
    // `npx vite` for UI work: API, capture and WebSocket calls go to a hookscope on :8080.
    proxy: { '/api': 'http://127.0.0.1:8080', '/h': 'http://127.0.0.1:8080', '/ws': { target: 'ws://127.0.0.1:8080', ws: true } },
  },
});
