// Spec text is untrusted: no string of a spec may become code in the generated module.
//
// Every string value of two rich specs (one genetlink-legacy, one netlink-raw: definitions, structs, enums, flags,
// nests, sub-messages, fixed headers, ops, notifications, multicast groups, docs) is replaced, everywhere it occurs
// (so references stay consistent), by itself plus a breaker: text that ends a comment, a line comment, a string or a
// template, or smuggles a line separator or a bidi override. The module must then either be rejected with a spec
// error, or be generated so that TypeScript's own parser finds the breaker's payload identifier only inside comments
// and string literals — never as code — and the text holds no raw bidi or invisible character.
import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import { InvalidSpecError, loadSpecText, resolveFamily } from '../../generator/index.js';
import { printFamilyModule } from '../../generator/print-module.js';
import { parse, stringify } from 'yaml';

const PAYLOAD = 'nlgenPwned';

/** Ways out of each place spec text can land, each followed by the payload as a call. */
const breakers = [
  `*/ ${PAYLOAD}(); /*`,
  `\n${PAYLOAD}();\n`,
  `\r${PAYLOAD}();//`,
  `\u2028${PAYLOAD}();//`,
  `'; ${PAYLOAD}(); '`,
  `"; ${PAYLOAD}(); "`,
  `\`; ${PAYLOAD}(); \``,
  `\${${PAYLOAD}()}`,
  `\\'; ${PAYLOAD}(); //`,
  `--> ${PAYLOAD}(); <!--`,
  `\u202e ${PAYLOAD}(); \u2066`,
  `*/\n}\n${PAYLOAD}();\n/*`,
];

const legacySpec = `
name: demo-fam
doc: A family for the escaping test.
protocol: genetlink-legacy
version: 2
uapi-header: linux/demo.h
definitions:
  - name: max-thing
    type: const
    value: 8
    doc: Most things.
  - name: magic-text
    type: const
    value: hello
  - name: color
    type: enum
    doc: Colors.
    entries:
      - name: red
        doc: Red.
      - blue
  - name: opt-flags
    type: flags
    doc: Options.
    entries:
      - name: fast
        doc: Fast.
      - slow
  - name: pair
    type: struct
    doc: A pair.
    members:
      - name: left
        type: u16
        doc: Left.
      - name: right
        type: u32
        enum: color
      - name: tag
        type: binary
        len: 4
attribute-sets:
  - name: top
    doc: Top attributes.
    attributes:
      - name: id
        type: u32
        doc: Identifier.
        checks:
          max: max-thing
      - name: label
        type: string
        doc: Label.
      - name: tint
        type: u8
        enum: color
      - name: opts
        type: u32
        enum: opt-flags
      - name: where
        type: binary
        struct: pair
      - name: inner
        type: nest
        nested-attributes: inner
      - name: items
        type: u32
        multi-attr: true
      - name: addr
        type: u32
        display-hint: ipv4
        byte-order: big-endian
      - name: list
        type: indexed-array
        sub-type: nest
        nested-attributes: inner
  - name: inner
    doc: Inner attributes.
    attributes:
      - name: val
        type: u64
      - name: flag
        type: flag
  - name: top-sub
    subset-of: top
    attributes:
      - name: id
      - name: label
operations:
  list:
    - name: get-thing
      doc: Gets a thing.
      attribute-set: top
      flags: [admin-perm]
      do:
        request:
          attributes: [id]
        reply:
          attributes: [id, label, tint, opts, where, inner, items, addr, list]
      dump:
        reply:
          attributes: [id, label]
    - name: thing-changed
      doc: A thing changed.
      notify: get-thing
      mcgrp: watchers
    - name: thing-gone
      doc: A thing is gone.
      attribute-set: top-sub
      event:
        attributes: [id]
      mcgrp: watchers
mcast-groups:
  list:
    - name: watchers
`;

