// Numbering and layout rules of the resolver, with expectations derived by hand from the kernel's rules.
import { describe, expect, test } from 'vitest';
import { loadSpecText, resolveFamily, type Attr, type EnumDef, type Family, type StructDef } from '../../generator/index.js';

const resolve = (yaml: string): Family => resolveFamily(loadSpecText(yaml, 'unit.yaml'));
const set = (f: Family, name: string) => f.attributeSets.find((s) => s.name === name)!;
const attr = (f: Family, s: string, a: string): Attr => set(f, s).attributes.find((x) => x.name === a)!;
const def = <T>(f: Family, name: string) => f.definitions.find((d) => d.name === name) as T;
const op = (f: Family, name: string) => f.operations.list.find((o) => o.name === name)!;

const noOps = `operations:
  list:
    - name: get
      doc: Get.
      attribute-set: main
      do:
        request:
          attributes: []
`;

describe('attribute numbering', () => {
  const f = resolve(`name: unit
doc: d
attribute-sets:
  - name: main
    attributes:
      - { name: unspec, type: unused, value: 0 }
      - { name: a, type: u32 }
      - { name: b, type: string, value: 5, doc: parent doc }
      - { name: c, type: u8 }
      - { name: d, type: array-nest, nested-attributes: main }
  - name: part
    subset-of: main
    attributes:
      - { name: c }
      - { name: b, doc: subset doc }
${noOps}`);

  test('counter from 1, explicit value sets it (0 allowed), +1 after each', () => {
    expect(set(f, 'main').attributes.map((a) => [a.name, a.value])).toEqual([
      ['unspec', 0],
      ['a', 1],
      ['b', 5],
      ['c', 6],
      ['d', 7],
    ]);
  });

  test('a subset takes numbers and types from its parent; its own keys override', () => {
    expect(set(f, 'part').attributes.map((a) => [a.name, a.value, a.type])).toEqual([
      ['c', 6, 'u8'],
      ['b', 5, 'string'],
    ]);
    expect(attr(f, 'part', 'b').doc).toBe('subset doc');
    expect(attr(f, 'main', 'b').doc).toBe('parent doc');
    expect(set(f, 'part').subsetOf).toBe('main');
  });

  test('array-nest is normalised to indexed-array of nests', () => {
    expect(attr(f, 'main', 'd')).toMatchObject({ type: 'indexed-array', subType: 'nest', nestedAttributes: 'main' });
  });
});

