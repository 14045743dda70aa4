// Mutated corpus specs never crash the toolchain: every outcome is a Family or positioned SpecErrors.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parse, stringify } from 'yaml';
import { InvalidSpecError, loadSpecText, resolveFamily } from '../../generator/index.js';
import { corpusSkipReason, corpusSpecFiles } from '../support/corpus.js';

const skip = corpusSkipReason();

type Json = unknown;

/** Every path to a value inside `v`. */
function paths(v: Json, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
}

function mutate(doc: Json, path: (string | number)[], kind: number, token: string): Json {
  const copy = structuredClone(doc) as Record<string | number, Json>;
  if (path.length === 0) return kind % 2 ? [] : null;
  let parent: Record<string | number, Json> = copy;
  for (const p of path.slice(0, -1)) parent = parent[p] as Record<string | number, Json>;
  const key = path[path.length - 1];
  const replacements: Json[] = [undefined, token, 0, -1, 2 ** 40, null, [], {}, true, `${token} - 1`];
  const r = replacements[kind % replacements.length];
  if (r === undefined) {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
  } else {
    parent[key] = r;
  }
  return copy;
}

describe.skipIf(skip !== undefined)('robustness against mutated specs', () => {
  const specs = corpusSpecFiles()
    .filter((f) => /(rt-link|nlctrl|ovs_datapath|wireguard|rt-addr|netdev)\.yaml$/.test(f))
    .map((f) => ({ file: f, data: parse(readFileSync(f, 'utf8')) as Json }));

  test('no mutation makes the resolver throw anything but InvalidSpecError with positions', () => {
    fc.assert(
      fc.property(
        fc.nat(specs.length - 1),
        fc.nat(),
        fc.nat(),
        fc.constantFrom('main', 'ifinfomsg', 'link-attrs', 'u32', 'nest', 'x'),
        (si, pi, kind, token) => {
          const { file, data } = specs[si];
          const all = paths(data);
          const mutated = mutate(data, all[pi % all.length], kind, token);
          try {
            resolveFamily(loadSpecText(stringify(mutated), file));
          } catch (e) {
            expect(e).toBeInstanceOf(InvalidSpecError);
            for (const err of (e as InvalidSpecError).errors) {
              expect(err.line).toBeGreaterThan(0);
              expect(err.col).toBeGreaterThan(0);
              expect(err.message.length).toBeGreaterThan(0);
            }
          }
        },
      ),
      { numRuns: Number(process.env.NLGEN_FUZZ_RUNS ?? 100), seed: Number(process.env.NLGEN_FUZZ_SEED ?? 20240601) },
    );
  });
});
