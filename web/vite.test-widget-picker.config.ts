// The colour-picker test widget: a third-party component from npm, bundled
// unchanged into one ES module under tests/widgets/colour-picker/.
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    outDir: '../tests/widgets/colour-picker/dist',
    emptyOutDir: true,
    target: 'safari16',
    sourcemap: false,
    lib: {
      entry: 'test-widgets/colour-picker.ts',
      formats: ['es'],
      fileName: () => 'picker.js',
    },
  },
});
