// The 64-bit readers generated decoders call (rt.u64At/s64At, rt.u64/s64/uint/sint): zero comes back as 0n without
// a DataView BigInt read, every other bit pattern exactly as DataView reads it — including the ones where only one
// 32-bit half is zero, which the zero test must not mistake for zero.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { generatedSupport as rt } from '@nlgen/runtime';

/** 8 bytes at offset 3 of an 11-byte buffer (unaligned), from two 32-bit halves. */
function bytesOf(lo: number, hi: number): { d: Uint8Array; v: DataView } {
  const d = new Uint8Array(11);
  const v = new DataView(d.buffer);
  v.setUint32(3, lo, true);
  v.setUint32(7, hi, true);
  return { d, v };
}

const half = fc.oneof(fc.constant(0), fc.constant(0xffffffff), fc.constant(0x80000000), fc.integer({ min: 0, max: 0xffffffff }));

describe('64-bit reads', () => {
  test('hand-picked patterns', () => {
    const cases: [number, number, bigint, bigint][] = [
      [0, 0, 0n, 0n],
      [1, 0, 1n, 1n],
      [0, 1, 2n ** 32n, 2n ** 32n],
      [0, 0x80000000, 2n ** 63n, -(2n ** 63n)],
      [0xffffffff, 0xffffffff, 2n ** 64n - 1n, -1n],
    ];
    for (const [lo, hi, u, s] of cases) {
      const { v } = bytesOf(lo, hi);
      expect(rt.u64At(v, 3)).toBe(u);
      expect(rt.s64At(v, 3)).toBe(s);
      expect(rt.u64(v, 3, 11)).toBe(u);
      expect(rt.s64(v, 3, 11)).toBe(s);
      expect(rt.uint(v, 3, 11)).toBe(u);
      expect(rt.sint(v, 3, 11)).toBe(s);
    }
  });

  test('any pattern reads as DataView reads it, in both byte orders', () => {
    fc.assert(
      fc.property(half, half, (lo, hi) => {
        const { v } = bytesOf(lo, hi);
        expect(rt.u64At(v, 3)).toBe(v.getBigUint64(3, true));
        expect(rt.s64At(v, 3)).toBe(v.getBigInt64(3, true));
        expect(rt.u64(v, 3, 11)).toBe(v.getBigUint64(3, true));
        expect(rt.s64(v, 3, 11)).toBe(v.getBigInt64(3, true));
        expect(rt.u64(v, 3, 11, true)).toBe(v.getBigUint64(3, false));
        expect(rt.s64(v, 3, 11, true)).toBe(v.getBigInt64(3, false));
        expect(rt.uint(v, 3, 11)).toBe(v.getBigUint64(3, true));
        expect(rt.sint(v, 3, 11)).toBe(v.getBigInt64(3, true));
      }),
      { numRuns: 2000 },
    );
  });
});
