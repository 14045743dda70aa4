// Attribute writer/reader, message framing and status parsing: property tests (fast-check) and hand-derived bytes.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  AttrCursor,
  AttrLimitError,
  attrPathAt,
  attrs,
  AttrWriter,
  DecodeError,
  decodeExtAck,
  encodeMessage,
  errnoName,
  Message,
  NLA_F_NESTED,
  NLA_F_NET_BYTEORDER,
  NLM_F_ACK_TLVS,
  NLM_F_CAPPED,
  NLMSG_DONE,
  NLMSG_ERROR,
  parseDoneMessage,
  parseErrorMessage,
  parseFamily,
  parseMessages,
  readBitfield32,
  readSint,
  readString,
  readUint,
} from '@nlgen/runtime';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const dv = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

/** A message object over `bytes` as payload (header fields given), for the status parsers. */
function msgOver(bytes: Uint8Array, type: number, flags: number): Message {
  return new Message(type, flags, 0, 0, 0, bytes, dv(bytes), 0, bytes.length);
}

/** Walks every attribute, descending into each payload as if it were a nest; returns the count. */
function walkDeep(view: DataView, start: number, end: number, depth = 0): number {
  let n = 0;
  const c = new AttrCursor().reset(view, start, end);
  while (c.next()) {
    n++;
    if (depth < 4) {
      try {
        n += walkDeep(view, c.start, c.end, depth + 1);
      } catch (e) {
        if (!(e instanceof DecodeError)) throw e;
      }
    }
  }
  return n;
}

/** Runs every parser over `bytes`; anything thrown must be a DecodeError. */
function everyParser(bytes: Uint8Array): void {
  const view = dv(bytes);
  const tries: (() => unknown)[] = [
    () => parseMessages(bytes),
    () => walkDeep(view, 0, bytes.length),
    () => [...attrs(bytes, view, 0, bytes.length)],
    () => parseErrorMessage(msgOver(bytes, NLMSG_ERROR, NLM_F_ACK_TLVS)),
    () => parseErrorMessage(msgOver(bytes, NLMSG_ERROR, NLM_F_ACK_TLVS | NLM_F_CAPPED)),
    () => parseDoneMessage(msgOver(bytes, NLMSG_DONE, NLM_F_ACK_TLVS)),
    () => decodeExtAck(bytes, view, 0, bytes.length),
    () => parseFamily(msgOver(bytes, 16, 0)),
    () => readString(bytes, 0, bytes.length),
    () => readUint(view, 0, bytes.length),
    () => readSint(view, 0, bytes.length),
    () => readBitfield32(view, 0, bytes.length),
    () => {
      for (const m of parseMessages(bytes)) walkDeep(m.view, m.start, m.end);
    },
  ];
  for (const t of tries) {
    try {
      t();
    } catch (e) {
      if (!(e instanceof DecodeError)) throw new Error(`non-DecodeError ${String(e)} for ${hex(bytes)}`);
    }
  }
}

/** A structurally valid datagram: a few messages with nested attributes. */
function sampleDatagram(): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let i = 0; i < 3; i++) {
    const w = new AttrWriter().rawU8(3).rawU8(1).rawU16(0);
    w.u16(1, 0x10 + i).string(2, `fam${i}`).u32(3, 2);
    const ops = w.beginNest(6);
    for (let j = 1; j <= 3; j++) {
      const e = w.beginNest(j);
      w.u32(1, j).u32(2, 0xe);
      w.endNest(e);
    }
    w.endNest(ops);
    const g = w.beginNest(7);
    const e = w.beginNest(1);
    w.string(1, 'notify').u32(2, 0x10);
    w.endNest(e);
    w.endNest(g);
    parts.push(encodeMessage(16, 2, 7, 0, w.finish()));
  }
  return Buffer.concat(parts);
}

