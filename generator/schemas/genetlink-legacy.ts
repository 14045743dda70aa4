// Schema for `genetlink-legacy` specs: genetlink-c plus what older families need — structs, fixed
// headers, directional message ids and a family version.
import { byteOrder, displayHint, intTypes, list, name, object, sizeExpr, text, unsigned, type JsonSchema } from './common.js';
import { assemble, genetlinkOpProps, messageProps, type SchemaParts } from './genetlink.js';
import { genetlinkCParts } from './genetlink-c.js';

/** Keys of one struct member. */
export function memberProps(): Record<string, JsonSchema> {
  return {
    name,
    type: { enum: [...intTypes, 'string', 'binary', 'pad'] },
    len: sizeExpr,
    'byte-order': byteOrder,
    doc: text,
    enum: name,
    'enum-as-flags': { type: 'boolean' },
    'display-hint': displayHint,
    struct: name,
  };
}

/** A struct member: `pad` needs a length; `binary` needs a length or a struct. */
export function memberSchema(props: Record<string, JsonSchema>): JsonSchema {
  return object(props, ['name', 'type'], {
    allOf: [
      { if: { properties: { type: { const: 'pad' } }, required: ['type'] }, then: { required: ['len'] } },
      {
        if: { properties: { type: { const: 'binary' } }, required: ['type'], not: { required: ['struct'] } },
        then: { required: ['len'] },
      },
    ],
  });
}

/** genetlink-c pieces plus legacy features. */
export function genetlinkLegacyParts(): SchemaParts {
  const p = genetlinkCParts();
  const fixedHeader = name;
  const member = memberProps();
  return {
    ...p,
    top: {
      ...p.top,
      protocol: { enum: ['genetlink-legacy'] },
      'kernel-policy': { enum: ['split', 'per-op', 'global'] },
      version: { type: 'integer', minimum: 1 },
    },
    definition: {
      ...p.definition,
      type: { enum: ['const', 'enum', 'flags', 'struct'] },
      members: list(memberSchema(member)),
    },
    member,
    attrSet: { ...p.attrSet, header: text },
    attr: { ...p.attr, struct: name },
    ops: { ...p.ops, 'enum-model': { enum: ['unified', 'directional'] }, 'fixed-header': fixedHeader },
    op: { ...genetlinkOpProps({ ...messageProps(), value: unsigned }), 'fixed-header': fixedHeader },
  };
}

/** The genetlink-legacy schema. */
export const genetlinkLegacySchema: JsonSchema = assemble('nlgen:genetlink-legacy', genetlinkLegacyParts());
