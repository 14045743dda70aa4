// Kernel bytes are untrusted: a generated decoder returns a value or throws a DecodeError, nothing else, and never
// reads bytes outside the payload it was given. Bytes below are built by hand.
import { describe, expect, test } from 'vitest';
import { DecodeError, generatedSupport as rt } from '@nlgen/runtime';
import { RtLinkCodecs } from '../../generated/rt-link.js';
import { concat } from '../support/bytes.js';
import { loadGenerated } from '../support/load-generated.js';

/** One attribute: 4-byte header (little-endian length and type) + payload + padding to 4. */
function attr(type: number, payload: Uint8Array): Uint8Array {
  const len = 4 + payload.length;
  const out = new Uint8Array((len + 3) & ~3);
  new DataView(out.buffer).setUint16(0, len, true);
  new DataView(out.buffer).setUint16(2, type, true);
  out.set(payload, 4);
  return out;
}
const cat = concat;
const u32le = (n: number) => new Uint8Array(new Uint32Array([n]).buffer);

const spec = `
name: totality
doc: Decoder totality test family.
protocol: genetlink-legacy
definitions:
  - name: inner
    type: struct
    members:
      - name: a
        type: u32
      - name: b
        type: u32
  - name: outer
    type: struct
    members:
      - name: x
        type: u16
      - name: pad
        type: pad
        len: 2
      - name: inr
        type: binary
        struct: inner
attribute-sets:
  - name: main
    attributes:
      - name: where
        type: binary
        struct: outer
      - name: after
        type: u32
      - name: node
        type: nest
        nested-attributes: node
  - name: node
    attributes:
      - name: child
        type: nest
        nested-attributes: node
      - name: leaf
        type: u32
operations:
  list:
    - name: fetch
      doc: Fetch.
      attribute-set: main
      do:
        request:
          attributes: [after]
        reply:
          attributes: [where, after, node]
`;

describe('generated decoders are total', async () => {
  const m = await loadGenerated(spec);
  const codecs = m.TotalityCodecs;

  test('a short struct payload reads as zeros — a nested struct member too — never the next attribute', () => {
    // `where` carries only x (2 bytes) and the padding; the next attribute's payload is 0xdeadbeef.
    const bytes = cat(attr(1, Uint8Array.of(0x34, 0x12, 0, 0)), attr(2, u32le(0xdeadbeef)));
    const out = codecs.attributeSets.main.decode(bytes);
    expect(out.where).toEqual({ x: 0x1234, inr: { a: 0, b: 0 } });
    expect(out.after).toBe(0xdeadbeef);
  });

  test('a full struct payload reads every member at its offset', () => {
    const bytes = attr(1, cat(Uint8Array.of(0x34, 0x12, 0, 0), u32le(7), u32le(9)));
    expect(codecs.attributeSets.main.decode(bytes).where).toEqual({ x: 0x1234, inr: { a: 7, b: 9 } });
  });

  test('struct codecs take any length, 0 to past the size, without throwing', () => {
    for (let n = 0; n <= 16; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => i + 1);
      const v = codecs.structs.outer.decode(bytes);
      expect(v.x).toBe(n >= 2 ? 0x0201 : n === 1 ? 1 : 0);
      expect(v.inr.a).toBe(n >= 8 ? 0x08070605 : n > 4 ? new DataView(Uint8Array.from([...bytes.subarray(4), 0, 0, 0, 0]).buffer).getUint32(0, true) : 0);
    }
  });

  test('attributes nested 16,000 deep are a DecodeError, not a stack overflow', () => {
    // Each level is a bare `child` header around the next; the outermost length is the most a u16 holds.
    let inner: Uint8Array = attr(2, u32le(1));
    const depth = 16_000;
    const lens: number[] = [];
    for (let i = 0; i < depth; i++) lens.push(inner.length + 4 * (i + 1));
    const total = inner.length + 4 * depth;
    expect(total).toBeLessThanOrEqual(0xffff);
    const out = new Uint8Array(4 + total);
    const v = new DataView(out.buffer);
    // The top-level `node` attribute, then `depth` nested `child` headers, then the leaf.
    v.setUint16(0, 4 + total, true);
    v.setUint16(2, 3, true);
    for (let i = 0; i < depth; i++) {
      v.setUint16(4 + 4 * i, total - 4 * i, true);
      v.setUint16(4 + 4 * i + 2, 1, true);
    }
    out.set(inner, 4 + 4 * depth);
    let err: unknown;
    try {
      codecs.attributeSets.main.decode(out);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DecodeError);
    expect((err as DecodeError).reason).toBe('attributes nested too deeply to decode (the call stack ran out)');
    // The same through an op's reply decoder (what a client runs on a reply), with the genlmsghdr in front.
    const reply = cat(Uint8Array.of(1, 1, 0, 0), out);
    expect(() => codecs.operations.fetch.do.decodeReply(reply)).toThrow(DecodeError);
  });

  test('our rt-link decoder: linkinfo → veth peer → linkinfo … nested until the stack runs out is a DecodeError', () => {
    // One level: IFLA_LINKINFO { IFLA_INFO_KIND "veth", IFLA_INFO_DATA { VETH_INFO_PEER { ifinfomsg, <next level> } } }.
    const level = (next: Uint8Array) =>
      attr(18 | 0x8000, cat(attr(1, new TextEncoder().encode('veth\0')), attr(2 | 0x8000, attr(1, cat(new Uint8Array(16), next)))));
    let bytes: Uint8Array = attr(4, u32le(1500));
    let depth = 0;
    for (; bytes.length + 40 <= 0xffff; depth++) bytes = level(bytes);
    let err: unknown;
    try {
      RtLinkCodecs.attributeSets.linkAttrs.decode(bytes);
    } catch (e) {
      err = e;
    }
    // 1,600 levels may or may not exhaust the stack; either way nothing but a DecodeError may come out.
    if (err !== undefined) expect(err).toBeInstanceOf(DecodeError);
    expect(depth).toBeGreaterThan(1500);
  });

  test('a 16-byte address under an IPv4 hint reads as IPv6 text (the kernel sends such routes); other lengths fail', () => {
    const b = Uint8Array.of(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
    expect(rt.ipv4String(b, 0, 16)).toBe('2001:db8::1');
    expect(() => rt.ipv4String(b, 0, 8)).toThrow(DecodeError);
  });

  test('asDecodeError keeps DecodeErrors and turns anything else into one at the message start', () => {
    const d = new DecodeError('x', 3);
    expect(rt.asDecodeError(d, 9)).toBe(d);
    const wrapped = rt.asDecodeError(new TypeError('boom'), 12);
    expect(wrapped).toBeInstanceOf(DecodeError);
    expect(wrapped.offset).toBe(12);
    expect(wrapped.reason).toBe('malformed data (boom)');
    expect((wrapped as Error & { cause?: unknown }).cause).toBeInstanceOf(TypeError);
  });
});