const rawSpec = `
name: demo-raw
doc: A raw family for the escaping test.
protocol: netlink-raw
protonum: 0
definitions:
  - name: hdr
    type: struct
    doc: Fixed header.
    members:
      - name: family
        type: u8
      - name: pad
        type: pad
        len: 3
      - name: index
        type: s32
        doc: Index.
  - name: opt-hdr
    type: struct
    members:
      - name: mode
        type: u16
      - name: extra
        type: u16
attribute-sets:
  - name: main
    doc: Main attributes.
    attributes:
      - name: name
        type: string
      - name: info
        type: nest
        nested-attributes: info
  - name: info
    attributes:
      - name: kind
        type: string
      - name: data
        type: sub-message
        sub-message: info-data
        selector: kind
  - name: alpha-attrs
    attributes:
      - name: depth
        type: u32
sub-messages:
  - name: info-data
    formats:
      - value: alpha
        attribute-set: alpha-attrs
      - value: beta
        fixed-header: opt-hdr
operations:
  enum-model: directional
  fixed-header: hdr
  name-prefix: demo-
  list:
    - name: get-item
      doc: Gets items.
      attribute-set: main
      do:
        request:
          value: 18
          attributes: [name]
        reply:
          value: 16
          attributes: [name, info]
      dump:
        request:
          value: 18
        reply:
          value: 16
          attributes: [name, info]
    - name: new-item-ntf
      doc: An item appeared.
      notify: get-item
      value: 16
      mcgrp: items
mcast-groups:
  list:
    - name: items
      value: 1
`;

/** Every distinct string value in the document (not keys), in document order. */
function stringValues(v: unknown, out = new Set<string>()): Set<string> {
  if (typeof v === 'string') out.add(v);
  else if (Array.isArray(v)) for (const x of v) stringValues(x, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) stringValues(x, out);
  return out;
}

function replaceString(v: unknown, from: string, to: string): unknown {
  if (typeof v === 'string') return v === from ? to : v;
  if (Array.isArray(v)) return v.map((x) => replaceString(x, from, to));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, replaceString(x, from, to)]));
  return v;
}

/** Identifiers in `text` that TypeScript's parser sees as code (comments, strings and template text are not). */
function codeIdentifiers(text: string): Set<string> {
  const sf = ts.createSourceFile('x.ts', text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const ids = new Set<string>();
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n)) ids.add(n.text);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return ids;
}

const INVISIBLE = /[\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff]/;

describe.each([
  ['genetlink-legacy', legacySpec],
  ['netlink-raw', rawSpec],
])('spec text never becomes code (%s)', (_level, base) => {
  const data = parse(base) as unknown;
  // The base spec itself generates, and the oracle sees its code (so a missing module can't pass the checks).
  const baseText = printFamilyModule(resolveFamily(loadSpecText(base, 'base.yaml')));
  test('the base spec generates and the parser sees its code', () => {
    expect(codeIdentifiers(baseText).has('rt')).toBe(true);
    expect(codeIdentifiers(`/* ${PAYLOAD} */ '${PAYLOAD}'; ${PAYLOAD}();`).has(PAYLOAD)).toBe(true);
    expect(codeIdentifiers(`/* ${PAYLOAD} */ '${PAYLOAD}'; \`\${1}${PAYLOAD}\`;`).has(PAYLOAD)).toBe(false);
  });

  const values = [...stringValues(data)];
  test.each(values.map((v) => [v] as const))('every breaker appended to %j', (value) => {
    let generated = 0;
    for (const b of breakers) {
      const spec = stringify(replaceString(data, value, value + b), { lineWidth: 0 });
      let text: string;
      try {
        text = printFamilyModule(resolveFamily(loadSpecText(spec, 'x.yaml')));
      } catch (e) {
        // Rejecting the spec is safe; anything but a spec error is a bug.
        expect(e).toBeInstanceOf(InvalidSpecError);
        continue;
      }
      generated++;
      expect(codeIdentifiers(text).has(PAYLOAD), `breaker ${JSON.stringify(b)} in ${JSON.stringify(value)}`).toBe(false);
      expect(INVISIBLE.test(text), `raw invisible character from ${JSON.stringify(b)}`).toBe(false);
      const parsed = ts.createSourceFile('x.ts', text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS) as ts.SourceFile & { parseDiagnostics: ts.Diagnostic[] };
      expect(parsed.parseDiagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
    }
    // Docs and most names take any text: at least those must have been generated, not only rejected.
    if (/^[A-Z]/.test(value)) expect(generated).toBeGreaterThan(0);
  });
});
