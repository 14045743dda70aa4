// A throwaway network namespace for the benchmarks: a veth pair (this kernel has no dummy driver) and, on request,
// N host routes added with `ip -batch`. Configuration only: nothing is ever sent.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Host routes per routing table: every /32 of 198.18.0.0/15, the benchmarking range. */
export const ROUTES_PER_TABLE = 1 << 17;

/**
 * The i-th benchmark route as `ip route` arguments. 198.18.0.0/15 holds 131,072 host routes, so a million routes
 * repeat the same prefixes in further tables (1001, 1002, …): each (table, prefix) pair is its own kernel route.
 */
export function routeSpec(i: number): { dst: string; table: number } {
  const k = i % ROUTES_PER_TABLE;
  const t = Math.floor(i / ROUTES_PER_TABLE);
  return { dst: `198.${18 + (k >> 16)}.${(k >> 8) & 255}.${k & 255}`, table: t === 0 ? 254 : 1000 + t };
}

/** A benchmark namespace; `dispose()` deletes it (safe to call twice). */
export interface BenchNetns {
  name: string;
  /** ifindex of `rt0`, the device the routes point at. */
  ifindex: number;
  /** Runs `ip -n NAME ...args` and returns its stdout. */
  ip(...args: string[]): string;
  /** Adds routes `[from, to)` through `ip -batch` (a process reading a file); returns its wall time in ms. */
  addRoutesWithIp(from: number, to: number): number;
  dispose(): void;
}

/** Writes an `ip -batch` file adding routes `[from, to)` on rt0. */
export function writeRouteBatch(file: string, from: number, to: number): void {
  const lines: string[] = [];
  for (let i = from; i < to; i++) {
    const { dst, table } = routeSpec(i);
    lines.push(table === 254 ? `route add ${dst}/32 dev rt0` : `route add ${dst}/32 dev rt0 table ${table}`);
  }
  writeFileSync(file, lines.join('\n') + '\n');
}

/** Creates a namespace named `nlgen-bench-<prefix>-<random>` with rt0/rt1 up. */
export function createBenchNetns(prefix: string): BenchNetns {
  const name = `nlgen-bench-${prefix}-${randomBytes(3).toString('hex')}`;
  execFileSync('ip', ['netns', 'add', name]);
  let disposed = false;
  const ip = (...args: string[]) => execFileSync('ip', ['-n', name, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const dispose = () => {
    if (disposed) return;
    disposed = true;
    spawnSync('ip', ['netns', 'del', name]);
  };
  try {
    ip('link', 'add', 'rt0', 'type', 'veth', 'peer', 'name', 'rt1');
    ip('link', 'set', 'rt0', 'up');
    ip('link', 'set', 'rt1', 'up');
    const [link] = JSON.parse(ip('-j', 'link', 'show', 'rt0')) as { ifindex: number }[];
    return {
      name,
      ifindex: link!.ifindex,
      ip,
      addRoutesWithIp(from, to) {
        const file = join(tmpdir(), `${name}-${from}.batch`);
        try {
          writeRouteBatch(file, from, to);
          const t = process.hrtime.bigint();
          execFileSync('ip', ['-n', name, '-batch', file]);
          return Number(process.hrtime.bigint() - t) / 1e6;
        } finally {
          rmSync(file, { force: true });
        }
      },
      dispose,
    };
  } catch (e) {
    dispose();
    throw e;
  }
}
