// Builds the desktop app's preload script as one CommonJS file (sandboxed preloads cannot be
// ES modules): dist/electron/preload.cjs, with 'electron' left to the runtime.
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  build: {
    outDir: fileURLToPath(new URL('./dist/electron', import.meta.url)),
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    lib: {
      entry: fileURLToPath(new URL('./src-main/electron/preload.ts', import.meta.url)),
      formats: ['cjs'],
      fileName: () => 'preload.cjs',
    },
    rollupOptions: { external: ['electron'] },
  },
});
