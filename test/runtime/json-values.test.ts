// acceptJsonValues: the generated validators also take JSON's spellings of values JSON cannot carry (what the nlgen
// CLI's --json gives them), and still name the path of a bad one; off (the default for apps), they take none.
import { afterEach, describe, expect, test } from 'vitest';
import { acceptJsonValues, generatedSupport } from '../../runtime/index.js';
import { RtLinkCodecs } from '../../generated/rt-link.js';
import { NetdevCodecs } from '../../generated/netdev.js';

afterEach(() => void acceptJsonValues(false));

const setlink = RtLinkCodecs.operations.setlink.do;
/** Attribute payloads of an encoded setlink request (after the 16-byte ifinfomsg), by type. */
function attrs(bytes: Uint8Array): Map<number, Uint8Array> {
  const out = new Map<number, Uint8Array>();
  for (let p = 16; p + 4 <= bytes.length; ) {
    const len = bytes[p]! | (bytes[p + 1]! << 8);
    out.set((bytes[p + 2]! | (bytes[p + 3]! << 8)) & 0x3fff, bytes.subarray(p + 4, p + len));
    p += (len + 3) & ~3;
  }
  return out;
}

describe('objects that only look like typed arrays', () => {
  test('a Uint8Array prototype without a buffer is a ValidationError at its path (not a TypeError from length)', () => {
    const fake = Object.create(Uint8Array.prototype) as Uint8Array;
    expect(() => setlink.encodeRequest({ ifiIndex: 1, $unknown: [{ type: 60, data: fake }] })).toThrow(/^\$unknown\[0\]\.data: expected a Uint8Array/);
    const getlink = RtLinkCodecs.operations.getlink.do;
    expect(() => getlink.decodeReply(fake)).toThrow(TypeError);
    expect(() => getlink.decodeReply(fake)).toThrow(/expected a Uint8Array/);
    // A real one with the same prototype still counts.
    expect([...attrs(setlink.encodeRequest({ ifiIndex: 1, $unknown: [{ type: 60, data: Uint8Array.of(7) }] })).get(60)!]).toEqual([7]);
  });
});

describe('JSON spellings in request validation', () => {
  test('off: hex text for bytes and decimal text for a 64-bit value are refused, with their paths', () => {
    expect(() => setlink.encodeRequest({ ifiIndex: 1, $unknown: [{ type: 60, data: '0a0b0c' as never }] } as never)).toThrow(/^\$unknown\[0\]\.data: expected a Uint8Array/);
    expect(() => NetdevCodecs.operations.devGet.do.encodeRequest({ ifindex: '1' as never })).toThrow(/^ifindex: expected an integer/);
  });

  test('on: hex bytes (IFLA_ADDRESS, type 1) and still a path for bad hex', () => {
    expect(acceptJsonValues(true)).toBe(false);
    // (A MAC has a display hint and is text either way; `$unknown` data is plain bytes.)
    const b = setlink.encodeRequest({ ifiIndex: 1, $unknown: [{ type: 60, data: '0a0b0c' as never }] } as never);
    expect([...attrs(b).get(60)!]).toEqual([0x0a, 0x0b, 0x0c]);
    expect(() => setlink.encodeRequest({ ifiIndex: 1, $unknown: [{ type: 60, data: '0a0' as never }] } as never)).toThrow(/^\$unknown\[0\]\.data: expected bytes as hex/);
  });

  test('on: a 64-bit value as decimal text, exactly, beyond 2^53; out of range or not a number still fails', () => {
    acceptJsonValues(true);
    const pool = NetdevCodecs.attributeSets.pagePool;
    // inflight-mem (5) is a uint: 8 bytes once it exceeds 32 bits.
    const bytes = pool.encode({ inflightMem: '9223372036854775813' as never });
    expect(bytes.length).toBe(12);
    expect(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(4, true)).toBe(2n ** 63n + 5n);
    expect(() => pool.encode({ inflightMem: '18446744073709551616' as never })).toThrow(/^inflightMem: 18446744073709551616 is outside 0\.\.18446744073709551615/);
    expect(() => pool.encode({ inflightMem: '12abc' as never })).toThrow(/^inflightMem: expected a bigint/);
  });

  test('on: a typed array from a JSON array, each element checked', () => {
    acceptJsonValues(true);
    const bytes = generatedSupport.typedArrayBytes([1, 65535] as never, Uint16Array, 'ports');
    expect([...bytes]).toEqual([1, 0, 255, 255]);
    expect(() => generatedSupport.typedArrayBytes([1, 65536] as never, Uint16Array, 'ports')).toThrow(/^ports\[1\]: 65536 is outside 0\.\.65535/);
    acceptJsonValues(false);
    expect(() => generatedSupport.typedArrayBytes([1] as never, Uint16Array, 'ports')).toThrow(/^ports: expected a Uint16Array/);
  });
});
