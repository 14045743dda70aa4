// Schema for plain `genetlink` specs, and the pieces every higher protocol level builds on.
import {
  baseAttrTypes,
  byteOrder,
  displayHint,
  limitExpr,
  list,
  listSection,
  name,
  nameList,
  object,
  sizeExpr,
  stringList,
  text,
  unsigned,
  type JsonSchema,
} from './common.js';

/** Keys of one `definitions` entry, per kind (const, enum/flags). */
export function genetlinkDefinitionProps(): Record<string, JsonSchema> {
  return {
    name,
    type: { enum: ['const', 'enum', 'flags'] },
    doc: text,
    // Set when a kernel header already provides this definition.
    header: text,
    // const: a number or a string constant.
    value: { type: ['integer', 'string'] },
    // enum/flags: first value (or first bit), a number or a constant.
    'value-start': { type: ['integer', 'string'] },
    entries: list({
      type: ['string', 'object'],
      properties: { name, value: { type: 'integer' }, doc: text },
      required: ['name'],
      additionalProperties: false,
    }),
    'render-max': { type: 'boolean' },
  };
}

/** Kernel input validation rules on an attribute. */
export function checksSchema(): JsonSchema {
  return object({
    'flags-mask': name,
    min: limitExpr,
    max: limitExpr,
    'min-len': sizeExpr,
    'max-len': sizeExpr,
    'exact-len': sizeExpr,
    'unterminated-ok': { type: 'boolean' },
  });
}

/** Keys of one attribute in an attribute set. */
export function genetlinkAttrProps(types: readonly string[] = baseAttrTypes): Record<string, JsonSchema> {
  return {
    name,
    type: { enum: [...types] },
    doc: text,
    value: unsigned,
    'type-value': nameList,
    'byte-order': byteOrder,
    'multi-attr': { type: 'boolean' },
    'nested-attributes': name,
    enum: name,
    'enum-as-flags': { type: 'boolean' },
    checks: checksSchema(),
    'sub-type': { enum: [...types] },
    'display-hint': displayHint,
  };
}

/** Keys of one attribute set (besides `attributes`). */
export function genetlinkAttrSetProps(): Record<string, JsonSchema> {
  return {
    name,
    'name-prefix': text,
    'enum-name': { type: ['string', 'null'] },
    doc: text,
    'subset-of': name,
  };
}

/**
 * One attribute set. A subset inherits naming and types from its parent, so it may not set a
 * `name-prefix`, and its attributes need no `type`; every other set must type each attribute.
 */
export function attrSetSchema(setProps: Record<string, JsonSchema>, attrProps: Record<string, JsonSchema>): JsonSchema {
  return object({ ...setProps, attributes: list(object(attrProps, ['name'])) }, ['name', 'attributes'], {
    allOf: [
      {
        if: { required: ['subset-of'] },
        then: {
          not: { required: ['name-prefix'] },
          description: 'a subset (`subset-of`) takes its name prefix from its parent; remove `name-prefix`',
        },
        else: { properties: { attributes: { items: { required: ['type'] } } } },
      },
    ],
  });
}

/** The request or reply of a do/dump. */
export function messageProps(): Record<string, JsonSchema> {
  return { attributes: nameList };
}

/** Keys of one operation. */
export function genetlinkOpProps(
  msgProps: Record<string, JsonSchema> = messageProps(),
  opFlags: readonly string[] = ['admin-perm', 'uns-admin-perm'],
): Record<string, JsonSchema> {
  const message = object(msgProps);
  const mode = object({ request: message, reply: message, pre: name, post: name });
  return {
    name,
    doc: text,
    value: unsigned,
    'attribute-set': name,
    flags: list({ enum: [...opFlags] }),
    'dont-validate': list({ enum: ['strict', 'dump', 'dump-strict'] }),
    'config-cond': text,
    do: mode,
    dump: mode,
    notify: name,
    event: object({ attributes: nameList }),
    mcgrp: name,
  };
}

/** Keys of `operations` besides `list`. */
export function genetlinkOpsProps(enumModels: readonly string[] = ['unified']): Record<string, JsonSchema> {
  return {
    'enum-model': { enum: [...enumModels] },
    'name-prefix': text,
    'enum-name': { type: ['string', 'null'] },
    'async-prefix': text,
    'async-enum': { type: ['string', 'null'] },
  };
}

/** Keys of one multicast group. */
export function genetlinkMcastProps(): Record<string, JsonSchema> {
  return { name, flags: list({ enum: ['admin-perm', 'uns-admin-perm'] }) };
}

/** Top-level keys other than the sections. */
export function genetlinkTopProps(protocols: readonly string[]): Record<string, JsonSchema> {
  return {
    name,
    doc: text,
    protocol: { enum: [...protocols] },
    'uapi-header': text,
    // Hints for generating kernel-side C code; accepted and ignored.
    'kernel-family': object({ headers: stringList, 'sock-priv': text }),
  };
}

/** Everything a level is built from, so the next level can extend any piece. */
export interface SchemaParts {
  top: Record<string, JsonSchema>;
  definition: Record<string, JsonSchema>;
  /** Extra if/then rules for a definition (e.g. struct members). */
  member?: Record<string, JsonSchema>;
  attrSet: Record<string, JsonSchema>;
  attr: Record<string, JsonSchema>;
  ops: Record<string, JsonSchema>;
  op: Record<string, JsonSchema>;
  mcast: Record<string, JsonSchema>;
  /** Extra top-level sections (e.g. `sub-messages`). */
  sections: Record<string, JsonSchema>;
}

/** The pieces of plain genetlink. */
export function genetlinkParts(): SchemaParts {
  return {
    top: genetlinkTopProps(['genetlink']),
    definition: genetlinkDefinitionProps(),
    attrSet: genetlinkAttrSetProps(),
    attr: genetlinkAttrProps(),
    ops: genetlinkOpsProps(),
    op: genetlinkOpProps(),
    mcast: genetlinkMcastProps(),
    sections: {},
  };
}

/** Assembles a whole-spec schema from its pieces. */
export function assemble(id: string, parts: SchemaParts): JsonSchema {
  const definition = object(parts.definition, ['name', 'type'], parts.member ? { allOf: [structRules()] } : {});
  return {
    $id: id,
    type: 'object',
    additionalProperties: false,
    required: ['name', 'doc', 'attribute-sets', 'operations'],
    properties: {
      ...parts.top,
      definitions: list(definition),
      'attribute-sets': list(attrSetSchema(parts.attrSet, parts.attr)),
      operations: listSection(object(parts.op, ['name', 'doc']), parts.ops),
      'mcast-groups': listSection(object(parts.mcast, ['name'])),
      ...parts.sections,
    },
  };
}

// Struct definitions need members; enums and flags need entries.
function structRules(): JsonSchema {
  return {
    if: { properties: { type: { const: 'struct' } }, required: ['type'] },
    then: { required: ['members'] },
  };
}

/** The plain genetlink schema. */
export const genetlinkSchema: JsonSchema = assemble('nlgen:genetlink', genetlinkParts());
