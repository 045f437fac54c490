import { defineConfig } from 'vite';

// Library mode: one self-contained ES module, dist/instrument-details.js
// (widget.toml's entry), with Lit bundled in.
export default defineConfig({
  build: {
    lib: {
      entry: 'src/instrument-details.ts',
      formats: ['es'],
      fileName: () => 'instrument-details.js',
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
