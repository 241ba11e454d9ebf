import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';
import { compression } from 'vite-plugin-compression2';
import { VitePWA } from 'vite-plugin-pwa';

export default defineConfig({
  // Precompressed copies (.br, .gz) beside the build output: the server sends them by Accept-Encoding.
  plugins: [
    react(),
    tailwindcss(),
    // Installable, and the app shell loads offline: a manifest and a service worker that precaches the
    // build. The local engine still needs its server; the app says so when it does not answer.
    VitePWA({
      registerType: 'autoUpdate',
      // A script file, not inline: the server's CSP allows only 'self' scripts.
      injectRegister: 'script',
      includeAssets: ['favicon.svg'],
      manifest: {
        name: 'Dictate',
        short_name: 'Dictate',
        description: 'Speak, watch the words appear, keep every session.',
        theme_color: '#4f46e5',
        background_color: '#f8fafc',
        display: 'standalone',
        start_url: '/',
        icons: [
          { src: '/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        // The first visit is controlled at once, so the shell is cached for the next offline start.
        clientsClaim: true,
        skipWaiting: true,
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest,wasm}'],
        // Pages only: the engine's endpoints and health checks always go to the network.
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/(ws|v1|healthz|readyz|__faults)/],
      },
    }),
    compression({ algorithms: ['gzip', 'brotliCompress'] }),
  ],
  server: {
    // `npm run dev`: the local engine runs on its own port (npm run serve); proxy its WebSocket paths.
    proxy: { '/ws': { target: 'ws://localhost:8787', ws: true }, '/v1': { target: 'ws://localhost:8787', ws: true } },
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'web',
          environment: 'jsdom',
          // Sized for a busy machine (npm run test:busy): the resampler's measurements take 1–2 s of CPU
          // each here, and several times that beside other work. No test waits on a timer this long.
          testTimeout: 30_000,
          include: ['src/**/*.test.{ts,tsx}'],
          setupFiles: ['src/test/setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'server',
          environment: 'node',
          include: ['server/**/*.test.ts'],
          testTimeout: 30_000,
        },
      },
    ],
  },
});
