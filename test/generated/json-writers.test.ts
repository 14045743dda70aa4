// The generated JSON writers on bytes built by hand, against JSON text written by hand: every value kind of the
// direct path (integers of each width and byte order, 64-bit beyond 2^53, enums known and unknown, flags, strings
// needing escapes, bytes, addresses, structs, nests, attributes the spec does not know), and the inputs that go
// through the decoded object instead (a repeated attribute, a short header) giving the same text as the decoder. A malformed message is
// the decoder's DecodeError, also from the writer.
import { describe, expect, test } from 'vitest';
import { DecodeError, jsonText } from '@nlgen/runtime';
import { concat } from '../support/bytes.js';
import { loadGenerated } from '../support/load-generated.js';

function attr(type: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array((4 + payload.length + 3) & ~3);
  const v = new DataView(out.buffer);
  v.setUint16(0, 4 + payload.length, true);
  v.setUint16(2, type, true);
  out.set(payload, 4);
  return out;
}
const le = (n: number, size: 1 | 2 | 4) => {
  const b = new Uint8Array(size);
  const v = new DataView(b.buffer);
  if (size === 1) v.setUint8(0, n);
  else if (size === 2) v.setUint16(0, n, true);
  else v.setUint32(0, n >>> 0, true);
  return b;
};
const u64 = (n: bigint) => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, n, true);
  return b;
};
const text = (s: string) => new TextEncoder().encode(`${s}\0`);

const spec = `
name: jw
doc: JSON writer test family.
protocol: netlink-raw
protonum: 31
definitions:
  - name: colour
    type: enum
    entries: [red, green, blue]
  - name: opts
    type: flags
    entries: [alpha, beta, gamma]
  - name: hdr
    type: struct
    members:
      - name: kind
        type: u8
        enum: colour
      - name: pad
        type: pad
        len: 1
      - name: port
        type: u16
        byte-order: big-endian
      - name: id
        type: u32
  - name: pair
    type: struct
    members:
      - name: a
        type: u16
      - name: b
        type: s16
attribute-sets:
  - name: main
    attributes:
      - name: count
        type: u32
      - name: big
        type: u64
      - name: delta
        type: s32
      - name: label
        type: string
      - name: blob
        type: binary
      - name: addr
        type: binary
        display-hint: ipv4
      - name: colour
        type: u8
        enum: colour
      - name: opts
        type: u32
        enum: opts
      - name: on
        type: flag
      - name: pair
        type: binary
        struct: pair
      - name: inner
        type: nest
        nested-attributes: inner
      - name: mark
        type: u16
        byte-order: big-endian
      - name: tag
        type: u16
        multi-attr: true
      - name: alias
        type: string
        multi-attr: true
      - name: sort
        type: string
      - name: data
        type: sub-message
        sub-message: sort-data
        selector: sort
  - name: inner
    attributes:
      - name: x
        type: u32
      - name: y
        type: string
sub-messages:
  - name: sort-data
    formats:
      - value: in
        attribute-set: inner
      - value: pr
        fixed-header: pair
operations:
  enum-model: directional
  fixed-header: hdr
  list:
    - name: get
      doc: Get.
      attribute-set: main
      dump:
        request:
          value: 20
          attributes: []
        reply:
          value: 21
          attributes: [count, big, delta, label, blob, addr, colour, opts, on, pair, inner, mark, tag, alias, sort, data]
`;

