// A child process for the benchmarks: dumps IPv4 routes through the generated rt-route client and either prints
// them as one JSON array (the "whole process" comparison with `ip -j`), counts them while streaming (peak RSS), or
// collects them into arrays several times (the in-process comparison with peer libraries), or prints what
// `ip -4 -j route show table all` prints (mode ip-json: same fields, same bytes). A summary goes to
// stderr as one JSON line: { count, times, maxRssMB }.
import { parseArgs } from 'node:util';
import { RtRoute } from '@nlgen/families/rt-route';
import { printRoutesLikeIp } from '../lib/ip-route-json.js';

const { values } = parseArgs({
  options: {
    netns: { type: 'string' },
    mode: { type: 'string', default: 'json' },
    repeat: { type: 'string', default: '1' },
  },
});

function ms(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

async function main(): Promise<void> {
  const route = await RtRoute.open(values.netns ? { netns: values.netns } : {});
  const times: number[] = [];
  let count = 0;
  try {
    if (values.mode === 'json') {
      // One JSON array, as `ip -j` prints: each datagram's worth of routes is stringified in one call (half the cost
      // of one call per route) and written at once, which keeps syscalls few and memory flat (stdout is
      // synchronous for files and pipes on Linux).
      let first = true;
      for await (const batch of route.getrouteDump({ rtmFamily: 2 }).batches()) {
        if (batch.length === 0) continue;
        const text = JSON.stringify(batch);
        process.stdout.write((first ? '[' : ',') + text.slice(1, -1));
        first = false;
        count += batch.length;
      }
      process.stdout.write(first ? '[]\n' : ']\n');
    } else if (values.mode === 'ip-json') {
      count = await printRoutesLikeIp(route, values.netns, (text) => process.stdout.write(text));
    } else if (values.mode === 'count') {
      const t0 = process.hrtime.bigint();
      for await (const batch of route.getrouteDump({ rtmFamily: 2 }).batches()) count += batch.length;
      times.push(ms(t0));
    } else if (values.mode === 'array') {
      const repeat = Number(values.repeat);
      for (let i = 0; i <= repeat; i++) {
        const t0 = process.hrtime.bigint();
        const all = await route.getrouteDump({ rtmFamily: 2 }).toArray();
        const t = ms(t0);
        if (i > 0) times.push(t); // the first pass warms up the JIT, as the peers' first pass does
        count = all.length;
      }
    } else {
      throw new Error(`unknown mode ${values.mode}`);
    }
  } finally {
    route.close();
  }
  const maxRssMB = process.resourceUsage().maxRSS / 1024;
  process.stderr.write(JSON.stringify({ count, times, maxRssMB }) + '\n');
}

main().catch((e) => {
  process.stderr.write(`route-dump: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