describe('parsers never throw anything but DecodeError', () => {
  test('random buffers', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (b) => everyParser(b)),
      { numRuns: 3000 },
    );
  });

  test('mutated valid datagrams (byte flips, truncation, length fields)', () => {
    const base = sampleDatagram();
    expect(parseMessages(base).map((m) => parseFamily(m).name)).toEqual(['fam0', 'fam1', 'fam2']);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        fc.nat(base.length),
        (flips, cut) => {
          const b = base.slice(0, Math.max(cut, 1));
          for (const [at, v] of flips) if (at < b.length) b[at] = v;
          everyParser(b);
        },
      ),
      { numRuns: 5000 },
    );
  });

  test('specific malformations are reported with their offset', () => {
    expect(() => parseMessages(Uint8Array.of(1, 2, 3))).toThrow(DecodeError);
    const long = encodeMessage(16, 0, 1, 0, new Uint8Array(4));
    dv(long).setUint32(0, 400, true);
    expect(() => parseMessages(long)).toThrow(/runs past the end/);
    const attr = Uint8Array.of(8, 0, 1, 0, 0, 0); // says 8 bytes, has 6
    expect(() => walkDeep(dv(attr), 0, attr.length)).toThrow(expect.objectContaining({ offset: 0 }));
    const nest = Uint8Array.of(6, 0, 1, 0x80, 1, 2, 0, 0); // a 2-byte nest: shorter than an attribute header
    const c = new AttrCursor().reset(dv(nest), 0, nest.length);
    expect(c.next()).toBe(true);
    expect(() => new AttrCursor().reset(dv(nest), c.start, c.end).next()).toThrow(/too short for an attribute header/);
    expect(() => new AttrCursor().reset(dv(nest), 4, 99)).toThrow(DecodeError);
    expect(() => readUint(dv(nest), 0, 3)).toThrow(DecodeError);
  });
});

/** One attribute of every type, for the round trip. */
type Attr =
  | { k: 'u8' | 'u16' | 'u32' | 's8' | 's16' | 's32'; v: number; be: boolean }
  | { k: 'u64' | 's64' | 'uint' | 'sint'; v: bigint; be: boolean }
  | { k: 'flag' }
  | { k: 'string'; v: string }
  | { k: 'binary'; v: Uint8Array }
  | { k: 'bitfield32'; v: number; sel: number }
  | { k: 'nest'; v: Attr[] }
  | { k: 'indexed'; v: number[] }
  | { k: 'multi'; v: number[] };

const scalar = <K extends string>(k: K, min: number, max: number) =>
  fc.record({ k: fc.constant(k), v: fc.integer({ min, max }), be: fc.boolean() });
const big = <K extends string>(k: K, min: bigint, max: bigint) =>
  fc.record({ k: fc.constant(k), v: fc.bigInt({ min, max }), be: fc.boolean() });

const attrArb: fc.Arbitrary<Attr> = fc.letrec<{ attr: Attr }>((tie) => ({
  attr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar('u8', 0, 255),
    scalar('u16', 0, 0xffff),
    scalar('u32', 0, 0xffffffff),
    scalar('s8', -128, 127),
    scalar('s16', -0x8000, 0x7fff),
    scalar('s32', -0x80000000, 0x7fffffff),
    big('u64', 0n, 2n ** 64n - 1n),
    big('s64', -(2n ** 63n), 2n ** 63n - 1n),
    big('uint', 0n, 2n ** 64n - 1n),
    big('sint', -(2n ** 63n), 2n ** 63n - 1n),
    fc.record({ k: fc.constant('flag' as const) }),
    fc.record({ k: fc.constant('string' as const), v: fc.string({ unit: 'grapheme', maxLength: 40 }).filter((s) => !s.includes('\0')) }),
    fc.record({ k: fc.constant('binary' as const), v: fc.uint8Array({ maxLength: 40 }) }),
    fc.record({ k: fc.constant('bitfield32' as const), v: fc.nat(0xffffffff), sel: fc.nat(0xffffffff) }),
    fc.record({ k: fc.constant('nest' as const), v: fc.array(tie('attr'), { maxLength: 4 }) }),
    fc.record({ k: fc.constant('indexed' as const), v: fc.array(fc.nat(0xffffffff), { maxLength: 5 }) }),
    fc.record({ k: fc.constant('multi' as const), v: fc.array(fc.nat(0xffff), { minLength: 1, maxLength: 5 }) }),
  ) as fc.Arbitrary<Attr>,
})).attr;

