// Every spec of the kernel's corpus loads, validates against our schemas and resolves with no errors.
import { describe, expect, test } from 'vitest';
import { formatSpecError, loadSpec, readFamilies, resolveFamily, validateSpec } from '../../generator/index.js';
import { corpusSkipReason, corpusSpecFiles, corpusSpecsDir } from '../support/corpus.js';

const skip = corpusSkipReason();

describe.skipIf(skip !== undefined)('kernel spec corpus', () => {
  const files = corpusSpecFiles();

  test('corpus is not empty', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  test.each(files.map((f) => [f.split('/').pop()!, f]))('%s validates and resolves', (_name, file) => {
    const doc = loadSpec(file);
    expect(validateSpec(doc).map(formatSpecError)).toEqual([]);
    const family = resolveFamily(doc);
    expect(family.attributeSets.length).toBeGreaterThan(0);
    expect(family.operations.list.length).toBeGreaterThan(0);
    if (family.protocol === 'netlink-raw') expect(family.protonum).toBe((doc.data as { protonum: number }).protonum);
    else expect(family.protonum).toBe(16);
  });

  test('readFamilies on the folder: every family, zero errors', () => {
    const { families, errors, warnings } = readFamilies([corpusSpecsDir]);
    expect(errors.map(formatSpecError)).toEqual([]);
    expect(families.map((f) => f.name).length).toBe(files.length);
    // Known upstream slips are tolerated as warnings, each placed in its file.
    for (const w of warnings) expect(formatSpecError(w)).toMatch(/^\/.+\.yaml:\d+:\d+: /);
    console.log(`corpus: ${families.length} families resolved, ${warnings.length} warnings`);
  });
});
