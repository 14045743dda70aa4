// Benchmark entry (`npm run bench [-- options]`): runs the sections, prints one table of ratios measured in this run,
// and writes it to bench/results/bench-<routes>[-<sections>].md and .json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from './lib/context.js';
import { formatMachine, formatTable } from './lib/report.js';
import { parseOnly, runSuite, SECTIONS } from './suite.js';

const usage = `Usage: npm run bench -- [--only LIST] [--routes N | --big] [--runs N]
  --only LIST   comma-separated sections: ${SECTIONS.join(', ')} (peers = pyroute2,npm-netlink); default all
  --routes N    routes in the dump namespace (default 100000)
  --big         1,000,000 routes (same as --routes 1000000)
  --runs N      interleaved runs per comparison; medians are reported (default 11)
Needs root: each run creates its own network namespace and deletes it.`;

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        only: { type: 'string' },
        routes: { type: 'string' },
        big: { type: 'boolean', default: false },
        runs: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (e) {
    console.error(`bench: ${(e as Error).message}\n${usage}`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const routes = values.big ? 1_000_000 : Number(values.routes ?? 100_000);
  const runs = Number(values.runs ?? 11);
  if (!Number.isInteger(routes) || routes < 1 || routes > 1_000_000 || !Number.isInteger(runs) || runs < 1) {
    console.error(`bench: --routes must be 1…1000000 and --runs a positive integer\n${usage}`);
    return 2;
  }
  let only;
  try {
    only = parseOnly(values.only);
  } catch (e) {
    console.error(`bench: ${(e as Error).message}`);
    return 2;
  }
  const result = await runSuite({ routes, runs, only });
  const table = formatTable(result.rows, result.skipped);
  const head = `${formatMachine(result.machine)} · ${routes.toLocaleString('en-US')} routes · medians of ${runs} interleaved runs`;
  console.log(`\n${head}\n\n${table}`);
  const dir = join(repoRoot, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  // Named by size and selection, so a quick `--only dump --routes 20000` never overwrites the full run's table.
  const base = `bench-${routes}${values.only ? `-${[...only].join('+')}` : ''}`;
  writeFileSync(join(dir, `${base}.md`), `# nlgen benchmarks\n\n${head}\n\n${table}\n`);
  writeFileSync(join(dir, `${base}.json`), JSON.stringify(result, null, 2) + '\n');
  console.log(`\nwritten to bench/results/${base}.md and bench/results/${base}.json`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(err);
    process.exitCode = 1;
  },
);
