import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * Builds the wizard to dist/renderer, which both the Electron protocol handler (app://) and web
 * mode (`sentry-harden ui`) serve. The output has no inline script or style (the CSP is
 * `script-src 'self'; style-src 'self'`), and relative asset URLs so it works under either origin.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // The polyfill would be bundled anyway, but modern Chromium (Electron 45) needs none.
    modulePreload: { polyfill: false },
    // Keep every asset a file: `data:` is allowed for images only.
    assetsInlineLimit: 0,
    sourcemap: false,
    reportCompressedSize: false,
  },
});
