// Our own specs in specs/ describe the same kernel ABI as the corpus spec of the same name: both are
// resolved with nlgen's resolver and every wire-relevant fact is compared (names, numbers, types,
// nesting, structs, enums, message ids, fixed headers, notifications, groups). Prose is ignored.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { formatSpecError, readFamilies, type Family } from '../../generator/index.js';
import { abiDiff, beyondCorpus, corpusErrata, familyAbi, type Abi } from '../support/abi-picture.js';
import { corpusSkipReason, corpusSpecsDir, repoRoot } from '../support/corpus.js';

const skip = corpusSkipReason();
const ourSpecsDir = join(repoRoot, 'specs');

/** Families nlgen ships; each must have our own spec and a corpus counterpart. */
const shipped = ['nlctrl', 'rt-link', 'rt-addr', 'rt-route', 'rt-neigh', 'rt-rule', 'netdev', 'ethtool', 'tcp_metrics', 'mptcp_pm', 'conntrack', 'nftables', 'tc'];

function resolveOne(file: string): { family?: Family; errors: string[]; warnings: string[] } {
  const { families, errors, warnings } = readFamilies([file]);
  return { family: families[0], errors: errors.map(formatSpecError), warnings: warnings.map(formatSpecError) };
}

const ours = existsSync(ourSpecsDir) ? readdirSync(ourSpecsDir).filter((f) => f.endsWith('.yaml')).sort() : [];
const pairs = ours.filter((f) => existsSync(join(corpusSpecsDir, f))).map((f) => [f.replace(/\.yaml$/, ''), f] as const);

describe.skipIf(skip !== undefined)('our specs match the kernel ABI described by the corpus', () => {
  test('every shipped family has our spec and a corpus counterpart', () => {
    expect(pairs.map(([name]) => name).sort()).toEqual(expect.arrayContaining([...shipped].sort()));
  });

  test.each(pairs)('%s', (name, file) => {
    const mine = resolveOne(join(ourSpecsDir, file));
    expect(mine.errors, `${file}: our spec must resolve cleanly`).toEqual([]);
    expect(mine.warnings, `${file}: our spec must resolve without warnings`).toEqual([]);
    const theirs = resolveOne(join(corpusSpecsDir, file));
    expect(theirs.errors, `corpus ${file} must resolve`).toEqual([]);
    expect(mine.family!.name).toBe(name);
    const all = abiDiff(familyAbi(mine.family!), familyAbi(theirs.family!), name);
    const errata = [...(corpusErrata[name] ?? []), ...(beyondCorpus[name] ?? [])].flatMap((e) => e.lines);
    const diffs = all.filter((d) => !errata.includes(d));
    expect(diffs, `${diffs.length} ABI difference(s) between specs/${file} and the corpus:\n${diffs.join('\n')}`).toEqual([]);
    const stale = errata.filter((e) => !all.includes(e));
    expect(stale, `known differences listed for ${name} that no longer occur (remove them):\n${stale.join('\n')}`).toEqual([]);
  });
});

describe('abiDiff (the comparison itself)', () => {
  test('reports changed, missing and extra entries at their paths', () => {
    const corpus: Abi = { sets: { a: { x: { value: 1, type: 'u32' }, y: { value: 2, type: 'u8' } } }, groups: { g: { value: 5 } } };
    const ours: Abi = { sets: { a: { x: { value: 1, type: 'u16' }, z: { value: 3, type: 'u8' } } }, groups: { g: { value: 5 } } };
    expect(abiDiff(ours, corpus, 'f').sort()).toEqual(['f.sets.a.x.type: ours "u16", corpus "u32"', 'f.sets.a.y: missing from ours', 'f.sets.a.z: only in ours']);
  });

  test('an absent scalar on one side is a difference; identical pictures have none', () => {
    expect(abiDiff({ a: { b: undefined } }, { a: { b: 'big-endian' } }, 'f')).toEqual(['f.a.b: ours (absent), corpus "big-endian"']);
    expect(abiDiff({ a: { l: ['x', 'y'] } }, { a: { l: ['x', 'y'] } }, 'f')).toEqual([]);
    expect(abiDiff({ a: { l: ['x', 'z'] } }, { a: { l: ['x', 'y'] } }, 'f')).toEqual(['f.a.l: only in ours ["z"]', 'f.a.l: missing from ours ["y"]']);
    expect(abiDiff({ a: { l: ['x'] } }, { a: { l: 'x' } }, 'f')).toEqual(['f.a.l: ours ["x"], corpus "x"']);
  });
});
