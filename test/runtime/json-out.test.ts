// The byte sink of the generated JSON writers (rt.JsonOut): each method's bytes against text written by hand or by
// JSON.stringify, from a sink far too small to begin with so that every write also grows it.
import { describe, expect, test } from 'vitest';
import { generatedSupport as rt } from '@nlgen/runtime';

const text = (w: InstanceType<typeof rt.JsonOut>) => Buffer.from(w.b.subarray(0, w.n)).toString('utf8');

describe('JsonOut', () => {
  test('integers at every digit boundary and beyond 32 bits, as String() writes them', () => {
    const values = [0, 1, 9, 10, 99, 100, 999, 1000, 65535, 2 ** 31, 2 ** 32 - 1, 2 ** 53 - 1, -1, -128, -(2 ** 31)];
    const w = new rt.JsonOut(1);
    for (const x of values) {
      w.int(x);
      w.byte(44);
    }
    expect(text(w)).toBe(values.map(String).join(',') + ',');
  });

  test('a sink made empty still grows', () => {
    const w = new rt.JsonOut(0);
    w.text('{"a":[1,2,3]}');
    expect(text(w)).toBe('{"a":[1,2,3]}');
  });

  test('64-bit values: numbers where exact, strings beyond 2^53 - 1', () => {
    const w = new rt.JsonOut(2);
    for (const x of [0n, 2n ** 53n - 1n, 2n ** 53n, -(2n ** 53n) + 1n, -(2n ** 53n), 2n ** 64n - 1n]) {
      w.big(x);
      w.byte(32);
    }
    expect(text(w)).toBe('0 9007199254740991 "9007199254740992" -9007199254740991 "-9007199254740992" "18446744073709551615" ');
  });

  test('text: ASCII, then a string that is not (two- to four-byte UTF-8) mid-way', () => {
    const w = new rt.JsonOut(4);
    const s = JSON.stringify('eth0 é ✓ 𝄞 "q"');
    w.text('{"a":');
    w.text(s);
    w.byte(125);
    expect(text(w)).toBe(`{"a":${s}}`);
    expect(JSON.parse(text(w))).toEqual({ a: 'eth0 é ✓ 𝄞 "q"' });
  });

  test('keys drop their comma for the first member only', () => {
    const w = new rt.JsonOut(1);
    w.byte(123);
    const s = w.n;
    w.key(s, ',"a":');
    w.int(1);
    w.key(s, ',"b":');
    w.int(2);
    w.byte(125);
    expect(text(w)).toBe('{"a":1,"b":2}');
  });

  test('hex, addresses (4 bytes as a dotted quad, 16 as IPv6), quoted strings', () => {
    const d = Uint8Array.from([0x00, 0xab, 0xff, 192, 0, 2, 1, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    const w = new rt.JsonOut(1);
    w.hex(d, 0, 3);
    w.hex(d, 0, 0);
    w.ip(d, 3, 7);
    w.ip(d, 7, 23);
    w.ipv4(d, 3, 7);
    w.ipv4(d, 7, 23);
    w.quoted('02:00:00:00:00:01');
    expect(text(w)).toBe('"00abff""""192.0.2.1""2001:db8::1""192.0.2.1""2001:db8::1""02:00:00:00:00:01"');
    expect(() => new rt.JsonOut().ipv4(d, 0, 3)).toThrow(/IPv4 address payload is 3 bytes/);
  });

  test('$unknown goes where the first unknown attribute came: first, between, last, alone', () => {
    const build = (before: string[], after: string[]) => {
      const w = new rt.JsonOut(1);
      w.byte(123);
      const s = w.n;
      for (const k of before) w.key(s, `,"${k}":1`);
      const at = w.n;
      for (const k of after) w.key(s, `,"${k}":2`);
      w.unknown(s, at, '{"type":9,"data":"01"}');
      w.byte(125);
      return JSON.parse(text(w)) as Record<string, unknown>;
    };
    const u = [{ type: 9, data: '01' }];
    expect(Object.entries(build([], ['b']))).toEqual([['$unknown', u], ['b', 2]]);
    expect(Object.entries(build(['a'], ['b']))).toEqual([['a', 1], ['$unknown', u], ['b', 2]]);
    expect(Object.entries(build(['a'], []))).toEqual([['a', 1], ['$unknown', u]]);
    expect(Object.entries(build([], []))).toEqual([['$unknown', u]]);
  });

  test('members of a decoded object join an object already open, with or without members before them', () => {
    for (const [before, object, want] of [
      ['', '{"x":1}', '{"x":1}'],
      ['"h":0', '{"x":1,"y":[2]}', '{"h":0,"x":1,"y":[2]}'],
      ['"h":0', '{}', '{"h":0}'],
      ['', '{}', '{}'],
    ] as const) {
      const w = new rt.JsonOut(1);
      w.byte(123);
      const s = w.n;
      w.text(before);
      w.members(s, object);
      expect(text(w)).toBe(want);
    }
  });

  test('a header memo copies its JSON for the same bytes and writes it again for others', () => {
    const memo = new rt.JsonHeaderMemo(2);
    let calls = 0;
    const fields = (w: InstanceType<typeof rt.JsonOut>, d: Uint8Array, _v: DataView, o: number) => {
      calls++;
      w.text(`"a":${d[o]},"b":${d[o + 1]}`);
    };
    const w = new rt.JsonOut(1);
    const d = Uint8Array.from([1, 2, 1, 2, 3, 4]);
    const v = new DataView(d.buffer);
    for (const o of [0, 2, 4]) {
      memo.open(w, d, v, o, fields);
      w.byte(125);
    }
    expect(text(w)).toBe('{"a":1,"b":2}{"a":1,"b":2}{"a":3,"b":4}');
    expect(calls).toBe(2);
  });
});
