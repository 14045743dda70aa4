// Peer libraries on the same dump: pyroute2 (Debian's python3-pyroute2) and the npm `netlink` package, each in its
// own process inside the namespace, timing its own dumps after a warm-up, exactly as the nlgen child does
// (`toArray()` of the typed dump). Ratios are peer ÷ nlgen medians. Missing peers are installed, or skipped with why.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchContext, SectionResult } from '../lib/context.js';
import { compiledChild, repoRoot } from '../lib/context.js';
import { createBenchNetns, type BenchNetns } from '../lib/netns.js';
import { median, type BenchRow, type Skipped } from '../lib/report.js';

/** Where the npm peer is installed (gitignored). */
export const peersDir = join(repoRoot, 'bench', '.peers');
/** The npm `netlink` version measured. */
export const NPM_NETLINK_VERSION = '0.3.0';
/** Debian's interpreter, which sees Debian's python3-pyroute2 (a pyenv `python3` first on PATH would not). */
const DEBIAN_PYTHON = '/usr/bin/python3';
/** Peers are measured at this many routes at most (pyroute2 at 1M takes minutes). */
export const PEER_ROUTES = 100_000;

interface PeerSummary {
  count: number;
  times: number[];
}

function tail(s: string | null | undefined): string {
  return (s ?? '').trim().split('\n').slice(-3).join(' / ').slice(0, 300);
}

