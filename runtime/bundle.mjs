// Build step after tsc: the runtime as one ES module (and `./ffi` beside it, sharing one chunk), which is what the
// package's exports point at. An app, a generated client or `nlgen` then loads one file instead of ~40: resolving
// and compiling them was most of the time a short-lived process spent before its first request.
// tsc's per-module output stays in dist/ for the declarations; only dist/bundle/ is shipped as code.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const dist = (rel) => fileURLToPath(new URL(`./dist/${rel}`, import.meta.url));
rmSync(dist('bundle'), { recursive: true, force: true });
await build({
  entryPoints: { index: dist('index.js'), ffi: dist('sys/ffi.js') },
  outdir: dist('bundle'),
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // koffi is the runtime's one dependency (a native addon): installed beside it, never copied in.
  external: ['koffi'],
  // Classes and functions keep their source names where bundling renames one to avoid a clash (stack traces, `e.name`).
  keepNames: true,
  chunkNames: 'shared-[hash]',
  logLevel: 'warning',
});
