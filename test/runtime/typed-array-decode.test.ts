// rt.typedArrayOf, which decodes u32/u64 array attributes: values read from hand-written little-endian bytes at
// offsets that are not aligned for the element type, copies independent of the source and of each other, and the
// DecodeError for a payload that is not a whole number of elements.
import { describe, expect, test } from 'vitest';
import { DecodeError, generatedSupport as rt } from 'nlgen/runtime';

describe('typedArrayOf', () => {
  test('u32 elements from an odd offset', () => {
    // 1 pad byte, then 0x04030201 and 0xfffffffe little-endian.
    const d = new Uint8Array([0xaa, 0x01, 0x02, 0x03, 0x04, 0xfe, 0xff, 0xff, 0xff, 0xbb]);
    const a = rt.typedArrayOf(d, 1, 9, Uint32Array);
    expect(a).toBeInstanceOf(Uint32Array);
    expect([...a]).toEqual([0x04030201, 0xfffffffe]);
  });

  test('u64 elements from a 4-aligned offset are 8-aligned views with the right values', () => {
    const d = new Uint8Array(4 + 16);
    d.set([0x01, 0, 0, 0, 0, 0, 0, 0x80], 4); // 2^63 + 1
    d.set([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], 12);
    rt.typedArrayOf(d, 0, 4, Uint8Array); // a 4-byte array just before: the next region must still start 8-aligned
    const a = rt.typedArrayOf(d, 4, 20, BigUint64Array);
    expect(a.byteOffset % 8).toBe(0);
    expect([...a]).toEqual([2n ** 63n + 1n, 2n ** 64n - 1n]);
  });

  test('the result is a copy: changing the source or another result does not show', () => {
    const d = new Uint8Array([1, 0, 0, 0, 2, 0, 0, 0]);
    const a = rt.typedArrayOf(d, 0, 8, Uint32Array);
    const b = rt.typedArrayOf(d, 0, 8, Uint32Array);
    d[0] = 9;
    b[1] = 7;
    expect([...a]).toEqual([1, 2]);
    expect([...b]).toEqual([1, 7]);
  });

  test('many arrays, small and over the shared-region limit, keep their own values', () => {
    const made: [Uint32Array, number][] = [];
    for (let i = 0; i < 2000; i++) {
      const count = i % 97 === 0 ? 1500 : (i % 60) + 1; // 6000-byte arrays take the own-buffer path
      const d = new Uint8Array(count * 4);
      const dv = new DataView(d.buffer);
      for (let k = 0; k < count; k++) dv.setUint32(k * 4, i * 10_000 + k, true);
      made.push([rt.typedArrayOf(d, 0, d.length, Uint32Array), i]);
    }
    for (const [a, i] of made) {
      for (let k = 0; k < a.length; k++) if (a[k] !== i * 10_000 + k) throw new Error(`array ${i}[${k}] = ${a[k]}`);
    }
    expect(made.length).toBe(2000);
  });

  test('a payload that is not a whole number of elements is a DecodeError', () => {
    const d = new Uint8Array(10);
    expect(() => rt.typedArrayOf(d, 0, 10, Uint32Array)).toThrow(DecodeError);
    expect(() => rt.typedArrayOf(d, 0, 10, Uint32Array)).toThrow(/10 bytes is not a multiple of 4/);
  });
});