describe('generated JSON writers', async () => {
  const m = await loadGenerated(spec);
  const codec = m.JwCodecs.operations.get.dump;
  const header = concat(le(2, 1), le(0, 1), Uint8Array.of(0x1f, 0x90), le(77, 4)); // blue, port 8080 (be), id 77

  test('every direct value kind, in wire order after the header', () => {
    const bytes = concat(
      header,
      attr(4, text('say "hi"\\ é')),
      attr(1, le(4000000000, 4)),
      attr(2, u64(2n ** 60n + 1n)),
      attr(3, le(-5, 4)),
      attr(5, Uint8Array.of(0xde, 0xad, 0x01)),
      attr(6, Uint8Array.of(192, 0, 2, 9)),
      attr(7, le(9, 1)),
      attr(8, le(0b1101, 4)),
      attr(9, new Uint8Array(0)),
      attr(10, concat(le(65535, 2), le(-2 & 0xffff, 2))),
      attr(11 | 0x8000, concat(attr(2, text('in')), attr(1, le(3, 4)))),
      attr(12, Uint8Array.of(0x01, 0x02)),
    );
    const want =
      '{"kind":"blue","port":8080,"id":77,"label":"say \\"hi\\"\\\\ é","count":4000000000,"big":"1152921504606846977",' +
      '"delta":-5,"blob":"dead01","addr":"192.0.2.9","colour":9,"opts":["alpha","gamma",8],"on":true,' +
      '"pair":{"a":65535,"b":-2},"inner":{"y":"in","x":3},"mark":258}';
    expect(codec.replyToJson(bytes)).toBe(want);
    expect(jsonText(codec.decodeReply(bytes))).toBe(want);
    // 2^53 − 1 is still exact: a number.
    expect(codec.replyToJson(concat(header, attr(2, u64(2n ** 53n - 1n))))).toBe('{"kind":"blue","port":8080,"id":77,"big":9007199254740991}');
  });

  test('a header like the last one reuses its text; one differing in any byte is written anew', () => {
    // The reply writer keeps the last header's bytes and members (dumps repeat them): every byte of the 8 must count.
    const count = attr(1, le(1, 4));
    const variants: [Uint8Array, string][] = [
      [header, '"kind":"blue","port":8080,"id":77'],
      [concat(le(0, 1), header.subarray(1)), '"kind":"red","port":8080,"id":77'],
      [concat(header.subarray(0, 2), Uint8Array.of(0x1f, 0x91), header.subarray(4)), '"kind":"blue","port":8081,"id":77'],
      [concat(header.subarray(0, 2), Uint8Array.of(0x20, 0x90), header.subarray(4)), '"kind":"blue","port":8336,"id":77'],
      [concat(header.subarray(0, 4), le(77 + 2 ** 24, 4)), '"kind":"blue","port":8080,"id":16777293'],
      [concat(header.subarray(0, 5), Uint8Array.of(1), header.subarray(6)), '"kind":"blue","port":8080,"id":333'],
      // The pad byte is not printed, so its text is the first one's.
      [concat(header.subarray(0, 1), Uint8Array.of(9), header.subarray(2)), '"kind":"blue","port":8080,"id":77'],
    ];
    for (let round = 0; round < 3; round++) {
      for (const [h, members] of [...variants, ...variants.slice().reverse()]) {
        const bytes = concat(h, count);
        expect(codec.replyToJson(bytes)).toBe(`{${members},"count":1}`);
        expect(codec.replyToJson(bytes)).toBe(jsonText(codec.decodeReply(bytes)));
      }
    }
  });

  test('attributes the spec does not know go under $unknown where the first one came, as the decoder puts them', () => {
    const first = concat(header, attr(40, Uint8Array.of(0xab)), attr(1, le(1, 4)), attr(41, new Uint8Array(0)), attr(3, le(2, 4)));
    expect(codec.replyToJson(first)).toBe('{"kind":"blue","port":8080,"id":77,"$unknown":[{"type":40,"data":"ab"},{"type":41,"data":""}],"count":1,"delta":2}');
    // In a nest with no header: first member, then the others after a comma.
    const nested = concat(header, attr(11, concat(attr(9, Uint8Array.of(1, 2)), attr(1, le(5, 4)))));
    expect(codec.replyToJson(nested)).toBe('{"kind":"blue","port":8080,"id":77,"inner":{"$unknown":[{"type":9,"data":"0102"}],"x":5}}');
    const alone = concat(header, attr(11, attr(9, Uint8Array.of(7))));
    expect(codec.replyToJson(alone)).toBe('{"kind":"blue","port":8080,"id":77,"inner":{"$unknown":[{"type":9,"data":"07"}]}}');
    for (const b of [first, nested, alone]) expect(codec.replyToJson(b)).toBe(jsonText(codec.decodeReply(b)));
    // Strict decoding refuses them: the same DecodeError from both.
    expect(() => codec.decodeReply(first, { strict: true })).toThrow(DecodeError);
    expect(() => codec.replyToJson(first, { strict: true })).toThrow(DecodeError);
  });

  test('repeated attributes: one array at the first copy’s place while copies come in a row', () => {
    const inRow = concat(header, attr(1, le(1, 4)), attr(13, le(7, 2)), attr(13, le(8, 2)), attr(14, text('a')), attr(14, text('b"')), attr(3, le(2, 4)), attr(40, Uint8Array.of(1)));
    expect(codec.replyToJson(inRow)).toBe('{"kind":"blue","port":8080,"id":77,"count":1,"tag":[7,8],"alias":["a","b\\""],"delta":2,"$unknown":[{"type":40,"data":"01"}]}');
    // First in the object, and alone.
    const first = concat(header.subarray(0, 0), attr(13, le(9, 2)));
    expect(codec.replyToJson(first)).toBe(jsonText(codec.decodeReply(first)));
    // A copy after another attribute: gathered into the first array by the decoder, so its text.
    const apart = concat(header, attr(13, le(7, 2)), attr(1, le(1, 4)), attr(13, le(8, 2)));
    expect(codec.replyToJson(apart)).toBe('{"kind":"blue","port":8080,"id":77,"tag":[7,8],"count":1}');
    for (const b of [inRow, apart]) expect(codec.replyToJson(b)).toBe(jsonText(codec.decodeReply(b)));
  });

  test('a sub-message chosen by an attribute of the same set comes last, as decoded once the selector is known', () => {
    // data (16) before sort (15) on the wire: still written after everything else, in sort's format.
    const inner = concat(header, attr(16, concat(attr(1, le(4, 4)), attr(2, text('z')))), attr(15, text('in')), attr(1, le(3, 4)));
    expect(codec.replyToJson(inner)).toBe('{"kind":"blue","port":8080,"id":77,"sort":"in","count":3,"data":{"x":4,"y":"z"}}');
    const pair = concat(header, attr(15, text('pr')), attr(16, concat(le(1, 2), le(0xffff, 2))));
    const unknownKind = concat(header, attr(15, text('zz')), attr(16, Uint8Array.of(9, 8)));
    const noKind = concat(header, attr(16, Uint8Array.of(1)));
    for (const b of [inner, pair, unknownKind, noKind]) expect(codec.replyToJson(b)).toBe(jsonText(codec.decodeReply(b)));
    expect(JSON.parse(codec.replyToJson(pair)).data).toEqual({ a: 1, b: -1 });
    expect(JSON.parse(codec.replyToJson(unknownKind)).dataRaw).toBe('0908');
    expect(JSON.parse(codec.replyToJson(noKind)).dataRaw).toBe('01');
  });

  test('what the writer leaves to the decoder gives the decoder’s text', () => {
    const cases = {
      // The second count replaces the first in the object (at the first one's place).
      repeated: concat(header, attr(1, le(1, 4)), attr(3, le(2, 4)), attr(1, le(5, 4))),
      // Kept under $unknown with its bytes (written directly since unknown attributes are; still the same text).
      unknown: concat(header, attr(1, le(1, 4)), attr(40, Uint8Array.of(0xab))),
      // A short header reads zero-filled.
      shortHeader: Uint8Array.of(1, 0),
      // A struct attribute of another size.
      shortStruct: concat(header, attr(10, le(7, 2))),
    };
    expect(codec.replyToJson(cases.repeated)).toBe('{"kind":"blue","port":8080,"id":77,"count":5,"delta":2}');
    expect(codec.replyToJson(cases.unknown)).toBe('{"kind":"blue","port":8080,"id":77,"count":1,"$unknown":[{"type":40,"data":"ab"}]}');
    expect(codec.replyToJson(cases.shortHeader)).toBe('{"kind":"green","port":0,"id":0}');
    for (const b of Object.values(cases)) expect(codec.replyToJson(b)).toBe(jsonText(codec.decodeReply(b)));
  });

  test('a malformed attribute is the decoder’s DecodeError', () => {
    const bad = concat(header, Uint8Array.of(200, 0, 1, 0, 1, 2, 3, 4));
    expect(() => codec.decodeReply(bad)).toThrow(DecodeError);
    let err: unknown;
    try {
      codec.replyToJson(bad);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DecodeError);
    expect(String(err)).toBe(String((() => { try { codec.decodeReply(bad); } catch (e) { return e; } })()));
  });
});