function write(w: AttrWriter, list: Attr[]): void {
  list.forEach((a, i) => {
    const t = i + 1;
    switch (a.k) {
      case 'u8':
      case 's8':
        w[a.k](t, a.v);
        break;
      case 'u16':
      case 'u32':
      case 's16':
      case 's32':
        w[a.k](t, a.v, a.be);
        break;
      case 'u64':
      case 's64':
        w[a.k](t, a.v, a.be);
        break;
      case 'uint':
      case 'sint':
        w[a.k](t, a.v);
        break;
      case 'flag':
        w.flag(t);
        break;
      case 'string':
        w.string(t, a.v);
        break;
      case 'binary':
        w.binary(t, a.v);
        break;
      case 'bitfield32':
        w.bitfield32(t, a.v, a.sel);
        break;
      case 'nest': {
        const m = w.beginNest(t);
        write(w, a.v);
        w.endNest(m);
        break;
      }
      case 'indexed': {
        const m = w.beginNest(t);
        a.v.forEach((x, j) => {
          const e = w.beginNest(j);
          w.u32(1, x);
          w.endNest(e);
        });
        w.endNest(m);
        break;
      }
      case 'multi':
        for (const x of a.v) w.u16(t, x);
        break;
    }
  });
}

/** Reads attributes back using only the reader API and the expected shape (as generated code would). */
function read(data: Uint8Array, view: DataView, start: number, end: number, list: Attr[]): Attr[] {
  const out: Attr[] = [];
  const entries = [...attrs(data, view, start, end)];
  let k = 0;
  list.forEach((a, i) => {
    const t = i + 1;
    if (a.k === 'multi') {
      const v: number[] = [];
      while (k < entries.length && entries[k].type === t) v.push(view.getUint16(entries[k++].start, true));
      out.push({ k: 'multi', v });
      return;
    }
    const e = entries[k++];
    expect(e.type).toBe(t);
    const le = !e.netByteOrder;
    switch (a.k) {
      case 'u8':
        out.push({ k: 'u8', v: view.getUint8(e.start), be: a.be });
        break;
      case 's8':
        out.push({ k: 's8', v: view.getInt8(e.start), be: a.be });
        break;
      case 'u16':
        out.push({ k: 'u16', v: view.getUint16(e.start, le), be: e.netByteOrder });
        break;
      case 's16':
        out.push({ k: 's16', v: view.getInt16(e.start, le), be: e.netByteOrder });
        break;
      case 'u32':
        out.push({ k: 'u32', v: view.getUint32(e.start, le), be: e.netByteOrder });
        break;
      case 's32':
        out.push({ k: 's32', v: view.getInt32(e.start, le), be: e.netByteOrder });
        break;
      case 'u64':
        out.push({ k: 'u64', v: view.getBigUint64(e.start, le), be: e.netByteOrder });
        break;
      case 's64':
        out.push({ k: 's64', v: view.getBigInt64(e.start, le), be: e.netByteOrder });
        break;
      case 'uint':
        out.push({ k: 'uint', v: readUint(view, e.start, e.end - e.start), be: a.be });
        break;
      case 'sint':
        out.push({ k: 'sint', v: readSint(view, e.start, e.end - e.start), be: a.be });
        break;
      case 'flag':
        expect(e.end - e.start).toBe(0);
        out.push({ k: 'flag' });
        break;
      case 'string':
        out.push({ k: 'string', v: readString(data, e.start, e.end) });
        break;
      case 'binary':
        out.push({ k: 'binary', v: data.slice(e.start, e.end) });
        break;
      case 'bitfield32': {
        const b = readBitfield32(view, e.start, e.end);
        out.push({ k: 'bitfield32', v: b.value, sel: b.selector });
        break;
      }
      case 'nest':
        expect(e.nested).toBe(true);
        out.push({ k: 'nest', v: read(data, view, e.start, e.end, a.v) });
        break;
      case 'indexed': {
        const v: number[] = [];
        for (const el of attrs(data, view, e.start, e.end)) {
          expect(el.type).toBe(v.length);
          const [x] = [...attrs(data, view, el.start, el.end)];
          v.push(view.getUint32(x.start, true));
        }
        out.push({ k: 'indexed', v });
        break;
      }
    }
  });
  expect(k).toBe(entries.length);
  return out;
}

