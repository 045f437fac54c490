import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Library mode: one self-contained ES module, dist/movers.js (widget.toml's
// entry), with Svelte's runtime bundled in. The component compiles to the
// custom element <tessera-movers> (its <svelte:options customElement>).
export default defineConfig({
  plugins: [svelte({ compilerOptions: { customElement: true } })],
  build: {
    lib: {
      entry: 'src/main.ts',
      formats: ['es'],
      fileName: () => 'movers.js',
    },
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // Nothing external and no chunks (the frame has no import map); minified
    // by rolldown itself (Vite leaves an ES library's whitespace alone).
    rolldownOptions: {
      output: { codeSplitting: false, minify: true },
    },
  },
  // `npm run dev`, then open /dev/: dev/index.html places the element and
  // its relative api/* calls (/dev/api/*) go to a local tessera-market-data
  // without the prefix, as the sidecar forwards them.
  server: {
    // The market-data client is linked from services/market-data/client.
    fs: { allow: ['.', '../../services/market-data/client'] },
    proxy: {
      '^/dev/api/': { target: 'http://127.0.0.1:7420', rewrite: (p) => p.replace(/^\/dev\/api/, '') },
    },
  },
});
