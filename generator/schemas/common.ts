// Building blocks shared by the protocol-level schemas (JSON Schema draft-07 objects).
// Each level's schema is assembled from these pieces and the pieces of the level below it.

/** A JSON Schema object. */
export type JsonSchema = { [key: string]: unknown };

/** A non-negative integer. */
export const unsigned: JsonSchema = { type: 'integer', minimum: 0 };

/** Free text. */
export const text: JsonSchema = { type: 'string' };

/** A name used for cross references inside a spec. */
export const name: JsonSchema = { type: 'string', minLength: 1 };

/** A list of strings. */
export const stringList: JsonSchema = { type: 'array', items: { type: 'string' } };

/** Names of things (`[a, b]` or a YAML block list). */
export const nameList: JsonSchema = { type: 'array', items: name };

// A term is a literal number or a constant name; names may contain dashes (`wg-key-len`), so the
// arithmetic operators must be surrounded by spaces (`max-len - 1`).
const term = '(?:0x[0-9A-Fa-f]+|[0-9A-Za-z_][0-9A-Za-z_-]*)';

/**
 * A size: a non-negative integer, a constant name, or a small sum such as `NAME - 1`.
 * The description doubles as the error message when the pattern does not match.
 */
export const sizeExpr: JsonSchema = {
  type: ['integer', 'string'],
  minimum: 0,
  pattern: `^${term}(?: [-+] ${term})*$`,
  description: 'must be a number, a constant name, or an expression like `NAME - 1`',
};

/** A numeric limit: an integer, a constant name, or a type limit like `u32-max` / `s16-min`. */
export const limitExpr: JsonSchema = {
  type: ['integer', 'string'],
  pattern: `^${term}(?: [-+] ${term})*$`,
  description: 'must be a number, a constant name, or a type limit like `u32-max`',
};

/** Byte order of a scalar on the wire. */
export const byteOrder: JsonSchema = { enum: ['little-endian', 'big-endian'] };

/** Presentation hints for values (`ipv4-or-v6` chooses by length). */
export const displayHint: JsonSchema = { enum: ['hex', 'mac', 'fddi', 'ipv4', 'ipv6', 'ipv4-or-v6', 'uuid'] };

/** Fixed-width integer types. */
export const intTypes = ['u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64'] as const;

/**
 * Attribute types of plain genetlink. `array-nest` is the older spelling of an indexed array of nests
 * and is still accepted at every level (the resolver normalises it).
 */
export const baseAttrTypes = [
  'unused',
  'pad',
  'flag',
  'binary',
  'bitfield32',
  'uint',
  'sint',
  ...intTypes,
  'string',
  'nest',
  'indexed-array',
  'array-nest',
  'nest-type-value',
] as const;

/** A closed object: only the listed keys, some of them required. */
export function object(properties: Record<string, JsonSchema>, required: string[] = [], extra: JsonSchema = {}): JsonSchema {
  return { type: 'object', properties, required, additionalProperties: false, ...extra };
}

/** A list of items that each match `items`. */
export function list(items: JsonSchema): JsonSchema {
  return { type: 'array', items };
}

/** A spec section that wraps its entries in `list:`. */
export function listSection(items: JsonSchema, extraProps: Record<string, JsonSchema> = {}): JsonSchema {
  return object({ ...extraProps, list: list(items) }, ['list']);
}
