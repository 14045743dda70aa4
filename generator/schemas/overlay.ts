// Our JSON Schema for overlay files: corrections applied to a spec by name before it is validated and resolved
// (generator/apply-overlays.ts). Each patch names what it changes; what it sets is then checked with the whole spec.
import type { JsonSchema } from './common.js';

const name: JsonSchema = { type: 'string', minLength: 1 };
const names: JsonSchema = { type: 'array', items: name, minItems: 1 };
/** A JSON Merge Patch (RFC 7386) for the target: mappings merge, null removes a key, anything else replaces. */
const fields: JsonSchema = { type: 'object', minProperties: 1 };
/** Items to append to the target's list (attributes, members, entries, formats, …); each needs a name or value. */
const items: JsonSchema = { type: 'array', items: { type: 'object' }, minItems: 1 };

/** One patch: a target and what to do to it. */
const patch: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    doc: { type: 'string', description: 'why the patch is needed (evidence), for readers' },
    'attribute-set': name,
    attribute: name,
    attributes: names,
    definition: name,
    member: name,
    members: names,
    entry: name,
    'sub-message': name,
    format: { type: ['string', 'integer'] },
    operation: name,
    'mcast-group': name,
    family: { const: true, description: 'the spec itself (top-level keys; `add` to its lists by `to`)' },
    to: { enum: ['attribute-sets', 'definitions', 'sub-messages', 'mcast-groups', 'operations'] },
    set: fields,
    remove: names,
    add: items,
    drop: { const: true, description: 'delete the targeted attribute(s), member(s), entry, format, operation or group' },
  },
};

/** An overlay file. */
export const overlaySchema: JsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  additionalProperties: false,
  required: ['family', 'patches'],
  properties: {
    family: { ...name, description: 'the spec name of the family the overlay corrects' },
    doc: { type: 'string' },
    patches: { type: 'array', items: patch, minItems: 1 },
  },
};
