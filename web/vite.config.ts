import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

// The API (`aoc serve`) listens on 8000 by default; in development Vite serves the console and forwards the
// API surfaces to it, so the browser sees one origin exactly as in production.
const api = 'http://127.0.0.1:8000';

export default defineConfig({
  plugins: [solid()],
  // The manifest lets the bench find exactly which chunks a first visit to the events screen loads.
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: false, manifest: true },
  server: {
    proxy: {
      '/trpc': { target: api, changeOrigin: false },
      '/api': { target: api, changeOrigin: false },
    },
  },
});
