// Whole-process rows of the `nlgen` command itself (issue 15): `nlgen dump getroute` printing every route as a JSON
// line against `ip -4 -j route show table all`, both to /dev/null; and the cost of starting — a one-request
// `nlgen do getlink` against `ip -j link show lo` and against a bare `node -e ''` (what Node alone costs to start).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { BenchContext, SectionResult } from '../lib/context.js';
import { childEnv, repoRoot } from '../lib/context.js';
import { median, now } from '../lib/report.js';

const nlgenBin = join(repoRoot, 'generator', 'bin', 'nlgen.js');

/** Runs a whole process with stdout to /dev/null (or piped) and returns its wall time. */
function timed(cmd: string, args: string[], stdout: 'ignore' | 'pipe' = 'ignore'): { ms: number; out: string } {
  const t = now();
  const p = spawnSync(cmd, args, { stdio: ['ignore', stdout, 'pipe'], maxBuffer: 1 << 30, encoding: 'utf8', env: childEnv });
  const ms = now() - t;
  if (p.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${p.status}): ${p.stderr}`);
  return { ms, out: p.stdout ?? '' };
}

/** Runs the `cli` section. */
export async function cliSection(ctx: BenchContext): Promise<SectionResult> {
  const ns = await ctx.dumpNetns();
  const expected = await ctx.expectedRoutes();
  const ipArgs = ['-n', ns.name, '-4', '-j', 'route', 'show', 'table', 'all'];
  const ours = [nlgenBin, 'dump', 'getroute', '--family', 'rt-route', '--netns', ns.name, '--json', '{"rtmFamily":2}'];
  // Once piped: every route is there (the dump also has the kernel's local and broadcast routes, as ip's has).
  const printed = timed(process.execPath, ours, 'pipe').out.split('\n').filter((l) => l !== '').length;
  const ipCount = (JSON.parse(timed('ip', ipArgs, 'pipe').out) as unknown[]).length;
  if (printed !== ipCount || printed < expected) throw new Error(`nlgen dump printed ${printed} routes, ip -j ${ipCount} (${expected} expected at least)`);
  const runs = ctx.routes > 200_000 ? Math.max(3, ctx.runs >> 1) : ctx.runs;
  const ipMs: number[] = [];
  const dumpMs: number[] = [];
  const ratio: number[] = [];
  for (let r = 0; r < runs; r++) {
    const ip = timed('ip', ipArgs).ms;
    const mine = timed(process.execPath, ours).ms;
    ipMs.push(ip);
    dumpMs.push(mine);
    ratio.push(mine / ip);
  }
  // Start-up: the same one request, many times, alternating so drift hits all three alike.
  const nodeMs: number[] = [];
  const ipLo: number[] = [];
  const doMs: number[] = [];
  for (let r = 0; r < Math.max(10, ctx.runs * 2); r++) {
    nodeMs.push(timed(process.execPath, ['-e', '']).ms);
    ipLo.push(timed('ip', ['-n', ns.name, '-j', 'link', 'show', 'lo']).ms);
    doMs.push(timed(process.execPath, [nlgenBin, 'do', 'getlink', '--family', 'rt-link', '--netns', ns.name, '--json', '{"ifname":"lo"}']).ms);
  }
  const at = `${printed.toLocaleString('en-US')} routes`;
  const big = ctx.routes >= 1_000_000;
  return {
    rows: [
      { section: 'cli', name: '`ip -4 -j route show table all` (baseline)', value: median(ipMs), unit: 'ms', ratio: 1, baseline: 'ip -j', note: at },
      {
        section: 'cli',
        name: '`nlgen dump getroute --family rt-route`, every route a JSON line (whole process)',
        value: median(dumpMs),
        unit: 'ms',
        ratio: median(ratio),
        baseline: 'ip -j',
        target: { max: big ? 0.5 : 1.0 },
        note: big ? undefined : 'target 1.0 at 100k routes; 0.5 at 1M (`--big`)',
      },
      { section: 'cli', name: '`node -e ""` (Node start alone)', value: median(nodeMs), unit: 'ms' },
      { section: 'cli', name: '`ip -j link show lo` (one request, whole process)', value: median(ipLo), unit: 'ms', ratio: 1, baseline: 'ip' },
      { section: 'cli', name: '`nlgen do getlink` of lo: start to exit, one request', value: median(doMs), unit: 'ms', ratio: median(doMs) / median(ipLo), baseline: 'ip', note: `Node alone: ${median(nodeMs).toFixed(0)} ms of it` },
    ],
    skipped: [],
  };
}
