import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    // Inside this repository the packages' names resolve to their sources, so tests exercise what generated modules
    // import, without a build step.
    alias: [
      { find: /^@nlgen\/runtime$/, replacement: here('./runtime/index.ts') },
      { find: /^@nlgen\/runtime\/ffi$/, replacement: here('./runtime/sys/ffi.ts') },
      { find: /^@nlgen\/families$/, replacement: here('./generated/index.ts') },
      { find: /^@nlgen\/families\/(.+)$/, replacement: here('./generated/$1.ts') },
      { find: /^nlgen$/, replacement: here('./generator/index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // The runtime watches sockets with libuv's uv_poll on the main thread's loop:
    // worker threads would watch the wrong loop, so each test file gets a child process.
    pool: 'forks',
    // Generous on purpose: a timeout here is a hang guard, never a speed check (speed lives in `npm run bench`), and
    // the whole-corpus type-check, the pack test and 200k-route dumps share two cores with each other in CI.
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
