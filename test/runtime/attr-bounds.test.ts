// rt.attrEnd, the attribute-header check every generated decoder loop runs: the end of an attribute that fits, and
// for each way one does not fit a DecodeError with its own reason and the header's offset (lengths built by hand).
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { DecodeError, generatedSupport as rt } from '@nlgen/runtime';
import { decodeFailure } from '../support/decode-failure.js';

/** Bytes holding one attribute header of length `len` at offset 2 (type 1), followed by `tail` zero bytes. */
function header(len: number, tail: number): DataView {
  const b = new Uint8Array(2 + 4 + tail);
  b[2] = len & 0xff;
  b[3] = len >> 8;
  b[4] = 1;
  return new DataView(b.buffer);
}

describe('attribute bounds', () => {
  test('an attribute that fits ends at its offset plus its length', () => {
    expect(rt.attrEnd(header(4, 0), 2, 6)).toBe(6);
    expect(rt.attrEnd(header(8, 4), 2, 10)).toBe(10);
    expect(rt.attrEnd(header(5, 8), 2, 14)).toBe(7); // unaligned length: the padding is the caller's business
  });

  test('each misfit names its reason at the header offset', () => {
    expect(decodeFailure(() => rt.attrEnd(header(4, 0), 2, 5))).toEqual({ reason: 'truncated attribute header: 3 bytes left', offset: 2 });
    expect(decodeFailure(() => rt.attrEnd(header(3, 0), 2, 6))).toEqual({ reason: 'attribute length 3 is shorter than its header', offset: 2 });
    expect(decodeFailure(() => rt.attrEnd(header(0, 0), 2, 6))).toEqual({ reason: 'attribute length 0 is shorter than its header', offset: 2 });
    expect(decodeFailure(() => rt.attrEnd(header(12, 4), 2, 10))).toEqual({ reason: 'attribute length 12 runs 4 bytes past its container', offset: 2 });
  });

  test('any length and container: the end exactly when 4 ≤ length and it fits, else a DecodeError', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 64 }), (len, room) => {
        const v = header(len, 64);
        const end = 2 + room;
        if (room >= 4 && len >= 4 && len <= room) expect(rt.attrEnd(v, 2, end)).toBe(2 + len);
        else expect(() => rt.attrEnd(v, 2, end)).toThrow(DecodeError);
      }),
      { numRuns: 1000 },
    );
  });
});