describe('definitions', () => {
  const f = resolve(`name: unit
doc: d
protocol: genetlink-legacy
definitions:
  - { name: n, type: const, value: 8 }
  - { name: label, type: const, value: some-name }
  - { name: key-len, name-prefix: wg-, type: const, value: 32 }
  - { name: e, type: enum, value-start: 2, entries: [a, b, { name: c, value: 10 }, d] }
  - { name: fl, type: flags, entries: [x, y, { name: z, value: 7 }] }
  - { name: fl3, type: flags, value-start: 3, entries: [p, q] }
  - { name: wide, type: flags, entries: [{ name: b40, value: 40 }, { name: b63, value: 63 }] }
  - name: inner
    type: struct
    members:
      - { name: x, type: u16 }
      - { name: y, type: u8 }
  - name: outer
    type: struct
    members:
      - { name: p, type: u8 }
      - { name: in, type: binary, struct: inner }
      - { name: q, type: u64 }
  - name: mixed
    type: struct
    members:
      - { name: a, type: u8 }
      - { name: b, type: u32 }
      - { name: c, type: u16 }
  - name: padded
    type: struct
    members:
      - { name: a, type: u8 }
      - { name: pad, type: pad, len: 3 }
      - { name: b, type: u32, byte-order: big-endian }
  - name: sized
    type: struct
    members:
      - { name: key, type: binary, len: n - 1 }
      - { name: name, type: string, len: n }
attribute-sets:
  - name: main
    attributes:
      - { name: u32max, type: u32, checks: { max: u32-max } }
      - { name: s32min, type: s32, checks: { min: s32-min, max: 0x7f } }
      - { name: u64max, type: u64, checks: { max: u64-max } }
      - { name: key, type: binary, checks: { exact-len: wg-key-len } }
      - { name: short, type: binary, checks: { min-len: n - 1, max-len: n + 8 } }
      - { name: mask, type: u32, checks: { flags-mask: fl } }
      - { name: name, type: string, checks: { max-len: n, unterminated-ok: true } }
      - { name: addr, type: binary, display-hint: ipv4-or-v6 }
${noOps}`);

  test('enum values: value-start, explicit values, +1 after each', () => {
    expect(def<EnumDef>(f, 'e').entries.map((e) => [e.name, e.value])).toEqual([
      ['a', 2],
      ['b', 3],
      ['c', 10],
      ['d', 11],
    ]);
  });

  test('flags: bit positions become masks', () => {
    expect(def<EnumDef>(f, 'fl').entries.map((e) => e.value)).toEqual([1, 2, 128]);
    expect(def<EnumDef>(f, 'fl3').entries.map((e) => e.value)).toEqual([8, 16]);
    expect(def<EnumDef>(f, 'wide').entries.map((e) => e.value)).toEqual([1099511627776, 9223372036854775808n]);
  });

  test('constants: numbers, strings, and prefixed names usable in checks', () => {
    expect(def<{ value: unknown }>(f, 'n').value).toBe(8);
    expect(def<{ value: unknown }>(f, 'label').value).toBe('some-name');
    expect(attr(f, 'main', 'key').checks).toEqual({ exactLen: 32 });
  });

  test('checks: type limits, const expressions, flags masks', () => {
    expect(attr(f, 'main', 'u32max').checks).toEqual({ max: 4294967295 });
    expect(attr(f, 'main', 's32min').checks).toEqual({ min: -2147483648, max: 127 });
    expect(attr(f, 'main', 'u64max').checks).toEqual({ max: 18446744073709551615n });
    expect(attr(f, 'main', 'short').checks).toEqual({ minLen: 7, maxLen: 16 });
    expect(attr(f, 'main', 'mask').checks).toEqual({ flagsMask: { value: 1 + 2 + 128, enum: 'fl' } });
    expect(attr(f, 'main', 'name').checks).toEqual({ maxLen: 8, unterminatedOk: true });
    expect(attr(f, 'main', 'addr').displayHint).toBe('ipv4-or-v6');
  });

  test('struct layout: natural alignment as in C, trailing padding, nested structs', () => {
    const layout = (n: string) => {
      const s = def<StructDef>(f, n);
      return { members: s.members.map((m) => [m.name, m.offset, m.size]), size: s.size, align: s.align };
    };
    expect(layout('inner')).toEqual({ members: [['x', 0, 2], ['y', 2, 1]], size: 4, align: 2 });
    expect(layout('outer')).toEqual({ members: [['p', 0, 1], ['in', 2, 4], ['q', 8, 8]], size: 16, align: 8 });
    expect(layout('mixed')).toEqual({ members: [['a', 0, 1], ['b', 4, 4], ['c', 8, 2]], size: 12, align: 4 });
    expect(layout('padded')).toEqual({ members: [['a', 0, 1], ['pad', 1, 3], ['b', 4, 4]], size: 8, align: 4 });
    expect(def<StructDef>(f, 'padded').members[2].byteOrder).toBe('big-endian');
    expect(layout('sized')).toEqual({ members: [['key', 0, 7], ['name', 7, 8]], size: 15, align: 1 });
  });
});