describe('writer → reader round trip', () => {
  test('every attribute type, nested and repeated', () => {
    fc.assert(
      fc.property(fc.array(attrArb, { maxLength: 8 }), fc.nat(3), (list, lead) => {
        const w = new AttrWriter(16);
        w.rawZeros(lead).align(); // attributes after a fixed header start aligned
        const start = w.length;
        write(w, list);
        const bytes = w.finish();
        expect(bytes.length % 4).toBe(0);
        expect(read(bytes, dv(bytes), start, bytes.length, list)).toEqual(list);
      }),
      { numRuns: 1500 },
    );
  });
});

describe('writers sharing the allocation slab', () => {
  test('interleaved writers, finished in any order, never touch each other\'s bytes', () => {
    // Each writer starts small (regions of one shared slab); the model is each writer's own list of bytes.
    fc.assert(
      fc.property(
        fc.array(fc.record({ writer: fc.nat(3), value: fc.integer({ min: 0, max: 0xffffffff }), finish: fc.boolean() }), { maxLength: 60 }),
        (steps) => {
          const writers = [0, 1, 2, 3].map(() => new AttrWriter(16));
          const model: number[][] = [[], [], [], []];
          const done: { bytes: Uint8Array; want: number[] }[] = [];
          for (const { writer, value, finish } of steps) {
            writers[writer]!.u32(writer + 1, value);
            model[writer]!.push(8, 0, writer + 1, 0, value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, value >>> 24);
            if (finish) {
              done.push({ bytes: writers[writer]!.finish(), want: model[writer]! });
              writers[writer] = new AttrWriter(16);
              model[writer] = [];
            }
          }
          for (let i = 0; i < 4; i++) done.push({ bytes: writers[i]!.finish(), want: model[i]! });
          // Checked only at the end: a later writer scribbling over an earlier payload would show here.
          for (const { bytes, want } of done) expect([...bytes]).toEqual(want);
        },
      ),
      { numRuns: 500 },
    );
  });

  test('writers of odd starting sizes still align what they write (regions start 8-aligned)', () => {
    const open: AttrWriter[] = []; // writers left unfinished keep their whole region
    for (const size of [17, 18, 19, 21, 23, 16]) {
      open.push(new AttrWriter(size).rawU8(1));
      const w = new AttrWriter(size).rawU8(9).align().u32(1, 5).rawU8(7).align();
      expect([...w.finish()], `AttrWriter(${size})`).toEqual([9, 0, 0, 0, 8, 0, 1, 0, 5, 0, 0, 0, 7, 0, 0, 0]);
    }
    for (const o of open) expect([...o.finish()]).toEqual([1]);
  });

  test('a finished payload stays as written when the writer goes on', () => {
    const w = new AttrWriter(16);
    w.u32(1, 0x01020304);
    const first = w.finish();
    const next = new AttrWriter(16).u32(2, 0xaabbccdd).finish();
    w.u32(3, 5);
    expect([...first]).toEqual([8, 0, 1, 0, 4, 3, 2, 1]);
    expect([...next]).toEqual([8, 0, 2, 0, 0xdd, 0xcc, 0xbb, 0xaa]);
    expect([...w.finish()]).toEqual([8, 0, 1, 0, 4, 3, 2, 1, 8, 0, 3, 0, 5, 0, 0, 0]);
  });
});

