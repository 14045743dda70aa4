// Whole-process sections. `json`: a Node script that dumps the routes through the generated client and prints
// them as one JSON array, against `ip -4 -j route show table all`, both writing to /dev/null. `rss`: the peak resident
// memory of a process streaming the whole dump through the generated client.
import { spawnSync } from 'node:child_process';
import type { BenchContext, SectionResult } from '../lib/context.js';
import { childEnv, compiledChild } from '../lib/context.js';
import { median, now } from '../lib/report.js';

interface ChildSummary {
  count: number;
  times: number[];
  maxRssMB: number;
}

/** Runs the compiled route-dump child; `stdout` 'ignore' sends its output to /dev/null. */
export function runRouteDumpChild(script: string, args: string[], stdout: 'ignore' | 'pipe'): { summary: ChildSummary; stdout: string; ms: number } {
  const t = now();
  const p = spawnSync(process.execPath, [script, ...args], { stdio: ['ignore', stdout, 'pipe'], maxBuffer: 1 << 30, encoding: 'utf8', env: childEnv });
  const ms = now() - t;
  if (p.status !== 0) throw new Error(`route-dump child failed (${p.status}): ${p.stderr}`);
  const last = p.stderr.trim().split('\n').pop() ?? '';
  return { summary: JSON.parse(last) as ChildSummary, stdout: p.stdout ?? '', ms };
}

/** `table dst` of every route in the nlgen child's JSON array, sorted. */
export function routeKeysFromChild(text: string): string[] {
  const routes = JSON.parse(text) as { dst?: string; table?: number }[];
  return routes
    .map((r) => {
      if (typeof r.dst !== 'string' || typeof r.table !== 'number') throw new Error(`a printed route has no dst or table: ${JSON.stringify(r)}`);
      return `${r.table === 254 ? 'main' : r.table} ${r.dst}`;
    })
    .sort();
}

/** `table dst` of every route in `ip -j route show` output (ip leaves out `table` for main), sorted. */
export function routeKeysFromIp(text: string): string[] {
  const routes = JSON.parse(text) as { dst: string; table?: string }[];
  return routes.map((r) => `${r.table ?? 'main'} ${r.dst}`).sort();
}

/** Runs the `json` section. */
export async function jsonSection(ctx: BenchContext): Promise<SectionResult> {
  const script = compiledChild('route-dump');
  if (!script) return { rows: [], skipped: [{ section: 'json', what: 'JSON-printing process vs ip -j', why: 'bench not built (run through `npm run bench`)' }] };
  const ns = await ctx.dumpNetns();
  const expected = await ctx.expectedRoutes();
  const ipArgs = ['-n', ns.name, '-4', '-j', 'route', 'show', 'table', 'all'];
  const likeIpArgs = ['--netns', ns.name, '--mode', 'ip-json'];
  const typedArgs = ['--netns', ns.name, '--mode', 'json'];
  const ipOut = spawnSync('ip', ipArgs, { maxBuffer: 1 << 30, encoding: 'utf8' });
  if (ipOut.status !== 0) throw new Error(`ip -j route show failed: ${ipOut.stderr}`);
  // The ip-like child must print exactly what ip prints, byte for byte: the comparison is then like for like.
  const likeIp = runRouteDumpChild(script, likeIpArgs, 'pipe');
  if (likeIp.stdout !== ipOut.stdout) {
    let i = 0;
    while (i < likeIp.stdout.length && likeIp.stdout[i] === ipOut.stdout[i]) i++;
    throw new Error(`the ip-like child's output differs from ip -j at byte ${i}: …${likeIp.stdout.slice(Math.max(0, i - 80), i + 80)}… vs …${ipOut.stdout.slice(Math.max(0, i - 80), i + 80)}…`);
  }
  // The typed child prints every decoded field of every route: check it holds the same routes as ip.
  const shown = runRouteDumpChild(script, typedArgs, 'pipe');
  const ours = routeKeysFromChild(shown.stdout);
  if (ours.length !== expected) throw new Error(`the JSON child printed ${ours.length} routes, expected ${expected}`);
  const theirs = routeKeysFromIp(ipOut.stdout);
  const differ = ours.findIndex((k, i) => k !== theirs[i]);
  if (theirs.length !== ours.length || differ >= 0) {
    throw new Error(`nlgen and ip -j printed different routes (${ours.length} vs ${theirs.length}; first difference: ${ours[differ]} / ${theirs[differ]})`);
  }

  const runs = ctx.routes > 200_000 ? Math.max(3, ctx.runs >> 1) : ctx.runs;
  const ipMs: number[] = [];
  const likeMs: number[] = [];
  const typedMs: number[] = [];
  const rLike: number[] = [];
  const rTyped: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = now();
    const p = spawnSync('ip', ipArgs, { stdio: ['ignore', 'ignore', 'pipe'] });
    const ip = now() - t;
    if (p.status !== 0) throw new Error(`ip -j route show failed: ${p.stderr}`);
    const like = runRouteDumpChild(script, likeIpArgs, 'ignore');
    if (like.summary.count !== expected) throw new Error(`the ip-like child dumped ${like.summary.count} routes, expected ${expected}`);
    const typed = runRouteDumpChild(script, typedArgs, 'ignore');
    if (typed.summary.count !== expected) throw new Error(`the JSON child dumped ${typed.summary.count} routes, expected ${expected}`);
    ipMs.push(ip);
    likeMs.push(like.ms);
    typedMs.push(typed.ms);
    rLike.push(like.ms / ip);
    rTyped.push(typed.ms / ip);
  }
  const at = `${expected.toLocaleString('en-US')} routes`;
  const big = ctx.routes >= 1_000_000;
  return {
    rows: [
      { section: 'json', name: '`ip -4 -j route show table all` (baseline)', value: median(ipMs), unit: 'ms', ratio: 1, baseline: 'ip -j', note: at },
      {
        section: 'json',
        name: 'node script printing the same JSON as ip, byte for byte (whole process)',
        value: median(likeMs),
        unit: 'ms',
        ratio: median(rLike),
        baseline: 'ip -j',
        target: { max: 1.0 },
        note: big ? undefined : 'target is set for 1M routes: `--big`',
      },
      {
        section: 'json',
        name: 'node script printing every decoded field (JSON.stringify of the typed routes, ~3× the bytes)',
        value: median(typedMs),
        unit: 'ms',
        ratio: median(rTyped),
        baseline: 'ip -j',
      },
    ],
    skipped: [],
  };
}

/** Runs the `rss` section. */
export async function rssSection(ctx: BenchContext): Promise<SectionResult> {
  const script = compiledChild('route-dump');
  if (!script) return { rows: [], skipped: [{ section: 'rss', what: 'peak RSS of a streaming dump', why: 'bench not built (run through `npm run bench`)' }] };
  const ns = await ctx.dumpNetns();
  const expected = await ctx.expectedRoutes();
  const rss: number[] = [];
  for (let r = 0; r < 3; r++) {
    const { summary } = runRouteDumpChild(script, ['--netns', ns.name, '--mode', 'count'], 'ignore');
    if (summary.count !== expected) throw new Error(`the streaming child saw ${summary.count} routes, expected ${expected}`);
    rss.push(summary.maxRssMB);
  }
  const big = ctx.routes >= 1_000_000;
  return {
    rows: [
      {
        section: 'rss',
        name: `peak RSS of a process streaming the typed dump (${expected.toLocaleString('en-US')} routes)`,
        value: median(rss),
        unit: 'MB',
        target: { below: 150 },
        note: big ? undefined : 'target is set for 1M routes: `--big`',
      },
    ],
    skipped: [],
  };
}
