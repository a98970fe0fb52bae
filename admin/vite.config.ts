import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

// Served by the API at /admin (src/modules/admin-portal). `npm run dev` proxies the API of `npm start` (port 3000).
export default defineConfig({
  base: '/admin/',
  plugins: [preact()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // No inline scripts or styles: the CSP allows 'self' only (a small asset must not become a data: URL script).
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
  server: { proxy: { '/api': 'http://localhost:3000', '/health': 'http://localhost:3000' } },
});
