// Our JSON Schemas for YNL specs, one per protocol level, chosen by the spec's `protocol` key.
import type { JsonSchema } from './common.js';
import { genetlinkSchema } from './genetlink.js';
import { genetlinkCSchema } from './genetlink-c.js';
import { genetlinkLegacySchema } from './genetlink-legacy.js';
import { netlinkRawSchema } from './netlink-raw.js';

export type { JsonSchema } from './common.js';
export { genetlinkSchema, genetlinkCSchema, genetlinkLegacySchema, netlinkRawSchema };

/** The schema for each protocol level. */
export const schemasByProtocol: Readonly<Record<string, JsonSchema>> = {
  genetlink: genetlinkSchema,
  'genetlink-c': genetlinkCSchema,
  'genetlink-legacy': genetlinkLegacySchema,
  'netlink-raw': netlinkRawSchema,
};
