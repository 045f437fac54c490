// The widget SDK: one classic script (IIFE) that widget frames load before
// their own module, served by the Rust core at widget://<id>/__tessera/sdk.js.
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    target: 'safari16',
    sourcemap: false,
    lib: {
      entry: 'src/sdk/fdc3.ts',
      formats: ['iife'],
      name: 'TesseraSdk',
      fileName: () => 'sdk.js',
    },
  },
});
