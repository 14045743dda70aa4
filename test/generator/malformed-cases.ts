// Broken specs, each with the one error line nlgen must print for it (file name `bad.yaml`).
// Positions are 1-based line:col of the offending key or value in the text shown.

/** One malformed spec and the exact diagnostic expected first. */
export interface MalformedCase {
  name: string;
  yaml: string;
  /** The first error line, exactly (`bad.yaml:line:col: message (at /pointer)`). */
  error: string;
}

// A small valid genetlink spec the cases start from (line numbers below refer to the case text).
const ops = `operations:
  list:
    - name: get
      doc: Get.
      attribute-set: main
      do:
        request:
          attributes: [id]
`;

const genl = (sets: string, extra = '') => `name: demo
doc: A demo family.
${extra}attribute-sets:
${sets}${ops}`;

const mainSet = `  - name: main
    attributes:
      - name: id
        type: u32
`;

const legacy = (defs: string, sets = mainSet, more = '') => `name: demo
doc: A demo family.
protocol: genetlink-legacy
${defs ? `definitions:\n${defs}` : ''}attribute-sets:
${sets}${more}${ops}`;

const raw = (sets: string, subs = '') => `name: demo
doc: A demo family.
protocol: netlink-raw
protonum: 0
attribute-sets:
${sets}${subs}operations:
  enum-model: directional
  list:
    - name: get
      doc: Get.
      attribute-set: main
      do:
        request:
          value: 18
          attributes: [kind]
`;

