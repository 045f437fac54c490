// One ES module with every dependency bundled in: dist/price-chart.js, the
// `entry` of widget.toml. The shell's frames run in WebKit (Safari 16+).
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'safari16',
    sourcemap: false,
    lib: {
      entry: 'src/main.ts',
      formats: ['es'],
      fileName: () => 'price-chart.js',
    },
  },
});
