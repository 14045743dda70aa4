import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    // Inside this repository the package's public names resolve to the sources,
    // so tests exercise what generated modules import, without a build step.
    alias: [
      { find: /^nlgen\/runtime$/, replacement: here('./runtime/index.ts') },
      { find: /^nlgen\/generator$/, replacement: here('./generator/index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // The runtime watches sockets with libuv's uv_poll on the main thread's loop:
    // worker threads would watch the wrong loop, so each test file gets a child process.
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