describe('byte-exact encodings derived by hand from the nlattr layout', () => {
  test('scalars, strings, flags, big-endian, variable width, bitfield32', () => {
    expect(hex(new AttrWriter().u8(1, 0xab).finish())).toBe('05000100ab000000');
    expect(hex(new AttrWriter().u16(2, 0x1234, true).finish())).toBe('0600024012340000');
    expect(hex(new AttrWriter().string(3, 'lo').finish())).toBe('070003006c6f0000');
    expect(hex(new AttrWriter().flag(4).finish())).toBe('04000400');
    expect(hex(new AttrWriter().u64(6, 1n).finish())).toBe('0c0006000100000000000000');
    expect(hex(new AttrWriter().s32(7, -2).finish())).toBe('08000700feffffff');
    expect(hex(new AttrWriter().uint(8, 5).finish())).toBe('0800080005000000');
    expect(hex(new AttrWriter().uint(8, 2n ** 32n).finish())).toBe('0c0008000000000001000000');
    expect(hex(new AttrWriter().sint(9, -1).finish())).toBe('08000900ffffffff');
    expect(hex(new AttrWriter().bitfield32(10, 1, 3).finish())).toBe('0c000a000100000003000000');
    expect(hex(new AttrWriter().binary(11, Uint8Array.of(1, 2, 3, 4, 5)).finish())).toBe('09000b00010203040500' + '0000');
  });

  test('nests set NLA_F_NESTED and the reader masks it', () => {
    const w = new AttrWriter();
    const m = w.beginNest(5);
    w.u32(1, 7);
    w.endNest(m);
    const b = w.finish();
    expect(hex(b)).toBe('0c000580' + '0800010007000000');
    const [e] = [...attrs(b, dv(b), 0, b.length)];
    expect(e).toMatchObject({ type: 5, nested: true, netByteOrder: false, start: 4, end: 12 });
    expect(NLA_F_NESTED | NLA_F_NET_BYTEORDER).toBe(0xc000);
  });

  test('a message header and a genl CTRL_CMD_GETFAMILY request', () => {
    const payload = new AttrWriter().rawU8(3).rawU8(1).rawU16(0).string(2, 'nlctrl').finish();
    // len 32 = 16 header + 4 genlmsghdr + 12 attribute (4 + "nlctrl\0" 7 → 11, padded 12)
    expect(hex(encodeMessage(0x10, 0x5, 0x2a, 0, payload))).toBe(
      '20000000' + '1000' + '0500' + '2a000000' + '00000000' + '03010000' + '0b000200' + '6e6c6374726c0000',
    );
  });

  test('a nest over 64 KiB is a clear error', () => {
    const w = new AttrWriter();
    const m = w.beginNest(1);
    for (let i = 0; i < 700; i++) w.binary(2, new Uint8Array(100));
    expect(() => w.endNest(m)).toThrow(AttrLimitError);
    expect(() => w.endNest(m)).toThrow(/at most 65535/);
    expect(() => new AttrWriter().binary(1, new Uint8Array(70000))).toThrow(AttrLimitError);
  });

  test('finish() output is never overwritten by later writes', () => {
    const w = new AttrWriter(16);
    const a = w.u32(1, 1).finish();
    w.reset().u32(1, 2);
    expect(hex(a)).toBe('0800010001000000');
  });

  test('strings: NUL, unterminated, UTF-8', () => {
    const b = Uint8Array.of(0x61, 0x62, 0, 0x63, 0xc3, 0xa9);
    expect(readString(b, 0, 6)).toBe('ab');
    expect(readString(b, 3, 6)).toBe('cé');
    expect(readString(b, 3, 4)).toBe('c');
  });

  test('strings of every length 0–80 with NULs and non-ASCII bytes read as TextDecoder reads them up to the first NUL', () => {
    const reference = new TextDecoder('utf-8');
    const byte = fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.constant(0), fc.integer({ min: 0x80, max: 0xff }));
    fc.assert(
      fc.property(fc.array(byte, { maxLength: 80 }), fc.integer({ min: 0, max: 3 }), (bytes, pad) => {
        const b = new Uint8Array(pad + bytes.length + 2).fill(0x41);
        b.set(bytes, pad);
        const nul = bytes.indexOf(0);
        const want = reference.decode(Uint8Array.from(nul < 0 ? bytes : bytes.slice(0, nul)));
        expect(readString(b, pad, pad + bytes.length)).toBe(want);
      }),
      { numRuns: 3000 },
    );
    // Every ASCII length up to 70 (the short-string paths switch on length).
    for (let n = 0; n <= 70; n++) {
      const text = Array.from({ length: n }, (_, i) => String.fromCharCode(0x21 + ((i * 7) % 94))).join('');
      const b = Uint8Array.from([...text].map((ch) => ch.charCodeAt(0)));
      expect(readString(b, 0, n), `length ${n}`).toBe(text);
      expect(readString(Uint8Array.from([...b, 0, 0x41]), 0, n + 2), `length ${n}, NUL-terminated`).toBe(text);
    }
  });
});

