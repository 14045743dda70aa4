// Benchmark entry (`npm run bench`): runs each benchmark, prints its table and writes it to bench/results/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { formatRows, runRouteBench } from './runtime/route-bench.js';

// Works from the sources' layout (bench/) and from dist/bench/: results always go to the repository's bench/results.
const here = fileURLToPath(new URL('.', import.meta.url));
const repoBench = here.includes('/dist/bench') ? here.replace(/\/dist\/bench\/?$/, '/bench/') : here;

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) {
    console.error('bench: needs root (creates a network namespace with 100,000 routes)');
    process.exit(2);
  }
  const rows = await runRouteBench();
  const table = formatRows(rows);
  const stamp = new Date().toISOString();
  console.log(`\nruntime: 100,000-route dump and request round trips (${stamp}, node ${process.version})\n`);
  console.log(table);
  const dir = `${repoBench}results`;
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}/runtime.md`, `# Runtime benchmark\n\n${stamp}, node ${process.version}, medians of 11 interleaved runs\n\n${table}\n`);
  writeFileSync(`${dir}/runtime.json`, JSON.stringify({ date: stamp, node: process.version, rows }, null, 2) + '\n');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
