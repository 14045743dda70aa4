// Values a plain-JS caller (or a tool reading JSON) passes are untrusted: every value the wire cannot carry as given
// is a ValidationError naming the property path, before anything is encoded — never dropped, masked, cut or padded.
import { describe, expect, test } from 'vitest';
import { ValidationError } from '@nlgen/runtime';
import { RtLinkCodecs } from '../../generated/rt-link.js';
import { loadGenerated } from '../support/load-generated.js';

/** The path and reason of the ValidationError `f` throws (fails the test on anything else). */
function invalid(f: () => unknown): { path: string; reason: string } {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return { path: (e as ValidationError).path, reason: (e as ValidationError).reason };
  }
  throw new Error('expected a ValidationError, but the value was encoded');
}

const spec = `
name: enc-check
doc: Encoder validation test family.
protocol: genetlink-legacy
definitions:
  - name: opts
    type: flags
    entries: [fast, slow]
  - name: pair
    type: struct
    members:
      - name: key
        type: binary
        len: 4
      - name: label
        type: string
        len: 8
attribute-sets:
  - name: main
    attributes:
      - name: on
        type: flag
      - name: mode
        type: u32
        enum: opts
        enum-as-flags: true
      - name: words
        type: binary
        sub-type: u32
      - name: where
        type: binary
        struct: pair
      - name: node
        type: nest
        nested-attributes: node
      - name: hw
        type: binary
        display-hint: mac
  - name: node
    attributes:
      - name: child
        type: nest
        nested-attributes: node
      - name: leaf
        type: u32
operations:
  list:
    - name: put
      doc: Put.
      attribute-set: main
      do:
        request:
          attributes: [on, mode, words, where, node, hw]
    - name: peek
      doc: Peek.
      attribute-set: main
      do:
        request:
          attributes: [on]
`;

describe('request values the wire cannot carry are ValidationErrors with a path', async () => {
  const m = await loadGenerated(spec);
  const put = m.EncCheckCodecs.operations.put.do;
  const peek = m.EncCheckCodecs.operations.peek.do;
  const main = m.EncCheckCodecs.attributeSets.main;

  test('an attribute the op does not take, and a typo, are errors (they were sent or dropped)', () => {
    expect(invalid(() => peek.encodeRequest({ on: true, mode: ['fast'] }))).toMatchObject({ path: 'mode', reason: expect.stringContaining('unknown property') });
    expect(invalid(() => put.encodeRequest({ onn: true }))).toMatchObject({ path: 'onn' });
    expect(invalid(() => put.encodeRequest({ node: { leaf: 1, leef: 2 } }))).toMatchObject({ path: 'node.leef' });
    expect(invalid(() => put.encodeRequest({ where: { key: new Uint8Array(4), lable: 'x' } }))).toMatchObject({ path: 'where.lable' });
    // Our rt-link: getlink takes ifname, not mtu; newlink has no `mtuu`.
    expect(invalid(() => RtLinkCodecs.operations.getlink.do.encodeRequest({ ifiIndex: 1, mtu: 1500 } as never))).toMatchObject({ path: 'mtu' });
    expect(invalid(() => RtLinkCodecs.operations.newlink.do.encodeRequest({ ifname: 'x', mtuu: 1 } as never))).toMatchObject({ path: 'mtuu' });
    // What the op takes still encodes.
    expect(peek.encodeRequest({ on: true }).length).toBe(8);
  });

  test('a flag takes true or false only ("false" was sent as set)', () => {
    expect(invalid(() => put.encodeRequest({ on: 'false' }))).toMatchObject({ path: 'on', reason: 'expected true or false, got the string "false"' });
    expect(invalid(() => put.encodeRequest({ on: 1 }))).toMatchObject({ path: 'on' });
    expect(put.encodeRequest({ on: false }).length).toBe(4); // genlmsghdr only
  });

  test('raw numbers in a flag array must be whole 32-bit masks (they were masked)', () => {
    for (const bad of [2 ** 32, -1, 1.5, Number.NaN]) {
      expect(invalid(() => put.encodeRequest({ mode: [bad] }))).toMatchObject({ path: 'mode', reason: `flag bits ${bad} are not a 32-bit mask` });
    }
    expect(put.encodeRequest({ mode: ['slow', 4] }).length).toBe(12);
  });

  test('$unknown entries: type within 16 bits, an object, bytes', () => {
    expect(invalid(() => main.encode({ $unknown: [{ type: 0x10000, data: new Uint8Array(0) }] }))).toMatchObject({ path: '$unknown[0].type' });
    expect(invalid(() => main.encode({ $unknown: [null] }))).toMatchObject({ path: '$unknown[0]' });
    expect(invalid(() => main.encode({ $unknown: [{ type: 9, data: 'x' }] }))).toMatchObject({ path: '$unknown[0].data' });
  });

  test('MAC text: 1 to 32 bytes of hex pairs', () => {
    expect(invalid(() => put.encodeRequest({ hw: Array(33).fill('aa').join(':') }))).toMatchObject({ path: 'hw' });
    expect(invalid(() => put.encodeRequest({ hw: 'zz:00:00:00:00:00' }))).toMatchObject({ path: 'hw' });
    expect(put.encodeRequest({ hw: '02:00:00:00:00:01' }).length).toBe(4 + 12);
  });

  test('fixed-size struct fields are never cut or padded silently', () => {
    expect(invalid(() => put.encodeRequest({ where: { key: new Uint8Array(5) } }))).toMatchObject({ path: 'where.key', reason: '5 bytes for a 4-byte field' });
    expect(invalid(() => put.encodeRequest({ where: { key: new Uint8Array(3) } }))).toMatchObject({ path: 'where.key' });
    expect(invalid(() => put.encodeRequest({ where: { label: 'nine-char' } }))).toMatchObject({ path: 'where.label', reason: '9 bytes of UTF-8 for a 8-byte field' });
    expect(put.encodeRequest({ where: { key: new Uint8Array(4), label: 'eight-ch' } }).length).toBe(4 + 16);
  });

  test('typed arrays must have the element size of the wire type', () => {
    expect(invalid(() => put.encodeRequest({ words: Uint8Array.of(1, 2, 3, 4) }))).toMatchObject({ path: 'words', reason: 'expected a Uint32Array, got a Uint8Array' });
    expect(put.encodeRequest({ words: Uint32Array.of(1, 2) }).length).toBe(4 + 12);
  });

  test('cyclic and 20,000-deep values, and oversized strings, are ValidationErrors too', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.child = cyclic;
    expect(invalid(() => put.encodeRequest({ node: cyclic }))).toMatchObject({ reason: 'the request is nested too deeply (or refers to itself)' });
    // 3,000 levels fit this small set (4 bytes a level); 20,000 pass the 64 KiB a nest holds (or the stack).
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 3000; i++) deep = { child: deep };
    expect(put.encodeRequest({ node: deep }).length).toBe(4 + 4 * 3001 + 8);
    for (let i = 3000; i < 20_000; i++) deep = { child: deep };
    invalid(() => put.encodeRequest({ node: deep }));
    expect(invalid(() => RtLinkCodecs.operations.newlink.do.encodeRequest({ ifname: 'x'.repeat(70_000) }))).toMatchObject({ path: 'ifname' });
    expect(invalid(() => main.encode({ hw: null }))).toMatchObject({ path: 'hw' });
  });
});