describe('status messages', () => {
  test('NLMSG_ERROR with every extended ACK field (built by hand)', () => {
    const w = new AttrWriter();
    w.rawS32(-34); // error
    w.rawU32(36).rawU16(24).rawU16(0x405).rawU32(9).rawU32(1234); // echoed nlmsghdr (capped)
    w.string(1, 'Attribute failed policy validation');
    w.u32(2, 32);
    w.binary(3, Uint8Array.of(0xde, 0xad));
    const p = w.beginNest(4);
    w.u32(1, 4); // NL_ATTR_TYPE_U32
    w.u32(6, 4).u32(7, 4);
    w.u64(4, 1n).u64(5, 10n);
    w.endNest(p);
    w.u32(5, 3).u32(6, 20);
    const b = w.finish();
    const st = parseErrorMessage(msgOver(b, NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS));
    expect(st.error).toBe(-34);
    expect(st.requestSeq).toBe(9);
    expect(st.requestType).toBe(24);
    expect(st.extack).toEqual({
      message: 'Attribute failed policy validation',
      badAttrOffset: 32,
      cookie: Uint8Array.of(0xde, 0xad),
      policy: { typeId: 4, type: 'u32', minLength: 4, maxLength: 4, minValueUnsigned: 1n, maxValueUnsigned: 10n },
      missingType: 3,
      missingNest: 20,
    });
  });

  test('uncapped errors skip the echoed request; NLMSG_DONE carries errno + TLVs', () => {
    const w = new AttrWriter().rawS32(-22).rawU32(20).rawU16(26).rawU16(0x301).rawU32(5).rawU32(0).rawU32(0xaabbccdd);
    w.string(1, 'x');
    const st = parseErrorMessage(msgOver(w.finish(), NLMSG_ERROR, NLM_F_ACK_TLVS));
    expect(st).toMatchObject({ error: -22, extack: { message: 'x' } });
    const d = new AttrWriter().rawS32(-22).string(1, 'Invalid header').finish();
    expect(parseDoneMessage(msgOver(d, NLMSG_DONE, NLM_F_ACK_TLVS))).toEqual({ error: -22, extack: { message: 'Invalid header' } });
    expect(parseDoneMessage(msgOver(new AttrWriter().rawS32(0).finish(), NLMSG_DONE, 0))).toEqual({ error: 0, extack: {} });
  });

  test('errno names cover Linux and kernel-internal codes', () => {
    expect(errnoName(17)).toBe('EEXIST');
    expect(errnoName(95)).toBe('EOPNOTSUPP');
    expect(errnoName(133)).toBe('EHWPOISON');
    expect(errnoName(524)).toBe('ENOTSUPP');
    expect(errnoName(9999)).toBe('E9999');
  });

  test('attrPathAt names indexed-array elements and stops at unknown attributes', () => {
    const w = new AttrWriter();
    w.u32(1, 1);
    const arr = w.beginNest(2);
    const e0 = w.beginNest(0);
    w.u32(1, 5);
    w.endNest(e0);
    const e1 = w.beginNest(1);
    const bad = w.length;
    w.u16(1, 5);
    w.endNest(e1);
    w.endNest(arr);
    const b = w.finish();
    const path = attrPathAt<string>(b, 0, bad, (ctx, type) => {
      if (ctx === 'top') return type === 2 ? { name: 'items', child: 'arr' } : { name: 'a' };
      if (ctx === 'arr') return { name: `[${type}]`, child: 'item' };
      return type === 1 ? { name: 'mtu' } : undefined;
    }, 'top');
    expect(path).toBe('items[1].mtu');
    expect(attrPathAt(b, 0, bad, () => undefined)).toBeUndefined();
    expect(attrPathAt(b, 0, 9999, () => ({ name: 'x' }))).toBeUndefined();
  });
});
