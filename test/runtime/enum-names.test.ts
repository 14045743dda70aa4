// Enum value → name tables as generated decoders use them (rt.enumByValue + rt.enumName): names for known values
// (small values read through the array, large ones through the Map), the number itself for unknown ones, and the
// later name for a value two names share — checked against a Map built from the entries, the former definition.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { generatedSupport as rt } from '@nlgen/runtime';

describe('enum names', () => {
  test('known, unknown, shared and large values', () => {
    const table = rt.enumByValue({ unspec: 0, unicast: 1, local: 2, alias: 2, big: 255, bigger: 256, huge: 0xfffffffe });
    expect(rt.enumName(table, 0)).toBe('unspec');
    expect(rt.enumName(table, 1)).toBe('unicast');
    expect(rt.enumName(table, 2)).toBe('alias');
    expect(rt.enumName(table, 255)).toBe('big');
    expect(rt.enumName(table, 256)).toBe('bigger');
    expect(rt.enumName(table, 0xfffffffe)).toBe('huge');
    expect(rt.enumName(table, 3)).toBe(3);
    expect(rt.enumName(table, 254)).toBe(254);
    expect(rt.enumName(table, 257)).toBe(257);
    expect(rt.enumName(table, -1)).toBe(-1);
    expect([...table]).toEqual([[0, 'unspec'], [1, 'unicast'], [2, 'alias'], [255, 'big'], [256, 'bigger'], [0xfffffffe, 'huge']]);
  });

  test('a Map not built by enumByValue is looked up as a Map', () => {
    const table = new Map([[1, 'one' as const], [300, 'many' as const]]);
    expect(rt.enumName(table, 1)).toBe('one');
    expect(rt.enumName(table, 300)).toBe('many');
    expect(rt.enumName(table, 2)).toBe(2);
  });

  test('any enum: the same answers as a Map from its entries', () => {
    const value = fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 0xffffffff }));
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), value, { maxKeys: 20 }), fc.array(value, { maxLength: 30 }), (enumObj, probes) => {
        const table = rt.enumByValue(enumObj);
        const reference = new Map(Object.entries(enumObj).map(([name, v]) => [v, name]));
        for (const v of [...Object.values(enumObj), ...probes]) expect(rt.enumName(table, v)).toBe(reference.get(v) ?? v);
      }),
      { numRuns: 500 },
    );
  });
});
