import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The portal and console are one single-page application served by the Tollgate server from the
 * same origin as the API (so the session cookie and the API need no CORS). `npm run dev` proxies
 * the API to a server started with `npm start`.
 */
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 700 },
  server: {
    proxy: {
      '/v1': process.env.TOLLGATE_API ?? 'http://127.0.0.1:3000',
    },
  },
});
