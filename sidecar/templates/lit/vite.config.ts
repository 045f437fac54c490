import { defineConfig } from 'vite';

// Library mode: one self-contained ES module, dist/widget.js (widget.toml's
// entry), with Lit bundled in. `npm run dev` serves dev/index.html at /dev/.
export default defineConfig({
  build: {
    lib: {
      entry: 'src/widget.ts',
      formats: ['es'],
      fileName: () => 'widget.js',
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
});
