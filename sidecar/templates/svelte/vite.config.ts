import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Library mode: one self-contained ES module, dist/widget.js (widget.toml's
// entry), with Svelte's runtime bundled in. src/Widget.svelte compiles to the
// custom element <{{tag}}> (its <svelte:options customElement>).
// `npm run dev` serves dev/index.html at /dev/.
export default defineConfig({
  plugins: [svelte({ compilerOptions: { customElement: true } })],
  build: {
    lib: {
      entry: 'src/main.ts',
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