/** Makes pyroute2 importable by Debian's python, installing python3-pyroute2 with apt-get if needed. */
export function ensurePyroute2(log: (s: string) => void): string | undefined {
  const probe = () => spawnSync(DEBIAN_PYTHON, ['-c', 'import pyroute2'], { encoding: 'utf8' });
  let p = probe();
  if (p.status === 0) return undefined;
  if (!existsSync('/usr/bin/apt-get')) return 'pyroute2 is not installed and apt-get is not available';
  log('peers: installing python3-pyroute2 with apt-get…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let a = spawnSync('apt-get', ['install', '-y', '-q', 'python3-pyroute2'], { encoding: 'utf8', env, timeout: 300_000 });
  if (a.status !== 0) {
    spawnSync('apt-get', ['update', '-q'], { encoding: 'utf8', env, timeout: 300_000 });
    a = spawnSync('apt-get', ['install', '-y', '-q', 'python3-pyroute2'], { encoding: 'utf8', env, timeout: 300_000 });
  }
  if (a.status !== 0) return `apt-get install python3-pyroute2 failed: ${tail(a.stderr)}`;
  p = probe();
  return p.status === 0 ? undefined : `pyroute2 installed but not importable: ${tail(p.stderr)}`;
}

/** Installs the npm `netlink` package into bench/.peers unless it is there; returns why not, if it cannot. */
export function ensureNpmNetlink(log: (s: string) => void): string | undefined {
  if (existsSync(join(peersDir, 'node_modules', 'netlink', 'package.json'))) return undefined;
  mkdirSync(peersDir, { recursive: true });
  writeFileSync(join(peersDir, 'package.json'), JSON.stringify({ name: 'nlgen-bench-peers', private: true }, null, 2) + '\n');
  log(`peers: installing netlink@${NPM_NETLINK_VERSION} into bench/.peers…`);
  const p = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', `netlink@${NPM_NETLINK_VERSION}`], { cwd: peersDir, encoding: 'utf8', timeout: 300_000 });
  if (p.status !== 0) return `npm install netlink@${NPM_NETLINK_VERSION} failed: ${tail(p.stderr)}`;
  // Its native part comes prebuilt or is compiled at install; loading it proves which.
  const load = spawnSync(process.execPath, ['-e', `require(require('node:module').createRequire(${JSON.stringify(join(peersDir, 'package.json'))}).resolve('netlink'))`], { encoding: 'utf8' });
  return load.status === 0 ? undefined : `netlink@${NPM_NETLINK_VERSION} installed but does not load: ${tail(load.stderr)}`;
}

/** Runs `cmd args` inside the namespace and parses the JSON summary it prints last (on stdout or stderr). */
function runInNetns(ns: BenchNetns, cmd: string, args: string[]): PeerSummary {
  const p = spawnSync('ip', ['netns', 'exec', ns.name, cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 26, timeout: 900_000 });
  if (p.status !== 0) throw new Error(`${cmd} ${args[0] ?? ''} failed (${p.status ?? p.signal}): ${tail(p.stderr)}`);
  const line = [...(p.stdout ?? '').trim().split('\n'), ...(p.stderr ?? '').trim().split('\n')].filter((l) => l.startsWith('{')).pop();
  if (!line) throw new Error(`${cmd} printed no summary`);
  return JSON.parse(line) as PeerSummary;
}

/** Runs the peers section (`pyroute2` and `npm-netlink`, each selectable on its own). */
export async function peersSection(ctx: BenchContext, which: { pyroute2: boolean; npmNetlink: boolean }): Promise<SectionResult> {
  const rows: BenchRow[] = [];
  const skipped: Skipped[] = [];
  const script = compiledChild('route-dump');
  if (!script) {
    skipped.push({ section: 'peers', what: 'pyroute2 and npm netlink vs nlgen', why: 'bench not built (run through `npm run bench`)' });
    return { rows, skipped };
  }
  const pyWhy = which.pyroute2 ? ensurePyroute2(ctx.log) : undefined;
  if (pyWhy) skipped.push({ section: 'pyroute2', what: 'pyroute2 ÷ nlgen', why: pyWhy });
  const npmWhy = which.npmNetlink ? ensureNpmNetlink(ctx.log) : undefined;
  if (npmWhy) skipped.push({ section: 'npm-netlink', what: 'npm netlink ÷ nlgen', why: npmWhy });
  const runPy = which.pyroute2 && !pyWhy;
  const runNpm = which.npmNetlink && !npmWhy;
  if (!runPy && !runNpm) return { rows, skipped };

  // At more than 100k routes the peers get a namespace of their own with 100k (pyroute2 would take minutes).
  let own: BenchNetns | undefined;
  let ns: BenchNetns;
  let expected: number;
  if (ctx.routes > PEER_ROUTES) {
    own = createBenchNetns('peers');
    ctx.log(`peers: own namespace ${own.name} with ${PEER_ROUTES} routes`);
    own.addRoutesWithIp(0, PEER_ROUTES);
    ns = own;
    expected = PEER_ROUTES;
  } else {
    ns = await ctx.dumpNetns();
    expected = await ctx.expectedRoutes();
  }
  try {
    const nlgen: number[] = [];
    const py: number[] = [];
    const npm: number[] = [];
    let pyVersion = '';
    const check = (s: PeerSummary, who: string) => {
      if (s.count !== expected) throw new Error(`${who} dumped ${s.count} routes, expected ${expected}`);
      return s.times;
    };
    const nlgenRun = () => nlgen.push(...check(runInNetns(ns, process.execPath, [script, '--mode', 'array', '--repeat', '5']), 'nlgen'));
    nlgenRun();
    if (runPy) {
      ctx.log('peers: pyroute2…');
      // Debian's build reports __version__ as 'unknown'; the installed distribution's metadata has the real one.
      pyVersion = spawnSync(DEBIAN_PYTHON, ['-c', "import sys; from importlib.metadata import version; sys.stdout.write(version('pyroute2'))"], { encoding: 'utf8' }).stdout;
      py.push(...check(runInNetns(ns, DEBIAN_PYTHON, [join(repoRoot, 'bench', 'peers', 'pyroute2-dump.py'), '3']), 'pyroute2'));
      nlgenRun();
    }
    if (runNpm) {
      ctx.log('peers: npm netlink…');
      npm.push(...check(runInNetns(ns, process.execPath, [join(repoRoot, 'bench', 'peers', 'npm-netlink-dump.cjs'), peersDir, '5']), 'npm netlink'));
      nlgenRun();
    }
    const n = median(nlgen);
    const at = `${expected.toLocaleString('en-US')} routes${own ? ', peers measured at 100k' : ''}`;
    rows.push({ section: 'peers', name: 'nlgen typed dump, `toArray()` (in-process time)', value: n, unit: 'ms', ratio: 1, baseline: 'nlgen', note: at });
    if (runPy) rows.push({ section: 'pyroute2', name: `pyroute2 ${pyVersion} \`get_routes()\` (Debian python3-pyroute2)`, value: median(py), unit: 'ms', ratio: median(py) / n, baseline: 'nlgen', target: { min: 50 } });
    if (runNpm) rows.push({ section: 'npm-netlink', name: `npm netlink ${NPM_NETLINK_VERSION} \`getRoutes()\``, value: median(npm), unit: 'ms', ratio: median(npm) / n, baseline: 'nlgen' });
    return { rows, skipped };
  } finally {
    own?.dispose();
  }
}
