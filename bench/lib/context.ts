// What every benchmark section receives, and what it gives back.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchNetns } from './netns.js';
import type { BenchRow, Skipped } from './report.js';

/** Settings and shared state of one benchmark run. */
export interface BenchContext {
  /** Routes in the dump namespace. */
  routes: number;
  /** Interleaved runs per comparison (medians are taken over them). */
  runs: number;
  /** The namespace holding `routes` routes (created once, shared by the dump-based sections). */
  dumpNetns(): Promise<BenchNetns>;
  /** Route messages one IPv4 dump of `dumpNetns()` returns (counted by the floor once the namespace exists). */
  expectedRoutes(): Promise<number>;
  log(line: string): void;
}

/** What a section measured and what it could not. */
export interface SectionResult {
  rows: BenchRow[];
  skipped: Skipped[];
}

/** The repository root (works from bench/ sources under vitest and from dist/bench/ after a build). */
export const repoRoot: string = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('bench: repository root not found');
    dir = up;
  }
  return resolve(dir);
})();

/** The compiled child script, or undefined when the bench has not been built (`npm run build`). */
export function compiledChild(name: string): string | undefined {
  const p = join(repoRoot, 'dist', 'bench', 'children', `${name}.js`);
  return existsSync(p) ? p : undefined;
}

/**
 * The environment of the whole-process rows' children: this process's, without NODE_EXTRA_CA_CERTS. With it set,
 * every Node process reads and parses that certificate bundle as it starts (about 35 ms on the VM these tables come
 * from, where it is set for npm) before any of its own code runs: a setting of the machine, not part of what the rows
 * measure, and `ip` does not read it.
 */
export const childEnv: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_EXTRA_CA_CERTS'));
