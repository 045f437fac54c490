import { defineConfig } from 'vite';

// Library mode: one self-contained ES module, dist/tracker.js (widget.toml's
// entry), with uPlot bundled in. uPlot's stylesheet is imported `?inline`
// (a string the element puts in its shadow root), so no .css file is emitted.
export default defineConfig({
  build: {
    lib: {
      entry: 'src/main.ts',
      formats: ['es'],
      fileName: () => 'tracker.js',
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
  // its relative api/* calls (/dev/api/*) go to a local tessera-tracker
  // without the prefix, as the sidecar forwards them.
  server: {
    proxy: {
      '^/dev/api/': { target: 'http://127.0.0.1:7430', rewrite: (p) => p.replace(/^\/dev\/api/, '') },
    },
  },
});
