// The generator does not run a formatter (it would be most of its time): the emitter writes modules in the layout
// the TypeScript formatter produces. Held here for our specs and every corpus spec: formatting the output changes
// nothing. A failure names the first differing line, i.e. the emitter code that needs the layout fix.
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { readFamilies } from '../../generator/index.js';
import { moduleFileName, printFamilyModule, printIndexModule } from '../../generator/print-module.js';
import { formatSource } from '../support/format-source.js';
import { corpusSkipReason, corpusSpecsDir, repoRoot } from '../support/corpus.js';

/** The first line where `a` and `b` differ, with both versions, or undefined when equal. */
function firstDifference(a: string, b: string): string | undefined {
  if (a === b) return undefined;
  const la = a.split('\n');
  const lb = b.split('\n');
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) return `line ${i + 1}:\n  emitted:   ${la[i]}\n  formatted: ${lb[i]}`;
  }
  return 'differs';
}

function expectFormatted(dir: string): number {
  const { families, errors } = readFamilies([dir]);
  expect(errors).toEqual([]);
  for (const f of families) {
    const text = printFamilyModule(f);
    expect(firstDifference(text, formatSource(`${moduleFileName(f)}.ts`, text)), f.name).toBeUndefined();
  }
  const index = printIndexModule(families);
  expect(firstDifference(index, formatSource('index.ts', index)), 'index').toBeUndefined();
  return families.length;
}

describe('generated modules need no formatting', () => {
  test('our specs', () => {
    expect(expectFormatted(join(repoRoot, 'specs'))).toBeGreaterThanOrEqual(10);
  });

  test('the my-family example specs', () => {
    expect(expectFormatted(join(repoRoot, 'examples/my-family/specs'))).toBe(2);
  });

  test.skipIf(corpusSkipReason() !== undefined)('every corpus spec', () => {
    expect(expectFormatted(corpusSpecsDir)).toBeGreaterThan(20);
  });

  test('the check itself sees a layout slip', () => {
    // A mis-indented line and a missing semicolon: the formatter must change both, or the tests above prove nothing.
    const slipped = 'export function f(): number {\nreturn 1\n}\n';
    expect(firstDifference(slipped, formatSource('slip.ts', slipped))).toMatch(/^line 2:/);
  });
});