export const malformedCases: MalformedCase[] = [
  // --- YAML syntax ---
  {
    name: 'YAML: unterminated flow sequence',
    yaml: 'name: demo\ndoc: x\nattribute-sets: [\n  - name: a\n',
    error: 'bad.yaml:4:3: YAML syntax error: Block collections are not allowed within flow collections [BLOCK_IN_FLOW] (and 1 more YAML error after it, likely caused by this one)',
  },
  {
    name: 'YAML: duplicate key',
    yaml: 'name: demo\ndoc: x\nname: again\n',
    error: 'bad.yaml:3:1: YAML syntax error: Map keys must be unique [DUPLICATE_KEY]',
  },
  {
    name: 'YAML: tab indentation',
    yaml: 'name: demo\ndoc: x\nattribute-sets:\n\t- name: a\n',
    error: 'bad.yaml:4:1: YAML syntax error: Tabs are not allowed as indentation [TAB_AS_INDENT]',
  },
  {
    name: 'YAML: unterminated quoted string',
    yaml: 'name: "demo\ndoc: x\n',
    error: 'bad.yaml:3:1: YAML syntax error: Missing closing "quote [MISSING_CHAR]',
  },
  // --- structure (schema) ---
  {
    name: 'spec is not a mapping',
    yaml: '- name: demo\n',
    error: 'bad.yaml:1:1: a spec must be a YAML mapping (name, doc, attribute-sets, operations, ...)',
  },
  {
    name: 'unknown protocol',
    yaml: genl(mainSet, 'protocol: netlink-foo\n'),
    error:
      'bad.yaml:3:11: unknown protocol "netlink-foo"; expected one of: genetlink, genetlink-c, genetlink-legacy, netlink-raw (at /protocol)',
  },
  {
    name: 'unknown top-level key',
    yaml: genl(mainSet, 'colour: blue\n'),
    error:
      'bad.yaml:3:1: unknown key "colour" for genetlink specs; allowed here: name, doc, protocol, uapi-header, kernel-family, definitions, attribute-sets, operations, mcast-groups (at /colour)',
  },
  {
    name: 'unknown attribute key',
    yaml: genl('  - name: main\n    attributes:\n      - name: id\n        type: u32\n        typo: 1\n'),
    error: 'bad.yaml:8:9: unknown key "typo" for genetlink specs; allowed here: name, type, doc, value, type-value, byte-order, multi-attr, nested-attributes, enum, enum-as-flags, checks, sub-type, display-hint (at /attribute-sets/0/attributes/0/typo)',
  },
  {
    name: 'missing required doc',
    yaml: 'name: demo\nattribute-sets: []\noperations:\n  list: []\n',
    error: 'bad.yaml:1:1: missing required key "doc"',
  },
  {
    name: 'attribute without type',
    yaml: genl('  - name: main\n    attributes:\n      - name: id\n'),
    error: 'bad.yaml:6:9: missing required key "type" (at /attribute-sets/0/attributes/0)',
  },
  {
    name: 'wrong attribute type name',
    yaml: genl('  - name: main\n    attributes:\n      - name: id\n        type: u33\n'),
    error:
      'bad.yaml:7:15: "u33" is not allowed here; expected one of: unused, pad, flag, binary, bitfield32, uint, sint, u8, u16, u32, u64, s8, s16, s32, s64, string, nest, indexed-array, array-nest, nest-type-value (at /attribute-sets/0/attributes/0/type)',
  },
  {
    name: 'wrong value type (string for integer)',
    yaml: genl('  - name: main\n    attributes:\n      - name: id\n        type: u32\n        value: two\n'),
    error: 'bad.yaml:8:16: must be an integer, not the string "two" (at /attribute-sets/0/attributes/0/value)',
  },
  {
    name: 'negative attribute value',
    yaml: genl('  - name: main\n    attributes:\n      - name: id\n        type: u32\n        value: -1\n'),
    error: 'bad.yaml:8:16: -1 is too small; must be >= 0 (at /attribute-sets/0/attributes/0/value)',
  },
  {
    name: 'attributes is a mapping, not a list',
    yaml: genl('  - name: main\n    attributes:\n      id: u32\n'),
    error: 'bad.yaml:6:7: must be an array, not a mapping (at /attribute-sets/0/attributes)',
  },
  {
    name: 'netlink-raw key in a genetlink spec',
    yaml: genl(mainSet, 'protonum: 0\n'),
    error:
      'bad.yaml:3:1: unknown key "protonum" for genetlink specs; allowed here: name, doc, protocol, uapi-header, kernel-family, definitions, attribute-sets, operations, mcast-groups (at /protonum)',
  },
  {
    name: 'bad len expression',
    yaml: legacy('  - name: hdr\n    type: struct\n    members:\n      - name: a\n        type: binary\n        len: FOO * 2\n'),
    error: 'bad.yaml:10:14: "FOO * 2": must be a number, a constant name, or an expression like `NAME - 1` (at /definitions/0/members/0/len)',
  },
  {
    name: 'pad member without len',
    yaml: legacy('  - name: hdr\n    type: struct\n    members:\n      - name: a\n        type: pad\n'),
    error: 'bad.yaml:8:9: missing required key "len" (at /definitions/0/members/0)',
  },
  {
    name: 'subset with its own name-prefix',
    yaml: legacy('', `${mainSet}  - name: part\n    subset-of: main\n    name-prefix: demo-x-\n    attributes:\n      - name: id\n`),
    error: 'bad.yaml:11:5: a subset (`subset-of`) takes its name prefix from its parent; remove `name-prefix` (at /attribute-sets/1/name-prefix)',
  },
  {
    name: 'static multicast id in a genetlink spec',
    yaml: genl(mainSet, 'mcast-groups:\n  list:\n    - name: events\n      value: 3\n'),
    error: 'bad.yaml:6:7: unknown key "value" for genetlink specs; allowed here: name, flags (at /mcast-groups/list/0/value)',
  },
  // --- dangling references ---
  {
    name: 'dangling nested-attributes',
    yaml: genl('  - name: main\n    attributes:\n      - name: id\n        type: nest\n        nested-attributes: nowhere\n'),
    error: 'bad.yaml:8:28: unknown attribute set "nowhere" in nested-attributes (at /attribute-sets/0/attributes/0/nested-attributes)',
  },
  {
    name: 'dangling enum',
    yaml: genl('  - name: main\n    attributes:\n      - name: id\n        type: u32\n        enum: colours\n'),
    error: 'bad.yaml:8:15: unknown enum "colours" (at /attribute-sets/0/attributes/0/enum)',
  },
  {
    name: 'dangling struct on an attribute',
    yaml: legacy('', '  - name: main\n    attributes:\n      - name: id\n        type: binary\n        struct: nothing\n'),
    error: 'bad.yaml:9:17: unknown struct "nothing" (at /attribute-sets/0/attributes/0/struct)',
  },
  {
    name: 'struct reference naming an enum',
    yaml: legacy('  - name: colours\n    type: enum\n    entries: [red]\n', '  - name: main\n    attributes:\n      - name: id\n        type: binary\n        struct: colours\n'),
    error: 'bad.yaml:13:17: unknown struct "colours" ("colours" is a enum definition) (at /attribute-sets/0/attributes/0/struct)',
  },
  {
    name: 'dangling sub-message',
    yaml: raw(
      '  - name: main\n    attributes:\n      - name: kind\n        type: string\n      - name: data\n        type: sub-message\n        sub-message: nope\n        selector: kind\n',
    ),
    error: 'bad.yaml:12:22: unknown sub-message "nope" (at /attribute-sets/0/attributes/1/sub-message)',
  },
  {
    name: 'bad selector',
    yaml: raw(
      '  - name: main\n    attributes:\n      - name: kind\n        type: string\n      - name: data\n        type: sub-message\n        sub-message: data-msg\n        selector: flavour\n',
      'sub-messages:\n  - name: data-msg\n    formats:\n      - value: vlan\n',
    ),
    error: 'bad.yaml:13:19: selector "flavour" is not an attribute of set "main" or of a set enclosing it (at /attribute-sets/0/attributes/1/selector)',
  },
  {
    name: 'sub-message without selector',
    yaml: raw(
      '  - name: main\n    attributes:\n      - name: kind\n        type: string\n      - name: data\n        type: sub-message\n        sub-message: data-msg\n',
      'sub-messages:\n  - name: data-msg\n    formats:\n      - value: vlan\n',
    ),
    error: 'bad.yaml:10:9: attribute "data" of type sub-message needs a selector (at /attribute-sets/0/attributes/1)',
  },
  {
    name: 'dangling notify target',
    yaml: genl(mainSet).replace('          attributes: [id]\n', '          attributes: [id]\n    - name: changed\n      doc: Changed.\n      notify: gett\n'),
    error: 'bad.yaml:18:15: unknown operation "gett" in notify (at /operations/list/1/notify)',
  },
  {
    name: 'dangling fixed-header on an op',
    yaml: legacy('').replace('      attribute-set: main\n', '      attribute-set: main\n      fixed-header: hdr\n'),
    error: 'bad.yaml:14:21: unknown struct "hdr" (at /operations/list/0/fixed-header)',
  },
  {
    name: 'dangling family fixed-header',
    yaml: legacy('').replace('operations:\n', 'operations:\n  fixed-header: genlhdr\n'),
    error: 'bad.yaml:10:17: unknown struct "genlhdr" (at /operations/fixed-header)',
  },
  {
    name: 'dangling constant in checks',
    yaml: genl('  - name: main\n    attributes:\n      - name: id\n        type: string\n        checks:\n          max-len: name-len\n'),
    error: 'bad.yaml:9:20: max-len: unknown constant "name-len" (at /attribute-sets/0/attributes/0/checks/max-len)',
  },
  {
    name: 'dangling constant in len',
    yaml: legacy('  - name: hdr\n    type: struct\n    members:\n      - name: a\n        type: binary\n        len: key-len - 1\n'),
    error: 'bad.yaml:10:14: len: unknown constant "key-len" (at /definitions/0/members/0/len)',
  },
  {
    name: 'len naming an enum instead of a constant',
    yaml: legacy('  - name: colours\n    type: enum\n    entries: [red]\n  - name: hdr\n    type: struct\n    members:\n      - name: a\n        type: binary\n        len: colours\n'),
    error: 'bad.yaml:13:14: len: "colours" is a enum definition, not a numeric constant (at /definitions/1/members/0/len)',
  },
  {
    name: 'flags-mask naming an enum',
    yaml: genl(
      '  - name: main\n    attributes:\n      - name: id\n        type: u32\n        checks:\n          flags-mask: colours\n',
      'definitions:\n  - name: colours\n    type: enum\n    entries: [red]\n',
    ),
    error: 'bad.yaml:13:23: flags-mask "colours" is a enum definition, not flags (at /attribute-sets/0/attributes/0/checks/flags-mask)',
  },
  {
    name: 'dangling attribute-set on an op',
    yaml: genl(mainSet).replace('attribute-set: main', 'attribute-set: mian'),
    error: 'bad.yaml:12:22: unknown attribute set "mian" (at /operations/list/0/attribute-set)',
  },
  {
    name: 'dangling subset-of',
    yaml: genl(`${mainSet}  - name: part\n    subset-of: mains\n    attributes:\n      - name: id\n`),
    error: 'bad.yaml:9:16: unknown attribute set "mains" in subset-of (at /attribute-sets/1/subset-of)',
  },
  {
    name: 'subset attribute missing from the parent',
    yaml: genl(`${mainSet}  - name: part\n    subset-of: main\n    attributes:\n      - name: idx\n`),
    error: 'bad.yaml:11:15: attribute "idx" is not in the parent set "main" (at /attribute-sets/1/attributes/0/name)',
  },
  {
    name: 'dangling multicast group',
    yaml: genl(mainSet).replace('          attributes: [id]\n', '          attributes: [id]\n    - name: changed\n      doc: Changed.\n      notify: get\n      mcgrp: monitor\n'),
    error: 'bad.yaml:19:14: unknown multicast group "monitor" (at /operations/list/1/mcgrp)',
  },
  {
    name: 'dangling enum on a struct member',
    yaml: legacy('  - name: hdr\n    type: struct\n    members:\n      - name: a\n        type: u8\n        enum: kinds\n'),
    error: 'bad.yaml:10:15: unknown enum "kinds" (at /definitions/0/members/0/enum)',
  },
  // --- duplicates ---
  {
    name: 'duplicate attribute names',
    yaml: genl('  - name: main\n    attributes:\n      - name: id\n        type: u32\n      - name: id\n        type: u64\n'),
    error: 'bad.yaml:8:15: duplicate attribute "id" in set "main" (at /attribute-sets/0/attributes/1/name)',
  },
  {
    name: 'duplicate attribute values',
    yaml: genl('  - name: main\n    attributes:\n      - name: id\n        type: u32\n      - name: idx\n        type: u32\n        value: 1\n'),
    error: 'bad.yaml:10:16: attribute "idx" has value 1, already used by "id" in set "main" (at /attribute-sets/0/attributes/1/value)',
  },
  {
    name: 'duplicate attribute set names',
    yaml: genl(`${mainSet}${mainSet}`),
    error: 'bad.yaml:8:11: duplicate attribute set "main" (at /attribute-sets/1/name)',
  },
  {
    name: 'duplicate definition names',
    yaml: legacy('  - name: colours\n    type: enum\n    entries: [red]\n  - name: colours\n    type: flags\n    entries: [blue]\n'),
    error: 'bad.yaml:8:11: duplicate definition name "colours" (at /definitions/1/name)',
  },
  {
    name: 'duplicate enum entries',
    yaml: legacy('  - name: colours\n    type: enum\n    entries: [red, green, red]\n'),
    error: 'bad.yaml:7:27: duplicate entry "red" in enum "colours" (at /definitions/0/entries/2)',
  },
  {
    name: 'duplicate operation names',
    yaml: genl(mainSet).replace('          attributes: [id]\n', '          attributes: [id]\n    - name: get\n      doc: Again.\n      do: {}\n'),
    error: 'bad.yaml:16:13: duplicate operation "get" (at /operations/list/1/name)',
  },
  {
    name: 'duplicate operation ids',
    yaml: genl(mainSet).replace('          attributes: [id]\n', '          attributes: [id]\n    - name: set\n      doc: Set.\n      value: 1\n      do: {}\n'),
    error: 'bad.yaml:16:7: operation "set" uses message id 1, already used by "get" (at /operations/list/1)',
  },
  {
    name: 'duplicate sub-message formats',
    yaml: raw(
      '  - name: main\n    attributes:\n      - name: kind\n        type: string\n',
      'sub-messages:\n  - name: data-msg\n    formats:\n      - value: vlan\n      - value: vlan\n',
    ),
    error: 'bad.yaml:14:16: duplicate format "vlan" in sub-message "data-msg" (at /sub-messages/0/formats/1/value)',
  },
  // --- other semantic errors ---
  {
    name: 'recursive struct (two structs)',
    yaml: legacy('  - name: a\n    type: struct\n    members:\n      - name: b\n        type: binary\n        struct: b\n  - name: b\n    type: struct\n    members:\n      - name: a\n        type: binary\n        struct: a\n'),
    error: 'bad.yaml:16:17: struct "b" contains itself (a → b → a); its size would be infinite (at /definitions/1/members/0/struct)',
  },
  {
    name: 'struct containing itself',
    yaml: legacy('  - name: node\n    type: struct\n    members:\n      - name: next\n        type: binary\n        struct: node\n'),
    error: 'bad.yaml:10:17: struct "node" contains itself (node → node); its size would be infinite (at /definitions/0/members/0/struct)',
  },
  {
    name: 'netlink-raw without protonum',
    yaml: raw('  - name: main\n    attributes:\n      - name: kind\n        type: string\n').replace('protonum: 0\n', ''),
    error: 'bad.yaml:1:1: netlink-raw specs need `protonum` (the netlink protocol number)',
  },
  {
    name: 'nest without nested-attributes',
    yaml: genl('  - name: main\n    attributes:\n      - name: id\n        type: nest\n'),
    error: 'bad.yaml:6:9: attribute "id" of type nest needs nested-attributes (at /attribute-sets/0/attributes/0)',
  },
  {
    name: 'checks with min above max',
    yaml: genl('  - name: main\n    attributes:\n      - name: id\n        type: u8\n        checks:\n          min: 10\n          max: 2\n'),
    error: 'bad.yaml:10:16: max 2 is below min 10 (at /attribute-sets/0/attributes/0/checks/max)',
  },
  {
    name: 'notify target without a reply',
    yaml: genl(mainSet).replace('          attributes: [id]\n', '          attributes: [id]\n    - name: changed\n      doc: Changed.\n      notify: get\n'),
    error: 'bad.yaml:18:15: notify target "get" has no reply to reuse (at /operations/list/1/notify)',
  },
  // --- names that would collide in generated code ---
  {
    name: 'attributes foo-bar and foo_bar (same property)',
    yaml: genl('  - name: main\n    attributes:\n      - name: id\n        type: u32\n      - name: foo-bar\n        type: u8\n      - name: foo_bar\n        type: u8\n'),
    error: 'bad.yaml:10:9: in set "main", attribute "foo_bar" and "foo-bar" (line 8) both become `fooBar` in generated code; rename one',
  },
  {
    name: 'attributes x and X (same property)',
    yaml: genl('  - name: main\n    attributes:\n      - name: id\n        type: u32\n      - name: x\n        type: u8\n      - name: X\n        type: u8\n'),
    error: 'bad.yaml:10:9: in set "main", attribute "X" and "x" (line 8) both become `x` in generated code; rename one',
  },
  {
    name: 'attributes a-1 and a1 (same property)',
    yaml: genl('  - name: main\n    attributes:\n      - name: id\n        type: u32\n      - name: a-1\n        type: u8\n      - name: a1\n        type: u8\n'),
    error: 'bad.yaml:10:9: in set "main", attribute "a1" and "a-1" (line 8) both become `a1` in generated code; rename one',
  },
  {
    name: 'attribute data-raw beside sub-message data',
    yaml: raw('  - name: main\n    attributes:\n      - name: kind\n        type: string\n      - name: data\n        type: sub-message\n        sub-message: fmts\n        selector: kind\n      - name: data-raw\n        type: binary\n', 'sub-messages:\n  - name: fmts\n    formats:\n      - value: a\n'),
    error: 'bad.yaml:14:9: in set "main", attribute "data-raw" and "data\'s raw form" (line 10) both become `dataRaw` in generated code; rename one',
  },
  {
    name: 'attribute sets link and link-attrs (same type)',
    yaml: genl(mainSet + '  - name: link\n    attributes:\n      - name: a\n        type: u8\n  - name: link-attrs\n    attributes:\n      - name: a\n        type: u8\n'),
    error: 'bad.yaml:12:5: attribute set "link-attrs" and "link" (line 8) both become `LinkAttrs` in generated code; rename one',
  },
  {
    name: 'ops get-x and get_x (same method)',
    yaml: genl(mainSet).replace('operations:\n  list:\n', 'operations:\n  list:\n    - name: get-x\n      doc: A.\n      attribute-set: main\n      do:\n        request:\n          attributes: [id]\n    - name: get_x\n      doc: B.\n      attribute-set: main\n      do:\n        request:\n          attributes: [id]\n'),
    error: 'bad.yaml:16:7: op "get_x" (its do method) and "get-x" (line 10) both become `getX` in generated code; rename one',
  },
  {
    name: 'op get-x-dump beside the dump of get-x (same method)',
    yaml: genl(mainSet).replace('operations:\n  list:\n', 'operations:\n  list:\n    - name: get-x\n      doc: A.\n      attribute-set: main\n      dump:\n        request:\n          attributes: [id]\n    - name: get-x-dump\n      doc: B.\n      attribute-set: main\n      do:\n        request:\n          attributes: [id]\n'),
    error: 'bad.yaml:16:7: op "get-x-dump" (its do method) and "get-x" (line 10) both become `getXDump` in generated code; rename one',
  },
  {
    name: 'struct members rx-bytes and rxBytes',
    yaml: legacy('  - name: st\n    type: struct\n    members:\n      - name: rx-bytes\n        type: u32\n      - name: rxBytes\n        type: u32\n'),
    error: 'bad.yaml:5:5: in struct "st", member "rxBytes" and "rx-bytes" (line 5) both become `rxBytes` in generated code; rename one',
  },
  {
    name: 'enums my-color and my_color (same type)',
    yaml: legacy('  - name: my-color\n    type: enum\n    entries: [a]\n  - name: my_color\n    type: enum\n    entries: [b]\n'),
    error: 'bad.yaml:8:5: definition "my_color" and "my-color" (line 5) both become `MyColor` in generated code; rename one',
  },
  // --- values the wire cannot carry ---
  {
    name: 'checks max 300 on a u8',
    yaml: genl('  - name: main\n    attributes:\n      - name: id\n        type: u8\n        checks:\n          max: 300\n'),
    error: 'bad.yaml:6:9: attribute "id" is a u8 (0..255), but checks max is 300: the wire cannot carry it',
  },
  {
    name: 'checks min -1 on a u32',
    yaml: genl('  - name: main\n    attributes:\n      - name: id\n        type: u32\n        checks:\n          min: -1\n'),
    error: 'bad.yaml:6:9: attribute "id" is a u32 (0..4294967295), but checks min is -1: the wire cannot carry it',
  },
  {
    name: 'attribute value over 14 bits',
    yaml: genl('  - name: main\n    attributes:\n      - name: id\n        type: u32\n        value: 16384\n'),
    error: 'bad.yaml:6:9: attribute "id" has value 16384; nla_type carries 14 bits (at most 16383)',
  },
  {
    name: 'genetlink op value over 255',
    yaml: genl(mainSet).replace('    - name: get\n', '    - name: get\n      value: 256\n'),
    error: 'bad.yaml:10:7: op "get" do request has id 256; a genetlink command is a u8 (at most 255)',
  },
  {
    name: 'directional raw op without a request value',
    yaml: raw('  - name: main\n    attributes:\n      - name: kind\n        type: string\n').replace('          value: 18\n', ''),
    error: 'bad.yaml:17:9: operation "get" do needs request: value: (its netlink message type); netlink-raw ids are never counted (at /operations/list/0/do)',
  },
  {
    name: 'enum entry a u8 attribute cannot carry',
    yaml: legacy('  - name: big\n    type: enum\n    value-start: 255\n    entries: [a, b]\n', '  - name: main\n    attributes:\n      - name: id\n        type: u8\n        enum: big\n'),
    error: 'bad.yaml:12:9: attribute "id" is a u8, but enum "big" has "b" = 256, which a u8 cannot carry',
  },
  {
    name: 'max-len over what nla_len carries',
    yaml: genl('  - name: main\n    attributes:\n      - name: id\n        type: string\n        checks:\n          max-len: 70000\n'),
    error: 'bad.yaml:6:9: attribute "id" has max-len 70000; an attribute holds at most 65531 bytes (nla_len is a u16)',
  },
];
