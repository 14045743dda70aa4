// Our schemas: one per protocol level, each accepting what the level below accepts plus its own keys.
import { describe, expect, test } from 'vitest';
import { formatSpecError, loadSpecText, schemasByProtocol, validateSpec } from '../../generator/index.js';

const check = (yaml: string) => validateSpec(loadSpecText(yaml, 's.yaml')).map(formatSpecError);

const spec = (protocol: string, top = '', attrExtra = '', defs = '') => `name: s
doc: d
protocol: ${protocol}
${top}${defs ? `definitions:\n${defs}` : ''}attribute-sets:
  - name: main
    attributes:
      - name: id
        type: u32
${attrExtra}operations:
  list:
    - name: get
      doc: g
      attribute-set: main
      do:
        request:
          attributes: [id]
`;

describe('protocol-level schemas', () => {
  test('there is one schema per protocol level', () => {
    expect(Object.keys(schemasByProtocol).sort()).toEqual(['genetlink', 'genetlink-c', 'genetlink-legacy', 'netlink-raw']);
  });

  test('C naming keys: accepted from genetlink-c up, rejected in plain genetlink', () => {
    const top = 'c-family-name: S_NAME\nc-version-name: S_VERSION\nmax-by-define: true\ncmd-max-name: S_CMD_MAX\n';
    const attr = '        name-prefix: s-x-\n';
    for (const p of ['genetlink-c', 'genetlink-legacy', 'netlink-raw']) expect(check(spec(p, top, attr))).toEqual([]);
    const errors = check(spec('genetlink', top, attr));
    expect(errors).toHaveLength(5);
    expect(errors[0]).toMatch(/^s\.yaml:4:1: unknown key "c-family-name" for genetlink specs/);
    expect(errors[4]).toMatch(/^s\.yaml:13:9: unknown key "name-prefix"/);
  });

  test('structs and fixed headers: from genetlink-legacy up', () => {
    const defs = '  - name: hdr\n    type: struct\n    members:\n      - { name: a, type: u32 }\n';
    expect(check(spec('genetlink-legacy', 'version: 2\n', '', defs))).toEqual([]);
    expect(check(spec('netlink-raw', 'protonum: 0\n', '', defs))).toEqual([]);
    expect(check(spec('genetlink-c', '', '', defs))).toContain(
      's.yaml:6:11: "struct" is not allowed here; expected one of: const, enum, flags (at /definitions/0/type)',
    );
  });

  test('netlink-raw only: protonum, sub-messages; version is genetlink only', () => {
    expect(check(spec('genetlink-legacy', 'protonum: 0\n'))[0]).toMatch(/^s\.yaml:4:1: unknown key "protonum"/);
    expect(check(spec('netlink-raw', 'version: 1\n'))[0]).toMatch(/^s\.yaml:4:1: unknown key "version" for netlink-raw/);
    expect(check(spec('netlink-raw', 'kernel-policy: global\n'))).toEqual([]);
  });

  test('directional enum model is a genetlink-legacy/raw feature', () => {
    const directional = (p: string) => spec(p).replace('operations:\n', 'operations:\n  enum-model: directional\n');
    expect(check(directional('genetlink-legacy'))).toEqual([]);
    expect(check(directional('genetlink'))[0]).toMatch(/"directional" is not allowed here; expected one of: unified/);
  });

  test('old and new spellings are accepted at every level', () => {
    for (const p of ['genetlink', 'genetlink-c', 'genetlink-legacy', 'netlink-raw']) {
      const top = p === 'netlink-raw' ? 'protonum: 0\n' : 'kernel-family:\n  headers: [linux/list.h]\n';
      const attrs =
        '      - { name: a, type: array-nest, nested-attributes: main }\n' +
        '      - { name: b, type: indexed-array, sub-type: u32 }\n' +
        '      - { name: c, type: binary, display-hint: ipv4-or-v6 }\n' +
        '      - { name: d, type: u32, checks: { max: u32-max, min: s8-min } }\n' +
        '      - { name: e, type: string, checks: { max-len: name-max - 1 } }\n';
      expect(check(spec(p, top, attrs)), p).toEqual([]);
    }
  });
});
