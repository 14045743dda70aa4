// rt.typedArrayOf and the per-type u32ArrayOf …, which decode u32/u64 array attributes: values read from
// hand-written little-endian bytes at offsets that are not aligned for the element type, copies independent of the
// source and of each other, and the DecodeError for a payload that is not a whole number of elements.
import { describe, expect, test } from 'vitest';
import { DecodeError, generatedSupport as rt } from '@nlgen/runtime';

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

  // The per-type functions generated decoders call: the bytes of each element read back with DataView (the oracle),
  // for payloads copied byte by byte (≤ 64 bytes), with set() (larger) and into their own buffer (over 4 KiB).
  const perType = [
    ['u8ArrayOf', Uint8Array, 1, (v: DataView, at: number) => v.getUint8(at)],
    ['s8ArrayOf', Int8Array, 1, (v: DataView, at: number) => v.getInt8(at)],
    ['u16ArrayOf', Uint16Array, 2, (v: DataView, at: number) => v.getUint16(at, true)],
    ['s16ArrayOf', Int16Array, 2, (v: DataView, at: number) => v.getInt16(at, true)],
    ['u32ArrayOf', Uint32Array, 4, (v: DataView, at: number) => v.getUint32(at, true)],
    ['s32ArrayOf', Int32Array, 4, (v: DataView, at: number) => v.getInt32(at, true)],
    ['u64ArrayOf', BigUint64Array, 8, (v: DataView, at: number) => v.getBigUint64(at, true)],
    ['s64ArrayOf', BigInt64Array, 8, (v: DataView, at: number) => v.getBigInt64(at, true)],
  ] as const;
  for (const [fn, ctor, width, read] of perType) {
    test(`${fn}: elements as DataView reads them, for short, long and oversized payloads`, () => {
      for (const bytes of [width, 16, 24, 64, 72, 1000, 4104]) { // both sides of the hand-copy limit (16) and of the slab limit (4096)
        const d = new Uint8Array(bytes + 3);
        for (let i = 0; i < d.length; i++) d[i] = (i * 37 + 11) & 0xff; // every element differs, sign bits set too
        const dv = new DataView(d.buffer);
        const a = (rt[fn] as (d: Uint8Array, q: number, e: number) => ArrayLike<number | bigint>)(d, 3, 3 + bytes);
        expect(a).toBeInstanceOf(ctor);
        expect(a.length).toBe(bytes / width);
        const want = Array.from({ length: bytes / width }, (_, k) => read(dv, 3 + k * width));
        expect(Array.from(a)).toEqual(want);
        d.fill(0);
        expect(Array.from(a)).toEqual(want); // a copy, not a view of the source
      }
      if (width > 1) expect(() => (rt[fn] as (d: Uint8Array, q: number, e: number) => unknown)(new Uint8Array(9), 0, width + 1)).toThrow(DecodeError);
    });
  }
});

describe('bytes (binary attribute payloads)', () => {
  test('every length up to past the hand-copy limit: the same bytes, in a buffer of their own', () => {
    const d = new Uint8Array(80);
    for (let i = 0; i < d.length; i++) d[i] = (i * 53 + 7) & 0xff;
    for (let n = 0; n <= 40; n++) {
      const b = rt.bytes(d, 5, 5 + n);
      expect(b).toBeInstanceOf(Uint8Array);
      expect(Array.from(b)).toEqual(Array.from(d.subarray(5, 5 + n)));
      expect(b.byteOffset).toBe(0);
      expect(b.buffer.byteLength).toBe(n); // its own buffer: nothing else (no receive buffer) is kept alive by it
      if (n > 0) {
        b[0] ^= 0xff;
        expect(d[5]).toBe((5 * 53 + 7) & 0xff);
      }
    }
  });
});
