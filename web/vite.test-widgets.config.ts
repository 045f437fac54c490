// Test widgets built from npm packages, as other firms' apps are: one ES
// module per widget, written into its folder under tests/widgets/.
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    outDir: '../tests/widgets/fdc3-npm/dist',
    emptyOutDir: true,
    target: 'safari16',
    sourcemap: false,
    lib: {
      entry: 'test-widgets/fdc3-npm.ts',
      formats: ['es'],
      fileName: () => 'app.js',
    },
  },
});
