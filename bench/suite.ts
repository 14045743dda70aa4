// Runs the selected benchmark sections in one process, sharing one route namespace, and gathers one table.
import type { BenchContext, SectionResult } from './lib/context.js';
import { createBenchNetns, type BenchNetns } from './lib/netns.js';
import { machineInfo, type BenchRow, type MachineInfo, type Skipped } from './lib/report.js';
import { sys } from '@nlgen/runtime/ffi';
import { blockingSocket, floorDump } from './runtime/route-bench.js';
import { dumpSection } from './sections/dump.js';
import { jsonSection, rssSection } from './sections/process.js';
import { cliSection } from './sections/cli.js';
import { peersSection } from './sections/peers.js';
import { addsSection } from './sections/adds.js';
import { roundTripSection } from './sections/roundtrip.js';
import { genSection } from './sections/gen.js';

/** Section keys accepted by `--only`, in the order they run. `peers` selects both peer libraries. */
export const SECTIONS = ['dump', 'rt', 'json', 'cli', 'rss', 'pyroute2', 'npm-netlink', 'adds', 'gen'] as const;
/** One section key. */
export type SectionName = (typeof SECTIONS)[number];

/** Options of a benchmark run. */
export interface SuiteOptions {
  routes: number;
  runs: number;
  only: ReadonlySet<SectionName>;
  log?: (line: string) => void;
}

/** Everything a run produced. */
export interface SuiteResult {
  machine: MachineInfo;
  routes: number;
  runs: number;
  sections: SectionName[];
  rows: BenchRow[];
  skipped: Skipped[];
}

/** Parses a `--only` list (comma-separated; `peers` = pyroute2,npm-netlink); throws on an unknown name. */
export function parseOnly(list: string | undefined): Set<SectionName> {
  if (list === undefined || list === '' || list === 'all') return new Set(SECTIONS);
  const out = new Set<SectionName>();
  for (const raw of list.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (raw === 'peers') {
      out.add('pyroute2');
      out.add('npm-netlink');
    } else if ((SECTIONS as readonly string[]).includes(raw)) out.add(raw as SectionName);
    else throw new Error(`unknown section "${raw}" (known: ${SECTIONS.join(', ')}, peers)`);
  }
  return out;
}

/** Runs the selected sections; the shared namespace is deleted at the end, also on failure or Ctrl-C. */
export async function runSuite(opts: SuiteOptions): Promise<SuiteResult> {
  const log = opts.log ?? ((s: string) => console.error(s));
  const rows: BenchRow[] = [];
  const skipped: Skipped[] = [];
  const root = process.getuid?.() === 0;
  let ns: BenchNetns | undefined;
  let expected: number | undefined;
  const onSignal = (sig: NodeJS.Signals) => {
    ns?.dispose();
    process.kill(process.pid, sig);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const ctx: BenchContext = {
    routes: opts.routes,
    runs: opts.runs,
    log,
    async dumpNetns() {
      if (!ns) {
        ns = createBenchNetns('dump');
        log(`bench: namespace ${ns.name}, adding ${opts.routes.toLocaleString('en-US')} routes with ip -batch…`);
        ns.addRoutesWithIp(0, opts.routes);
      }
      return ns;
    },
    async expectedRoutes() {
      if (expected === undefined) {
        const fd = blockingSocket((await ctx.dumpNetns()).name);
        try {
          expected = floorDump(fd, 1);
        } finally {
          sys.close(fd);
        }
        if (expected !== opts.routes) throw new Error(`the namespace holds ${expected} IPv4 routes, expected ${opts.routes}`);
      }
      return expected;
    },
  };
  const run = async (name: SectionName | 'peers', needsRoot: boolean, fn: () => Promise<SectionResult>) => {
    if (needsRoot && !root) {
      skipped.push({ section: name, what: name, why: 'needs root (creates a network namespace)' });
      return;
    }
    log(`bench: ${name}…`);
    const r = await fn();
    rows.push(...r.rows);
    skipped.push(...r.skipped);
  };
  try {
    const on = (s: SectionName) => opts.only.has(s);
    if (on('dump')) await run('dump', true, () => dumpSection(ctx));
    if (on('rt')) await run('rt', true, () => roundTripSection(ctx));
    if (on('json')) await run('json', true, () => jsonSection(ctx));
    if (on('cli')) await run('cli', true, () => cliSection(ctx));
    if (on('rss')) await run('rss', true, () => rssSection(ctx));
    if (on('pyroute2') || on('npm-netlink')) {
      await run('peers', true, () => peersSection(ctx, { pyroute2: on('pyroute2'), npmNetlink: on('npm-netlink') }));
    }
    if (on('adds')) await run('adds', true, () => addsSection(ctx));
    if (on('gen')) await run('gen', false, () => genSection(ctx));
  } finally {
    ns?.dispose();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  for (const s of SECTIONS) if (!opts.only.has(s)) skipped.push({ section: s, what: s, why: 'not selected (--only)' });
  return { machine: machineInfo(), routes: opts.routes, runs: opts.runs, sections: SECTIONS.filter((s) => opts.only.has(s)), rows, skipped };
}
