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

/** The runtime's layers, lowest first. A module imports its own folder and lower layers only (equal ranks: neither). */
const runtimeLayers: Record<string, number> = { sys: 0, wire: 1, transport: 2, codec: 2, socket: 3, client: 4, mock: 5, '.': 6 };

/** The runtime folder a module sits in ('.' for runtime/index.ts). */
const layerOf = (f: string): string => {
  const parts = relative(join(repoRoot, 'runtime'), f).split('/');
  return parts.length === 1 ? '.' : parts[0]!;
};

describe('runtime layers', () => {
  const files = sources(join(repoRoot, 'runtime')).filter((f) => !relative(repoRoot, f).startsWith('runtime/dist/'));
  const graph = importGraph(files);

  test('every module sits in a known layer folder, each with an index saying what it owns', () => {
    for (const f of files) expect(runtimeLayers[layerOf(f)], relative(repoRoot, f)).toBeDefined();
    for (const layer of Object.keys(runtimeLayers).filter((l) => l !== '.')) {
      const index = readFileSync(join(repoRoot, 'runtime', layer, 'index.ts'), 'utf8');
      expect(index, `runtime/${layer}/index.ts`).toMatch(new RegExp(`^// ${layer}/ — .+May import`, 's'));
    }
  });

  /** Imports that go to a higher layer or a sibling one, as `from → to`. */
  const violations = (g: Map<string, string[]>): string[] =>
    [...g].flatMap(([f, deps]) =>
      deps.filter((d) => layerOf(f) !== layerOf(d) && runtimeLayers[layerOf(d)]! >= runtimeLayers[layerOf(f)]!).map((d) => `${relative(repoRoot, f)} → ${relative(repoRoot, d)}`),
    );

  test('nothing imports a higher or a sibling layer', () => {
    expect([...graph.values()].flat().length).toBeGreaterThan(30);
    expect(violations(graph)).toEqual([]);
  });

  test('the check sees a wrong import: wire/ reaching up into socket/, transport/ sideways into codec/', () => {
    const at = (p: string) => join(repoRoot, 'runtime', p);
    const g = new Map([
      [at('client/genl.ts'), [at('socket/socket.ts'), at('wire/message.ts')]],
      [at('wire/message.ts'), [at('socket/socket.ts'), at('sys/ffi.ts')]],
      [at('transport/io.ts'), [at('codec/codecs.ts')]],
    ]);
    expect(violations(g)).toEqual(['runtime/wire/message.ts → runtime/socket/socket.ts', 'runtime/transport/io.ts → runtime/codec/codecs.ts']);
  });
});

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