describe('operation ids', () => {
  test('unified: counter from 1, reserved entries and notifications consume ids, value 0 exists', () => {
    const f = resolve(`name: unit
doc: d
attribute-sets:
  - name: main
    attributes:
      - { name: id, type: u32 }
operations:
  list:
    - { name: unspec, doc: reserved, value: 0 }
    - name: add
      doc: Add.
      attribute-set: main
      do: { request: { attributes: [id] }, reply: { attributes: [id] } }
    - { name: add-ntf, doc: Added., notify: add, mcgrp: events }
    - name: get
      doc: Get.
      value: 10
      attribute-set: main
      do: { request: { attributes: [id] }, reply: { attributes: [id] } }
      dump: { reply: { attributes: [id] } }
    - { name: gone, doc: Gone., attribute-set: main, event: { attributes: [id] }, mcgrp: events }
mcast-groups:
  list:
    - name: events
`);
    expect(f.operations.list.map((o) => [o.name, o.value])).toEqual([
      ['unspec', 0],
      ['add', 1],
      ['add-ntf', 2],
      ['get', 10],
      ['gone', 11],
    ]);
    expect(op(f, 'unspec')).toMatchObject({ isNotification: false });
    expect(op(f, 'unspec').do).toBeUndefined();
    expect(op(f, 'get').do).toEqual({ request: { value: 10, attributes: ['id'] }, reply: { value: 10, attributes: ['id'] } });
    expect(op(f, 'get').dump).toEqual({ request: { value: 10, attributes: [] }, reply: { value: 10, attributes: ['id'] } });
    expect(op(f, 'add-ntf')).toMatchObject({ isNotification: true, notification: { value: 2, attributes: ['id'] }, mcgrp: 'events' });
    expect(op(f, 'gone')).toMatchObject({ isNotification: true, notification: { value: 11, attributes: ['id'] } });
    expect(f.protonum).toBe(16);
    expect(f.version).toBe(1);
    expect(f.kernelFamily).toBe('unit');
  });

  test('directional: separate request and reply counters', () => {
    const f = resolve(`name: unit
doc: d
protocol: genetlink-legacy
attribute-sets:
  - name: main
    attributes:
      - { name: id, type: u32 }
operations:
  enum-model: directional
  list:
    - { name: a, doc: A., attribute-set: main, do: { request: { attributes: [id] }, reply: { attributes: [id] } } }
    - { name: b, doc: B., attribute-set: main, do: { request: { attributes: [id] } } }
    - name: c
      doc: C.
      attribute-set: main
      do: { request: { attributes: [id] }, reply: { attributes: [id] } }
      dump: { reply: { attributes: [id] } }
    - { name: c-ntf, doc: C changed., notify: c }
    - name: d
      doc: D.
      attribute-set: main
      do: { request: { value: 10, attributes: [id] }, reply: { value: 20, attributes: [id] } }
    - { name: e, doc: E., attribute-set: main, dump: { request: { attributes: [] }, reply: { attributes: [id] } } }
    - { name: ev, doc: Event., attribute-set: main, event: { attributes: [id] } }
`);
    const ids = f.operations.list.map((o) => [
      o.name,
      (o.do ?? o.dump)?.request?.value ?? null,
      (o.do ?? o.dump)?.reply?.value ?? o.notification?.value ?? null,
    ]);
    expect(ids).toEqual([
      ['a', 1, 1],
      ['b', 2, null],
      ['c', 3, 2],
      ['c-ntf', null, 3],
      ['d', 10, 20],
      ['e', 11, 21],
      ['ev', null, 22],
    ]);
    expect(op(f, 'c').dump).toEqual({ request: { value: 3, attributes: [] }, reply: { value: 2, attributes: ['id'] } });
    expect(op(f, 'c-ntf').value).toBe(3);
  });

  test('netlink-raw: protonum, static multicast ids, fixed headers per family and per op', () => {
    const f = resolve(`name: unit
doc: d
protocol: netlink-raw
protonum: 0
definitions:
  - name: hdr
    type: struct
    members:
      - { name: family, type: u8 }
      - { name: pad, type: pad, len: 3 }
      - { name: index, type: s32 }
  - name: other
    type: struct
    members:
      - { name: x, type: u32 }
attribute-sets:
  - name: main
    attributes:
      - { name: kind, type: string }
      - { name: data, type: sub-message, sub-message: data-msg, selector: kind }
sub-messages:
  - name: data-msg
    formats:
      - { value: vlan, attribute-set: main }
      - { value: bare, fixed-header: other }
operations:
  enum-model: directional
  fixed-header: hdr
  list:
    - name: getlink
      doc: Get.
      attribute-set: main
      do: { request: { value: 18, attributes: [kind] }, reply: { value: 16, attributes: [kind, data] } }
    - name: setlink
      doc: Set.
      fixed-header: other
      attribute-set: main
      do: { request: { value: 19, attributes: [kind] } }
    - { name: newlink-ntf, doc: New., value: 16, notify: getlink, mcgrp: rtnlgrp-link }
mcast-groups:
  list:
    - { name: rtnlgrp-link, value: 1 }
`);
    expect(f.protonum).toBe(0);
    expect(f.version).toBeUndefined();
    expect(f.mcastGroups).toEqual([{ name: 'rtnlgrp-link', value: 1, flags: [] }]);
    expect(op(f, 'getlink')).toMatchObject({ value: 18, fixedHeader: 'hdr', do: { request: { value: 18 }, reply: { value: 16 } } });
    expect(op(f, 'setlink').fixedHeader).toBe('other');
    expect(op(f, 'newlink-ntf')).toMatchObject({ value: 16, notification: { value: 16, attributes: ['kind', 'data'] }, fixedHeader: 'hdr' });
    expect(attr(f, 'main', 'data')).toMatchObject({ type: 'sub-message', subMessage: 'data-msg', selector: 'kind' });
    expect(f.subMessages[0].formats).toEqual([
      { value: 'vlan', attributeSet: 'main' },
      { value: 'bare', fixedHeader: 'other' },
    ]);
    expect(def<StructDef>(f, 'hdr').size).toBe(8);
  });
});

describe('schema acceptance of newer and older spellings', () => {
  test('kernel-family in plain genetlink, display-hint ipv4-or-v6, array-nest, const names in checks', () => {
    const f = resolve(`name: unit
doc: d
kernel-family:
  headers: [linux/list.h]
  sock-priv: struct list_head
definitions:
  - { name: max-name, type: const, value: 15 }
attribute-sets:
  - name: main
    attributes:
      - { name: ifname, type: string, checks: { max-len: max-name } }
      - { name: addr, type: binary, display-hint: ipv4-or-v6 }
      - { name: list, type: array-nest, nested-attributes: main }
${noOps}`);
    expect(attr(f, 'main', 'ifname').checks.maxLen).toBe(15);
    expect(attr(f, 'main', 'list').type).toBe('indexed-array');
  });
});
