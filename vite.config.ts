import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';
import { compression } from 'vite-plugin-compression2';

export default defineConfig({
  // Precompressed copies (.br, .gz) beside the build output: the server sends them by Accept-Encoding.
  plugins: [react(), tailwindcss(), compression({ algorithms: ['gzip', 'brotliCompress'] })],
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
