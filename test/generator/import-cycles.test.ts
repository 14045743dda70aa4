// No import cycles in the runtime or the generator, type-only imports included: each module can be read (and loaded)
// after the modules it imports. The graph comes from the sources' own import and export-from statements.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { repoRoot } from '../support/corpus.js';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return sources(p);
    return f.endsWith('.ts') && !f.endsWith('.d.ts') ? [p] : [];
  });
}

/** Module → the project modules it imports (relative specifiers, `.js` mapped back to `.ts`). */
export function importGraph(files: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const deps = [...text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+'(\.{1,2}\/[^']+)'/gms)]
      .map((m) => resolve(dirname(f), m[1]!.replace(/\.js$/, '.ts')))
      .filter((d) => files.includes(d));
    graph.set(f, [...new Set(deps)]);
  }
  return graph;
}

/** Every cycle found by a depth-first search, each as the list of modules around it. */
export function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string): void => {
    state.set(n, 'open');
    stack.push(n);
    for (const d of graph.get(n) ?? []) {
      if (state.get(d) === 'open') found.push([...stack.slice(stack.indexOf(d)), d]);
      else if (!state.has(d)) visit(d);
    }
    stack.pop();
    state.set(n, 'done');
  };
  for (const n of graph.keys()) if (!state.has(n)) visit(n);
  return found;
}

describe('import cycles', () => {
  test('the detector finds a cycle, type-only imports included', () => {
    const g = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', []],
    ]);
    expect(cycles(g)).toEqual([['a', 'b', 'c', 'a']]);
  });

  for (const dir of ['runtime', 'generator']) {
    test(`none in ${dir}/`, () => {
      const files = sources(join(repoRoot, dir));
      const graph = importGraph(files);
      expect([...graph.values()].flat().length).toBeGreaterThan(10); // the graph was read
      const found = cycles(graph).map((c) => c.map((f) => relative(repoRoot, f)).join(' → '));
      expect(found).toEqual([]);
    });
  }
});
